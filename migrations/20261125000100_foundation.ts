import type { Knex } from "knex";

/** Users, roles, API tokens, the audit chain and the outbox: the foundation every capability uses. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable("users", (t) => {
    t.string("id", 36).primary();
    t.string("username", 64).notNullable().unique();
    t.string("full_name", 200).notNullable();
    t.string("email", 254);
    t.boolean("active").notNullable().defaultTo(true);
    t.string("created_at", 30).notNullable();
    t.string("created_by", 36);
  });
  await knex.schema.createTable("user_roles", (t) => {
    t.string("user_id", 36).notNullable().references("users.id").onDelete("CASCADE");
    t.string("role", 32).notNullable();
    t.primary(["user_id", "role"]);
  });
  await knex.schema.createTable("api_tokens", (t) => {
    t.string("id", 36).primary();
    t.string("user_id", 36).notNullable().references("users.id").onDelete("CASCADE");
    t.string("token_hash", 64).notNullable().unique();
    t.string("label", 100);
    t.string("created_at", 30).notNullable();
    t.string("expires_at", 30);
    t.string("revoked_at", 30);
    t.string("last_used_at", 30);
  });
  await knex.schema.createTable("audit_log", (t) => {
    t.bigIncrements("seq").primary();
    t.string("at", 30).notNullable();
    t.string("actor", 100).notNullable();
    t.string("action", 100).notNullable();
    t.string("object_type", 50);
    t.string("object_id", 100);
    t.text("details").notNullable();
    t.string("prev_hash", 64).notNullable();
    t.string("hash", 64).notNullable().unique();
    t.index(["object_type", "object_id"]);
    t.index(["action"]);
  });
  await knex.schema.createTable("outbox", (t) => {
    t.bigIncrements("id").primary();
    t.string("kind", 64).notNullable();
    t.text("payload").notNullable();
    t.string("dedupe_key", 200).unique();
    t.string("status", 16).notNullable().defaultTo("pending"); // pending | running | done | dead
    t.integer("attempts").notNullable().defaultTo(0);
    t.integer("max_attempts").notNullable().defaultTo(10);
    t.string("next_attempt_at", 30).notNullable();
    t.string("locked_until", 30);
    t.text("last_error");
    t.string("created_at", 30).notNullable();
    t.string("updated_at", 30).notNullable();
    t.string("done_at", 30);
    t.index(["status", "next_attempt_at"]);
    t.index(["kind"]);
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const t of ["outbox", "audit_log", "api_tokens", "user_roles", "users"]) await knex.schema.dropTableIfExists(t);
}
