import type { Knex } from "knex";

/**
 * Public lookup (issue 12): search_text "is null" probes (to fill it) and published-only scans.
 * Name search is a LIKE over search_text (unaccented holder + agency) — portable SQL.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable("certificates", (t) => {
    t.index(["search_text"], "certificates_search_text_index");
    t.index(["handed_over_at"], "certificates_handed_over_at_index");
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable("certificates", (t) => {
    t.dropIndex(["search_text"], "certificates_search_text_index");
    t.dropIndex(["handed_over_at"], "certificates_handed_over_at_index");
  });
}
