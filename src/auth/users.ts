import crypto from "node:crypto";
import type { Knex } from "knex";
import * as store from "../store/users";
import * as audit from "../audit/audit";
import { nowIso, type Db } from "../store/db";
import { DomainError } from "../errors";
import { messages } from "../messages";
import { hashToken, newTokenSecret, sameHash } from "./tokens";
import { hashPassword, verifyPassword } from "./passwords";
import { can } from "../policy/policy";
import { ROLES, cliActor, systemActor, type Actor, type Role } from "./actor";

export interface CreateUserInput {
  username: string;
  fullName: string;
  email?: string;
  roles: Role[];
}

/** Creates a user with roles. Returns the user row. */
export async function createUser(db: Knex, actor: Actor, input: CreateUserInput) {
  for (const r of input.roles) {
    if (!ROLES.includes(r)) throw new DomainError("unknown_role", messages.users.unknownRole(r), { role: r });
  }
  return db.transaction(async (trx) => {
    if (await store.getByUsername(trx, input.username)) {
      throw new DomainError("username_taken", messages.users.usernameTaken(input.username), {}, "conflict");
    }
    const row: store.UserRow = {
      id: crypto.randomUUID(),
      username: input.username,
      full_name: input.fullName,
      email: input.email ?? null,
      active: true,
      created_at: nowIso(),
      created_by: actor.id === systemActor.id || actor.id === cliActor.id ? null : actor.id,
    };
    await store.insert(trx, row, input.roles);
    await audit.append(trx, { actor, action: "user.created", objectType: "user", objectId: row.id, details: { username: row.username, roles: input.roles } });
    return row;
  });
}

/** Issues a new API token for a user; the secret is returned once and never stored. */
export async function issueToken(db: Db, actor: Actor, userId: string, opts: { label?: string; expiresAt?: Date } = {}) {
  const secret = newTokenSecret();
  const row: store.TokenRow = {
    id: crypto.randomUUID(),
    user_id: userId,
    token_hash: hashToken(secret),
    label: opts.label ?? null,
    created_at: nowIso(),
    expires_at: opts.expiresAt?.toISOString() ?? null,
    revoked_at: null,
    last_used_at: null,
  };
  // The token and its audit row in one transaction (issue 8).
  const write = async (trx: Db) => {
    await store.insertToken(trx, row);
    await audit.append(trx, { actor, action: "token.issued", objectType: "user", objectId: userId, details: { tokenId: row.id, label: row.label, expiresAt: row.expires_at } });
  };
  await ((db as Knex.Transaction).isTransaction ? write(db) : (db as Knex).transaction(write));
  return { id: row.id, secret, expiresAt: row.expires_at };
}

/** Resolves a bearer secret to an actor, or undefined when unknown, expired, revoked or inactive. */
export async function authenticate(db: Db, secret: string): Promise<Actor | undefined> {
  const hash = hashToken(secret);
  const token = await store.tokenByHash(db, hash);
  if (!token || !sameHash(token.token_hash, hash)) return undefined;
  const now = nowIso();
  if (token.revoked_at || (token.expires_at && token.expires_at <= now)) return undefined;
  const user = await store.get(db, token.user_id);
  if (!user || !user.active) return undefined;
  // "Last used" for the token lists, written at most once a minute per token (not a write per request).
  if (!token.last_used_at || Date.parse(now) - Date.parse(token.last_used_at) > TOUCH_INTERVAL_MS) await store.touchToken(db, token.id, now);
  return { id: user.id, username: user.username, roles: await store.rolesOf(db, user.id) };
}

const TOUCH_INTERVAL_MS = 60_000;

/** Replaces a user's roles. Separation of duties: nobody changes their own roles. */
export async function setUserRoles(db: Knex, actor: Actor, userId: string, roles: Role[]) {
  // Separation of duties (src/policy/rules.ts "user.roles"): an admin cannot give themself a role.
  if (!can(actor, "user.roles", { id: userId })) {
    throw new DomainError("self_role_change", messages.users.selfRoleChange, {}, "forbidden");
  }
  return db.transaction(async (trx) => {
    const user = await store.get(trx, userId);
    if (!user) throw new DomainError("user_not_found", messages.users.userNotFound(userId), {}, "not_found");
    const before = await store.rolesOf(trx, userId);
    await store.setRoles(trx, userId, roles);
    await audit.append(trx, { actor, action: "user.roles_changed", objectType: "user", objectId: userId, details: { before, after: roles } });
    return user;
  });
}

