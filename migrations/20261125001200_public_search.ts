import type { Knex } from "knex";

/**
 * Public lookup (issue 12). public_search_text is the holder and the agency only (CN and O as the
 * certificate carries them), lower-case and unaccented: unlike search_text (staff search, which
 * may hold identity numbers) nothing in it may not be shown. Name search is a LIKE '%word%' over
 * it — portable SQL that no B-tree can seek — so the index covers the whole first step of a search
 * (text, status, handover, date, serial): the scan reads this narrow index, not the table with its
 * DER blobs. It also serves "public_search_text is null" (rows still to fill).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable("certificates", (t) => {
    t.string("public_search_text", 500);
  });
  await knex.schema.alterTable("certificates", (t) => {
    t.index(["public_search_text", "status", "handed_over_at", "not_before", "serial"], "certificates_public_search_index");
    t.index(["handed_over_at"], "certificates_handed_over_at_index");
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable("certificates", (t) => {
    t.dropIndex(["public_search_text", "status", "handed_over_at", "not_before", "serial"], "certificates_public_search_index");
    t.dropIndex(["handed_over_at"], "certificates_handed_over_at_index");
  });
  await knex.schema.alterTable("certificates", (t) => {
    t.dropColumn("public_search_text");
  });
}
