import type { Knex } from "knex";

/** An admin's replacement of a year's official days off and make-up working days (wins over data/calendar/<year>.json). */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable("calendar_years", (t) => {
    t.integer("year").primary();
    t.text("overrides").notNullable(); // JSON: YearOverrides
    t.string("updated_at", 30).notNullable();
    t.string("updated_by", 100).notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists("calendar_years");
}
