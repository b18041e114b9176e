import type { Knex } from "knex";

/**
 * The word index of the public name search (src/store/publicSearchIndex.ts): every distinct word of
 * certificates.public_search_text once in public_search_words, and each (word, certificate) pair in
 * public_search_tokens. A query word is matched against the words (a few thousand rows, not one per
 * certificate), then the certificates come from the pairs by index.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable("public_search_words", (t) => {
    t.string("word", 500).primary();
  });
  await knex.schema.createTable("public_search_tokens", (t) => {
    t.string("word", 500).notNullable();
    t.string("serial", 64).notNullable().references("serial").inTable("certificates").onDelete("CASCADE");
    t.primary(["word", "serial"]);
    t.index(["serial"]);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists("public_search_tokens");
  await knex.schema.dropTableIfExists("public_search_words");
}
