import type { Knex } from "knex";

/**
 * Security (issue 8): dual-control approvals (four eyes) and signed checkpoints of the audit chain.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable("approvals", (t) => {
    t.string("id", 36).primary();
    t.string("operation", 64).notNullable(); // revocation.urgent | revocation.bulk | ca.key | device.reinitialize
    t.string("policy_action", 64).notNullable(); // what the approver must be allowed to do
    t.text("payload").notNullable(); // JSON
    t.string("summary", 500);
    t.string("requested_by", 36).notNullable().references("users.id");
    t.string("requested_by_name", 100).notNullable();
    t.string("requested_at", 30).notNullable();
    t.string("expires_at", 30).notNullable();
    t.string("status", 16).notNullable(); // pending | approved | rejected | expired | executed
    t.string("decided_by", 36).references("users.id");
    t.string("decided_by_name", 100);
    t.string("decided_at", 30);
    t.string("reason", 1000);
    t.text("result"); // JSON
    t.index(["status", "requested_at"]);
  });
  await knex.schema.createTable("audit_checkpoints", (t) => {
    t.increments("id");
    t.bigInteger("seq").notNullable(); // the chain head it signs
    t.string("hash", 64).notNullable();
    t.string("at", 30).notNullable();
    t.string("digest", 64).notNullable(); // SHA-256 of "chungthu-audit-checkpoint|seq|hash"
    t.binary("token").notNullable(); // RFC 3161 TimeStampToken (CMS SignedData, DER) from our TSA
    t.string("created_by", 100).notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable("audit_checkpoints");
  await knex.schema.dropTable("approvals");
}