/** Revokes one token of a user; revoked tokens stop authenticating at once. */
export async function revokeUserToken(db: Knex, actor: Actor, userId: string, tokenId: string) {
  return db.transaction(async (trx) => {
    const tokens = await store.tokensOf(trx, userId);
    if (!tokens.some((t) => t.id === tokenId)) {
      throw new DomainError("token_not_found", messages.users.tokenNotFound, { tokenId }, "not_found");
    }
    await store.revokeToken(trx, tokenId, nowIso());
    await audit.append(trx, { actor, action: "token.revoked", objectType: "user", objectId: userId, details: { tokenId } });
  });
}

/**
 * Sets a user's password (scrypt). Internal: the bootstrap, the CLI and enrolment call it; over the
 * API a person changes only their own password (changeOwnPassword).
 */
export async function setPassword(db: Knex, actor: Actor, userId: string, password: string) {
  const hash = await hashPassword(password);
  return db.transaction(async (trx) => {
    const n = await trx("users").where({ id: userId }).update({ password_hash: hash });
    if (!n) throw new DomainError("user_not_found", messages.users.userNotFound(userId), {}, "not_found");
    await audit.append(trx, { actor, action: "user.password_set", objectType: "user", objectId: userId });
  });
}

/** Checks a username and password; returns the user's actor or undefined (same time either way). */
export async function checkPassword(db: Db, username: string, password: string): Promise<Actor | undefined> {
  const user = await store.getByUsername(db, username);
  const ok = await verifyPassword(password, (user as (store.UserRow & { password_hash?: string }) | undefined)?.password_hash);
  if (!ok || !user || !user.active) return undefined;
  return { id: user.id, username: user.username, roles: await store.rolesOf(db, user.id) };
}

/** Refuses (403) unless the actor is the user: credentials are self-service (issue 8). */
export function assertOwnCredential(actor: Actor, userId: string): void {
  if (actor.id !== userId) throw new DomainError("not_own_credential", messages.users.notOwnCredential, { userId }, "forbidden");
}

/** A person issues an API token for themself (the secret is returned once). */
export async function issueOwnToken(db: Knex, actor: Actor, userId: string, opts: { label?: string; expiresAt?: Date } = {}) {
  assertOwnCredential(actor, userId);
  return issueToken(db, actor, userId, opts);
}

/** A person changes their own password; when one is set, the current one must be given. */
export async function changeOwnPassword(db: Knex, actor: Actor, userId: string, currentPassword: string | undefined, password: string) {
  assertOwnCredential(actor, userId);
  const row = (await db("users").where({ id: userId }).first()) as { password_hash?: string | null } | undefined;
  if (!row) throw new DomainError("user_not_found", messages.users.userNotFound(userId), {}, "not_found");
  if (row.password_hash && !(await verifyPassword(currentPassword ?? "", row.password_hash))) {
    await audit.append(db, { actor, action: "user.password_change_refused", objectType: "user", objectId: userId, details: { reason: "current_password" } });
    throw new DomainError("current_password_required", messages.users.currentPasswordRequired, {}, "forbidden");
  }
  await setPassword(db, actor, userId, password);
}

/** Deactivates or reactivates an account (its tokens and sessions stop or resume at once); never one's own. */
export async function setActive(db: Knex, actor: Actor, userId: string, active: boolean) {
  if (actor.id === userId) throw new DomainError("self_deactivation", messages.users.selfDeactivation, {}, "forbidden");
  return db.transaction(async (trx) => {
    const user = await store.get(trx, userId);
    if (!user) throw new DomainError("user_not_found", messages.users.userNotFound(userId), {}, "not_found");
    await trx("users").where({ id: userId }).update({ active });
    if (!active) await trx("web_sessions").where({ user_id: userId }).delete();
    await audit.append(trx, { actor, action: active ? "user.reactivated" : "user.deactivated", objectType: "user", objectId: userId, details: { username: user.username } });
    return { ...user, active };
  });
}
