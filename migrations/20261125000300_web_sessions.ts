import type { Knex } from "knex";

/** Staff sign-in: password hashes (scrypt) and server-side sessions behind an HttpOnly cookie. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable("users", (t) => {
    t.string("password_hash", 200);
  });
  await knex.schema.createTable("web_sessions", (t) => {
    t.string("id_hash", 64).primary();
    t.string("user_id", 36).notNullable().references("users.id").onDelete("CASCADE");
    t.string("csrf_token", 64).notNullable();
    t.string("created_at", 30).notNullable();
    t.string("expires_at", 30).notNullable();
    t.index(["user_id"]);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists("web_sessions");
  await knex.schema.alterTable("users", (t) => t.dropColumn("password_hash"));
}
