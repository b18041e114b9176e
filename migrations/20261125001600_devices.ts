import type { Knex } from "knex";

/**
 * Key-storage devices (thiết bị lưu khóa bí mật): the inventory, every state change, recovery
 * records (Mẫu 06) and handovers (biên bản bàn giao, Mẫu 07). Which certificate sits on which device
 * is certificates.device_id (one device holds many certificates; a certificate lives on one device).
 * The wrong-PIN and lock counters are OUR record: SoftHSM2 and many tokens do not report a lock.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable("devices", (t) => {
    t.string("id", 36).primary();
    t.string("serial", 100).notNullable().unique();
    t.string("model", 200).notNullable();
    t.string("manufacturer", 200).notNullable();
    t.string("token_label", 32); // PKCS#11 CK_TOKEN_INFO.label (32 bytes)
    t.string("kind", 16).notNullable(); // usb_token | hsm | sim
    t.string("state", 16).notNullable();
    t.string("holder_dossier_id", 36); // the dossier whose subscriber holds it
    t.integer("holder_subscriber_index");
    t.string("holder_name", 200);
    t.integer("wrong_pin_count").notNullable().defaultTo(0);
    t.integer("lock_count").notNullable().defaultTo(0);
    t.string("locked_at", 30);
    t.string("return_deadline", 30); // 24:00 (Asia/Ho_Chi_Minh) of the 5th working day, as UTC
    t.string("return_reason_at", 30); // when the last certificate on it was revoked or expired
    t.text("notes");
    t.string("created_at", 30).notNullable();
    t.string("created_by", 36);
    t.string("updated_at", 30).notNullable();
    t.index(["state"]);
    t.index(["return_deadline"]);
  });
  await knex.schema.createTable("device_events", (t) => {
    t.bigIncrements("id").primary();
    t.string("device_id", 36).notNullable().references("devices.id").onDelete("CASCADE");
    t.string("at", 30).notNullable();
    t.string("actor", 100).notNullable();
    t.string("from_state", 16);
    t.string("to_state", 16).notNullable();
    t.string("reason", 1000).notNullable();
    t.text("details").notNullable();
    t.index(["device_id", "id"]);
  });
  await knex.schema.createTable("device_recoveries", (t) => {
    t.string("id", 36).primary();
    t.string("device_id", 36).notNullable().references("devices.id");
    t.string("dossier_id", 36).notNullable();
    t.string("method", 16).notNullable(); // unblock | reinitialize
    t.boolean("keys_destroyed").notNullable().defaultTo(false);
    t.string("performed_at", 30).notNullable();
    t.string("performed_by", 100).notNullable();
    t.text("notes");
    t.index(["device_id"]);
    t.index(["dossier_id"]);
  });
  await knex.schema.createTable("handovers", (t) => {
    t.string("id", 36).primary();
    t.string("number", 40).notNullable().unique(); // 12/2026/BB-BG
    t.string("place_kind", 16).notNullable(); // provider | agency
    t.string("place", 500).notNullable();
    t.string("handed_at", 30).notNullable();
    t.text("handing_officer").notNullable(); // JSON {name, position, unit}
    t.text("receiver").notNullable(); // JSON {name, position, agency, idNumber}
    t.string("dossier_id", 36);
    t.text("notes");
    t.string("record_sha256", 64);
    t.binary("record_pdf");
    t.string("created_at", 30).notNullable();
    t.string("created_by", 100).notNullable();
  });
  await knex.schema.createTable("handover_items", (t) => {
    t.string("handover_id", 36).notNullable().references("handovers.id").onDelete("CASCADE");
    t.integer("position").notNullable();
    t.string("device_id", 36).notNullable().references("devices.id");
    t.string("certificate_serial", 64).notNullable();
    t.string("subscriber_name", 200).notNullable();
    t.string("notes", 500);
    t.primary(["handover_id", "position"]);
    t.index(["device_id"]);
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const t of ["handover_items", "handovers", "device_recoveries", "device_events", "devices"]) await knex.schema.dropTableIfExists(t);
}
