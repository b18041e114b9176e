import type { Knex } from "knex";

/**
 * One-time enrolment codes (issue 8): an administrator asks for one, the code goes by e-mail to the
 * user's registered address, and only the user redeems it to set their own password. The code is
 * never stored: code_hash is its SHA-256. One active code per user; a new one supersedes the old.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable("enrolments", (t) => {
    t.string("id", 36).primary();
    t.string("user_id", 36).notNullable().references("users.id").onDelete("CASCADE");
    t.string("code_hash", 64).notNullable().unique();
    t.string("status", 16).notNullable(); // active | superseded | redeemed | locked
    t.string("email", 254).notNullable();
    t.string("created_at", 30).notNullable();
    t.string("created_by", 100).notNullable();
    t.string("expires_at", 30).notNullable();
    t.string("redeemed_at", 30);
    t.integer("failed_attempts").notNullable().defaultTo(0);
    t.index(["user_id", "status"]);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists("enrolments");
}
