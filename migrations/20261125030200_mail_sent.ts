import type { Knex } from "knex";

/**
 * Every e-mail handed to the transport, keyed by its Message-ID (derived from the outbox job's
 * dedupe key), so a job that runs again after a crash does not send the same mail twice.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable("mail_sent", (t) => {
    t.string("message_id", 250).primary();
    t.string("kind", 64).notNullable();
    t.string("dossier_id", 36);
    t.text("recipients").notNullable(); // JSON array
    t.string("subject", 500).notNullable();
    t.string("transport", 16).notNullable(); // smtp | file
    t.text("response");
    t.string("sent_at", 30).notNullable();
    t.index(["dossier_id"]);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists("mail_sent");
}
