import type { Knex } from "knex";

/**
 * Status and time services (issue 6): issued CRLs, the keys of the OCSP responder and the TSA,
 * and the pre-signed OCSP responses.
 */
export async function up(knex: Knex): Promise<void> {
  // CRL pages are read by keyset on the serial within a CA's revoked certificates (src/ca/crl/store.ts).
  await knex.schema.alterTable("certificates", (t) => {
    t.index(["ca_name", "status", "serial"], "certificates_ca_status_serial_index");
  });
  await knex.schema.createTable("crls", (t) => {
    t.increments("id");
    t.string("ca_name", 64).notNullable().references("cas.name");
    // RFC 5280 §5.2.3: one monotonically increasing sequence per CA, shared by full and delta CRLs.
    t.bigInteger("number").notNullable();
    t.string("kind", 8).notNullable(); // full | delta
    t.bigInteger("base_number"); // delta: the BaseCRLNumber of its deltaCRLIndicator
    t.string("this_update", 30).notNullable();
    t.string("next_update", 30).notNullable();
    t.integer("entries").notNullable();
    t.integer("revoked_total").notNullable(); // revoked rows of the CA when built (coalescing)
    t.string("max_revoked_at", 30);
    t.binary("der").notNullable();
    t.string("sha256", 64).notNullable();
    t.string("created_at", 30).notNullable();
    t.unique(["ca_name", "number"]);
    t.index(["ca_name", "kind", "number"]);
  });
  await knex.schema.createTable("service_keys", (t) => {
    t.increments("id");
    t.string("purpose", 16).notNullable(); // ocsp | tsa
    t.string("ca_name", 64).notNullable().references("cas.name");
    t.string("serial", 64).notNullable();
    t.binary("certificate").notNullable(); // DER
    t.binary("key_encrypted").notNullable(); // envelope of the PKCS#8 key
    t.string("key_algorithm", 32).notNullable();
    t.string("not_before", 30).notNullable();
    t.string("not_after", 30).notNullable();
    t.boolean("active").notNullable().defaultTo(true);
    t.string("created_at", 30).notNullable();
    t.index(["purpose", "ca_name", "active"]);
  });
  await knex.schema.createTable("ocsp_responses", (t) => {
    t.string("serial", 64).notNullable();
    t.string("hash_alg", 8).notNullable(); // sha1 | sha256: the CertID hash the response answers
    t.string("ca_name", 64).notNullable();
    t.string("cert_status", 8).notNullable(); // the certificates.status signed for: issued | revoked
    t.string("this_update", 30).notNullable();
    t.string("next_update", 30).notNullable();
    t.string("refresh_at", 30).notNullable();
    t.binary("der").notNullable(); // the whole OCSPResponse
    t.primary(["serial", "hash_alg"]);
    t.index(["refresh_at"]);
    t.index(["ca_name", "cert_status"]);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists("ocsp_responses");
  await knex.schema.dropTableIfExists("service_keys");
  await knex.schema.dropTableIfExists("crls");
  await knex.schema.alterTable("certificates", (t) => {
    t.dropIndex(["ca_name", "status", "serial"], "certificates_ca_status_serial_index");
  });
}
