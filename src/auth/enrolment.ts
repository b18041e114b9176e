import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { Knex } from "knex";
import type { Services } from "../service";
import * as store from "../store/users";
import * as audit from "../audit/audit";
import { enqueue } from "../outbox/outbox";
import { nowIso, type Db } from "../store/db";
import { DomainError } from "../errors";
import { messages } from "../messages";
import { hashPassword } from "./passwords";
import { issueToken } from "./users";
import type { Actor } from "./actor";

/**
 * Enrolment (issue 8): how a person gets their first credential without an administrator ever
 * holding it. An administrator asks for a one-time code for a user; the code goes by e-mail (the
 * durable outbox) to the user's registered address; the user redeems it with a password of their
 * choice and receives their first API token once.
 *
 * The code is in no API response, no outbox payload (administrators read the outbox) and no table:
 * it is HMAC-SHA256(enrolment key, enrolment id), so the mail job derives the same code on every
 * retry, and the table keeps only its SHA-256. The enrolment key is 32 random bytes in
 * $DATA_DIR/enrolment.key (mode 0600), created at the first start; nodes sharing a database share it.
 */
export const ENROLMENT_KEY_FILE = "enrolment.key";
/** Wrong codes for a user's active enrolment before the code is locked for good. */
export const MAX_FAILED_ATTEMPTS = 5;
export const mailKindEnrolment = "mail.enrolment";

export type EnrolmentStatus = "active" | "superseded" | "redeemed" | "locked";

export interface EnrolmentRow {
  id: string;
  user_id: string;
  code_hash: string;
  status: EnrolmentStatus;
  email: string;
  created_at: string;
  created_by: string;
  expires_at: string;
  redeemed_at: string | null;
  failed_attempts: number;
}

/** What the enrolment mail job carries: everything but the code. */
export interface EnrolmentMailPayload {
  key: string;
  enrolmentId: string;
  userId: string;
  username: string;
  fullName: string;
  to: string[];
  expiresAt: string;
  decidedAt: string;
  activationUrl: string;
}

/** Reads the enrolment key, creating it (0600) when absent. */
export function loadEnrolmentKey(dataDir: string): Buffer {
  const file = path.join(dataDir, ENROLMENT_KEY_FILE);
  try {
    return Buffer.from(fs.readFileSync(file, "utf8").trim(), "hex");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
  }
  fs.mkdirSync(dataDir, { recursive: true });
  const key = crypto.randomBytes(32);
  try {
    fs.writeFileSync(file, key.toString("hex") + "\n", { mode: 0o600, flag: "wx" });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "EEXIST") return loadEnrolmentKey(dataDir);
    throw err;
  }
  return key;
}

/** 32 letters and digits without look-alikes (no I, O, 0, 1): 5 bits each. */
const ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

/** The code of an enrolment: 20 characters (100 bits) in groups of five, "ABCDE-FGHJK-…". */
export function codeFor(key: Buffer, enrolmentId: string): string {
  const mac = crypto.createHmac("sha256", key).update(`chungthu enrolment code\0${enrolmentId}`).digest();
  const chars = [...mac.subarray(0, 20)].map((b) => ALPHABET[b & 31]);
  return [0, 5, 10, 15].map((i) => chars.slice(i, i + 5).join("")).join("-");
}

/** Spaces, dashes and case do not matter when typing a code. */
export const normaliseCode = (code: string) => code.replace(/[\s-]+/g, "").toUpperCase();
export const hashCode = (code: string) => crypto.createHash("sha256").update(normaliseCode(code), "utf8").digest("hex");

const mask = (email: string) => email.replace(/^(.).*(@.*)$/, "$1***$2");

/**
 * An administrator sends a user an enrolment code. One active code per user: an earlier one is
 * superseded. The user must have a registered e-mail address and be active.
 */
export async function createEnrolment(s: Services, actor: Actor, userId: string) {
  const key = s.enrolmentKey;
  return s.db.transaction(async (trx) => {
    const user = await store.get(trx, userId);
    if (!user) throw new DomainError("user_not_found", messages.users.userNotFound(userId), {}, "not_found");
    if (!user.email) throw new DomainError("enrolment_no_email", messages.users.enrolmentNoEmail(user.username), { userId }, "conflict");
    if (!user.active) throw new DomainError("user_inactive", messages.users.userInactive, { userId }, "conflict");
    const superseded = await trx("enrolments").where({ user_id: userId, status: "active" }).update({ status: "superseded" });
    const now = new Date();
    const id = crypto.randomUUID();
    const row: EnrolmentRow = {
      id, user_id: userId, code_hash: hashCode(codeFor(key, id)), status: "active", email: user.email,
      created_at: now.toISOString(), created_by: actor.username,
      expires_at: new Date(now.getTime() + s.config.ENROLMENT_TTL_HOURS * 3600_000).toISOString(),
      redeemed_at: null, failed_attempts: 0,
    };
    await trx("enrolments").insert(row);
    const payload: EnrolmentMailPayload = {
      key: `mail:enrolment:${id}`, enrolmentId: id, userId, username: user.username, fullName: user.full_name, to: [user.email],
      expiresAt: row.expires_at, decidedAt: row.created_at,
      activationUrl: `${s.config.publicBaseUrl}/kich-hoat?u=${encodeURIComponent(user.username)}`,
    };
    await enqueue(trx, { kind: mailKindEnrolment, payload: payload as unknown as Record<string, unknown>, dedupeKey: payload.key, maxAttempts: 20 });
    await audit.append(trx, {
      actor, action: "enrolment.created", objectType: "user", objectId: userId,
      details: { enrolmentId: id, username: user.username, email: mask(user.email), expiresAt: row.expires_at, superseded },
    });
    return { id, userId, username: user.username, email: user.email, status: row.status, createdAt: row.created_at, expiresAt: row.expires_at };
  });
}

