import type { Knex } from "knex";

/**
 * CA issuance (issue 4): what a pending certificate needs to be finished after a crash (its
 * to-be-signed bytes), its structured subject, an idempotency key that makes retried and resumed
 * issuance safe, and batches (a whole dossier issued as one resumable operation).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable("certificates", (t) => {
    t.text("subject_json"); // SubjectInfo as issued (JSON text)
    t.binary("tbs"); // DER TBSCertificate, written with the pending row, before signing
    t.string("key_generation", 16); // csr | server | same-key
    t.string("idempotency_key", 200); // unique: one certificate per (batch, item) or request retry
    t.string("batch_id", 36);
    t.string("issued_at", 30);
    t.text("revocation_comment");
    t.string("revoked_by", 36);
    t.unique(["idempotency_key"]);
    t.index(["batch_id"]);
    t.index(["status"]);
  });
  await knex.schema.createTable("ca_batches", (t) => {
    t.string("id", 36).primary();
    t.string("dossier_id", 36);
    t.string("ca_name", 64).notNullable().references("cas.name");
    t.string("status", 16).notNullable(); // running | done | failed
    t.integer("total").notNullable();
    t.integer("issued").notNullable().defaultTo(0);
    t.integer("failed").notNullable().defaultTo(0);
    t.text("items").notNullable(); // JSON: [{profile, subject, csr|spki, subscriberIndex?, assetIndex?}]
    t.text("errors"); // JSON: [{index, code, message}]
    t.string("created_at", 30).notNullable();
    t.string("updated_at", 30).notNullable();
    t.string("finished_at", 30);
    t.string("created_by", 36);
    t.index(["status"]);
    t.index(["dossier_id"]);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists("ca_batches");
  await knex.schema.alterTable("certificates", (t) => {
    t.dropUnique(["idempotency_key"]);
    t.dropIndex(["batch_id"]);
    t.dropIndex(["status"]);
    for (const c of ["subject_json", "tbs", "key_generation", "idempotency_key", "batch_id", "issued_at", "revocation_comment", "revoked_by"]) t.dropColumn(c);
  });
}
