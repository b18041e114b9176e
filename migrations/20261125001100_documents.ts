import type { Knex } from "knex";

/**
 * Rendered documents (request forms, correction notices, handover records): the PDF bytes as they
 * were given out, with the dossier version they were rendered from and their SHA-256. One document
 * of a kind per dossier version: the same version is served from here, byte for byte.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable("documents", (t) => {
    t.string("id", 36).primary();
    t.string("dossier_id", 36).notNullable().references("dossiers.id");
    t.string("kind", 32).notNullable(); // request | correction_notice | handover_record
    t.integer("dossier_version").notNullable();
    t.string("sha256", 64).notNullable();
    t.integer("size").notNullable();
    t.binary("bytes").notNullable();
    t.string("created_by", 100);
    t.string("created_at", 30).notNullable();
    t.unique(["dossier_id", "kind", "dossier_version"]);
    t.index(["dossier_id", "created_at"]);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists("documents");
}
