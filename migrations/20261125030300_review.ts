import type { Knex } from "knex";

/**
 * The review of dossiers: who reviews, the deadline day (for "due today" queues), the correction
 * rounds, and each round's itemised deficiencies (what the agency was asked to supplement).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable("dossiers", (t) => {
    t.string("reviewer_id", 36);
    t.string("reviewer", 100);
    t.string("review_started_at", 30);
    t.string("deadline_date", 10); // YYYY-MM-DD in Asia/Ho_Chi_Minh: the last working day
    t.integer("correction_rounds").notNullable().defaultTo(0);
    t.index(["status", "deadline"]);
    t.index(["reviewer_id"]);
  });
  await knex.schema.createTable("dossier_deficiencies", (t) => {
    t.bigIncrements("id").primary();
    t.string("dossier_id", 36).notNullable().references("dossiers.id").onDelete("CASCADE");
    t.integer("round").notNullable();
    t.integer("idx").notNullable();
    t.string("field", 100).notNullable();
    t.string("field_label", 300).notNullable();
    t.integer("row");
    t.string("row_label", 300);
    t.text("reason").notNullable();
    t.string("requested_at", 30).notNullable();
    t.string("requested_by", 100).notNullable();
    t.unique(["dossier_id", "round", "idx"]);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists("dossier_deficiencies");
  await knex.schema.alterTable("dossiers", (t) => {
    t.dropIndex(["status", "deadline"]);
    t.dropIndex(["reviewer_id"]);
    for (const c of ["reviewer_id", "reviewer", "review_started_at", "deadline_date", "correction_rounds"]) t.dropColumn(c);
  });
}