export interface RedeemInput {
  username: string;
  code: string;
  password: string;
  /** The client address, for the audit log. */
  ip?: string;
  via: "api" | "web";
}

type Failure = { code: string; message: string; kind: "invalid" | "gone" | "forbidden" };
const failures = {
  invalid: { code: "enrolment_invalid", message: messages.users.enrolmentInvalid, kind: "invalid" },
  expired: { code: "enrolment_expired", message: messages.users.enrolmentExpired, kind: "gone" },
  redeemed: { code: "enrolment_used", message: messages.users.enrolmentUsed, kind: "gone" },
  superseded: { code: "enrolment_superseded", message: messages.users.enrolmentSuperseded, kind: "gone" },
  locked: { code: "enrolment_locked", message: messages.users.enrolmentLocked, kind: "gone" },
  inactive: { code: "user_inactive", message: messages.users.userInactive, kind: "forbidden" },
} satisfies Record<string, Failure>;

/**
 * The user redeems their code: sets their password and gets their first API token (returned once).
 * A wrong, expired, used or superseded code is refused and audited (enrolment.failed) in its own
 * committed transaction; a wrong code counts against the user's active code, which is locked after
 * MAX_FAILED_ATTEMPTS. Which of those it was is told only to whoever holds a real code.
 */
export async function redeemEnrolment(db: Knex, input: RedeemInput) {
  const passwordHash = await hashPassword(input.password);
  const codeHash = hashCode(input.code);
  const outcome = await db.transaction(async (trx) => {
    const user = await store.getByUsername(trx, input.username);
    const row: EnrolmentRow | undefined = user ? await trx("enrolments").where({ code_hash: codeHash, user_id: user.id }).first() : undefined;
    const fail = async (reason: keyof typeof failures, extra: Record<string, unknown> = {}) => {
      await audit.append(trx, {
        actor: "anonymous", action: "enrolment.failed", objectType: "user", objectId: user?.id,
        details: { username: input.username.slice(0, 64), reason, ip: input.ip, via: input.via, enrolmentId: row?.id, ...extra },
      });
      return { ok: false as const, failure: failures[reason] };
    };
    if (!user || !row) {
      let locked = false;
      if (user) {
        const active: EnrolmentRow | undefined = await trx("enrolments").where({ user_id: user.id, status: "active" }).first();
        if (active) {
          const attempts = active.failed_attempts + 1;
          locked = attempts >= MAX_FAILED_ATTEMPTS;
          await trx("enrolments").where({ id: active.id }).update({ failed_attempts: attempts, ...(locked ? { status: "locked" } : {}) });
        }
      }
      return fail("invalid", locked ? { locked } : {});
    }
    if (row.status !== "active") return fail(row.status);
    if (row.expires_at <= nowIso()) return fail("expired");
    if (!user.active) return fail("inactive");
    const now = nowIso();
    const n = await trx("enrolments").where({ id: row.id, status: "active" }).update({ status: "redeemed", redeemed_at: now });
    if (n !== 1) return fail("redeemed");
    const actor: Actor = { id: user.id, username: user.username, roles: await store.rolesOf(trx, user.id) };
    await trx("users").where({ id: user.id }).update({ password_hash: passwordHash });
    await audit.append(trx, { actor, action: "user.password_set", objectType: "user", objectId: user.id, details: { via: "enrolment" } });
    const token = await issueToken(trx as Db, actor, user.id, { label: "enrolment" });
    await audit.append(trx, {
      actor, action: "enrolment.redeemed", objectType: "user", objectId: user.id,
      details: { enrolmentId: row.id, tokenId: token.id, ip: input.ip, via: input.via },
    });
    return { ok: true as const, user: { id: user.id, username: user.username, fullName: user.full_name }, token };
  });
  if (!outcome.ok) throw new DomainError(outcome.failure.code, outcome.failure.message, {}, outcome.failure.kind);
  return outcome;
}
