import type { Knex } from "knex";

/**
 * Request dossiers (hồ sơ đề nghị, Mẫu 01–06), their people lists and their history.
 * - dossiers.data holds the validated request as JSON text; the columns beside it are what lists,
 *   filters and the review clock need.
 * - dossier_numbers allocates "0001/2026/HS" per year: one row per year, incremented inside the
 *   creating transaction (a row lock on PostgreSQL, the database lock on SQLite), with the unique
 *   index on dossiers.number as the last guard.
 * - dossier_subscribers repeats each list entry as a row so identity numbers can be searched
 *   across dossiers (duplicates, earlier certificates).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable("dossier_numbers", (t) => {
    t.integer("year").primary();
    t.integer("last").notNullable().defaultTo(0);
  });
  await knex.schema.createTable("dossiers", (t) => {
    t.string("id", 36).primary();
    t.string("number", 32).notNullable().unique();
    t.integer("year").notNullable();
    t.integer("seq").notNullable();
    t.string("kind", 32).notNullable();
    t.string("status", 32).notNullable();
    t.string("agency_name", 300).notNullable();
    t.string("agency_search", 300).notNullable(); // lower-case, unaccented: filter by agency
    t.text("search_text").notNullable(); // lower-case, unaccented number, agency, names: free text
    t.string("certificate_type", 200);
    t.integer("quantity").notNullable();
    t.string("channel", 16).notNullable();
    t.text("data").notNullable();
    t.string("received_at", 30);
    t.string("valid_since", 30);
    t.string("deadline", 30);
    t.integer("version").notNullable().defaultTo(1);
    t.string("created_by", 36);
    t.string("updated_by", 36);
    t.string("created_at", 30).notNullable();
    t.string("updated_at", 30).notNullable();
    t.unique(["year", "seq"]);
    t.index(["status"]);
    t.index(["kind", "status"]);
    t.index(["received_at"]);
    t.index(["created_at"]);
  });
  await knex.schema.createTable("dossier_subscribers", (t) => {
    t.string("dossier_id", 36).notNullable().references("dossiers.id").onDelete("CASCADE");
    t.integer("idx").notNullable();
    t.string("full_name", 200).notNullable();
    t.string("date_of_birth", 10);
    t.string("id_type", 8);
    t.string("id_number", 20).notNullable();
    t.string("id_issue_date", 10);
    t.string("id_issue_place", 200);
    t.string("email", 254);
    t.string("workplace", 300);
    t.string("province", 100);
    t.string("position", 200);
    t.string("mobile", 20);
    t.string("previous_certificate_serial", 64);
    t.primary(["dossier_id", "idx"]);
    t.index(["id_number"]);
    t.index(["email"]);
  });
  await knex.schema.createTable("dossier_history", (t) => {
    t.bigIncrements("id").primary();
    t.string("dossier_id", 36).notNullable().references("dossiers.id").onDelete("CASCADE");
    t.integer("version").notNullable();
    t.string("at", 30).notNullable();
    t.string("actor_id", 36);
    t.string("actor", 100).notNullable();
    t.string("action", 64).notNullable();
    t.string("from_status", 32);
    t.string("to_status", 32);
    t.text("changes").notNullable(); // JSON: field-level diff summary
    t.text("note");
    t.index(["dossier_id", "id"]);
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const t of ["dossier_history", "dossier_subscribers", "dossiers", "dossier_numbers"]) await knex.schema.dropTableIfExists(t);
}
