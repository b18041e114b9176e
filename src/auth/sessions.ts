import crypto from "node:crypto";
import type { Db } from "../store/db";
import { nowIso } from "../store/db";
import * as users from "../store/users";
import type { Actor } from "./actor";
import { hashToken } from "./tokens";

/** Server-side web sessions: the cookie holds a random secret, the table its SHA-256. */
export const SESSION_HOURS = 10;

export async function createSession(db: Db, userId: string) {
  const secret = crypto.randomBytes(32).toString("base64url");
  const csrf = crypto.randomBytes(24).toString("base64url");
  const expiresAt = new Date(Date.now() + SESSION_HOURS * 3600_000).toISOString();
  await db("web_sessions").insert({ id_hash: hashToken(secret), user_id: userId, csrf_token: csrf, created_at: nowIso(), expires_at: expiresAt });
  return { secret, csrf, expiresAt };
}

export async function sessionActor(db: Db, secret: string): Promise<{ actor: Actor; csrf: string; fullName: string } | undefined> {
  const row = await db("web_sessions").where({ id_hash: hashToken(secret) }).first();
  if (!row || row.expires_at <= nowIso()) return undefined;
  const user = await users.get(db, row.user_id);
  if (!user || !user.active) return undefined;
  return { actor: { id: user.id, username: user.username, roles: await users.rolesOf(db, user.id) }, csrf: row.csrf_token, fullName: user.full_name };
}

export const destroySession = (db: Db, secret: string) => db("web_sessions").where({ id_hash: hashToken(secret) }).delete();
