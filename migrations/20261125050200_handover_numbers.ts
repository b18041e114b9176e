import type { Knex } from "knex";

/**
 * Handover record numbers ("12/2026/BB-BG") allocated like dossier numbers: a counter row per year
 * (handover_numbers), incremented inside the creating transaction — a row lock on PostgreSQL, the
 * database lock on SQLite — so two concurrent handovers never get the same number, and a rolled
 * back handover gives its number back (no gap). The year and sequence are columns of their own,
 * unique together, beside the unique number.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable("handover_numbers", (t) => {
    t.integer("year").primary();
    t.integer("last").notNullable().defaultTo(0);
  });
  await knex.schema.alterTable("handovers", (t) => {
    t.integer("year");
    t.integer("seq");
  });
  // Existing records: year and sequence from their number; each year's counter at its highest.
  const rows: { id: string; number: string }[] = await knex("handovers").select("id", "number");
  const last = new Map<number, number>();
  for (const r of rows) {
    const m = /^(\d+)\/(\d{4})\/BB-BG$/.exec(r.number);
    if (!m) continue;
    const seq = Number(m[1]);
    const year = Number(m[2]);
    await knex("handovers").where({ id: r.id }).update({ year, seq });
    last.set(year, Math.max(last.get(year) ?? 0, seq));
  }
  for (const [year, n] of last) await knex("handover_numbers").insert({ year, last: n });
  await knex.schema.alterTable("handovers", (t) => {
    t.unique(["year", "seq"]);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable("handovers", (t) => {
    t.dropUnique(["year", "seq"]);
  });
  await knex.schema.alterTable("handovers", (t) => {
    t.dropColumn("seq");
    t.dropColumn("year");
  });
  await knex.schema.dropTableIfExists("handover_numbers");
}
