import type { Knex } from "knex";

/**
 * Certificate authorities and certificates: shared by ca (issuance), va (OCSP), directory and the
 * public site. Serial is lower-case hex without leading zeros, unique by constraint (design.md §2).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable("cas", (t) => {
    t.string("name", 64).primary(); // used in URLs: /ca/{name}.crt, /crl/{name}.crl
    t.string("role", 16).notNullable(); // root | issuing
    t.string("parent_name", 64).references("cas.name");
    t.text("subject_dn").notNullable();
    t.binary("certificate").notNullable(); // DER
    t.string("key_storage", 16).notNullable(); // encrypted | pkcs11
    t.binary("key_encrypted"); // scrypt + AES-256-GCM envelope of the PKCS#8 key (src/ca/keys)
    t.string("key_ref", 500); // PKCS#11 URI when key_storage = pkcs11
    t.string("key_algorithm", 32).notNullable();
    t.string("not_before", 30).notNullable();
    t.string("not_after", 30).notNullable();
    t.boolean("development").notNullable().defaultTo(false);
    t.boolean("active").notNullable().defaultTo(true);
    t.string("created_at", 30).notNullable();
  });
  await knex.schema.createTable("certificates", (t) => {
    t.string("serial", 64).primary();
    t.string("ca_name", 64).notNullable().references("cas.name");
    t.string("status", 16).notNullable(); // pending | issued | revoked | void
    t.string("profile", 32).notNullable();
    t.string("dossier_id", 36);
    t.integer("subscriber_index");
    t.integer("asset_index");
    t.text("subject_dn");
    t.string("subject_cn", 200);
    t.string("subject_o", 200);
    t.string("email", 254);
    t.string("uid", 100); // identity as in the certificate: CCCD:…, MST:…
    t.string("search_text", 1000); // lower-case, unaccented holder and agency, for lookup
    t.string("key_algorithm", 32);
    t.string("not_before", 30);
    t.string("not_after", 30);
    t.binary("der");
    t.string("sha256", 64);
    t.string("replaces_serial", 64);
    t.string("replaced_by_serial", 64);
    t.string("revoked_at", 30);
    t.integer("revocation_reason");
    t.string("invalidity_date", 30);
    t.string("handed_over_at", 30);
    t.string("published_at", 30);
    t.string("device_id", 36);
    t.string("created_at", 30).notNullable();
    t.string("created_by", 36);
    t.index(["ca_name", "status"]);
    t.index(["dossier_id"]);
    t.index(["email"]);
    t.index(["uid"]);
    t.index(["not_after"]);
    t.index(["revoked_at"]);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists("certificates");
  await knex.schema.dropTableIfExists("cas");
}
