import type { Db } from "../store/db";
import { nowIso } from "../store/db";
import * as store from "../store/users";
import * as audit from "../audit/audit";
import { hashToken, sameHash } from "./tokens";

/**
 * Refused sign-ins as audit rows (issue: audit gaps).
 *
 * Every refused attempt below the rate limit is one `auth.failed` row with the client address,
 * the username tried (never the password or token) and why it was refused. Those rows are bounded
 * by the rate limiter itself (10 at once then 5 a minute per address on the web form, 20 then 10
 * on the API).
 *
 * Attempts refused because the source is over the limit are aggregated, so a flood cannot flood
 * the chain: per source (channel + address) the first refusal writes an `auth.rate_limited` row at
 * once; further refusals within `windowMs` are counted, and the count (with the usernames tried) is
 * written in the source's next row — at the next refusal after the window, when the source's next
 * non-limited attempt is audited, or when the service stops. Every refusal is thus counted in
 * exactly one row, and a source writes at most one rate-limited row per window.
 */
export type PasswordRefusal = "unknown_user" | "inactive_user" | "wrong_password";
export type TokenRefusal = "unknown_token" | "revoked_token" | "expired_token" | "inactive_user";

/** Why a username/password pair was refused (called only after checkPassword refused it). */
export async function passwordRefusalReason(db: Db, username: string): Promise<PasswordRefusal> {
  const user = await store.getByUsername(db, username);
  if (!user) return "unknown_user";
  if (!user.active) return "inactive_user";
  return "wrong_password";
}

/** Why a bearer secret was refused (called only after authenticate refused it). */
export async function tokenRefusalReason(db: Db, secret: string): Promise<TokenRefusal> {
  const hash = hashToken(secret);
  const token = await store.tokenByHash(db, hash);
  if (!token || !sameHash(token.token_hash, hash)) return "unknown_token";
  if (token.revoked_at) return "revoked_token";
  if (token.expires_at && token.expires_at <= nowIso()) return "expired_token";
  return "inactive_user";
}

interface Pending {
  writtenAt: number;
  count: number;
  firstAt?: string;
  lastAt?: string;
  usernames: Set<string>;
  details: Record<string, unknown>;
}

const MAX_USERNAMES = 20;

export class RateLimitedRefusals {
  private sources = new Map<string, Pending>();
  constructor(private windowMs = 60_000, private maxSources = 10_000) {}

  /** Records one refusal of an over-the-limit source; writes a row when the source's window allows. */
  async refused(db: Db, source: { via: string; ip: string; username?: string; details?: Record<string, unknown> }, now = Date.now()): Promise<void> {
    const key = `${source.via}\u0000${source.ip}`;
    let p = this.sources.get(key);
    const at = new Date(now).toISOString();
    if (!p) {
      if (this.sources.size >= this.maxSources) await this.flush(db);
      p = { writtenAt: -Infinity, count: 0, usernames: new Set(), details: {} };
      this.sources.set(key, p);
    }
    p.count += 1;
    p.firstAt ??= at;
    p.lastAt = at;
    if (source.username !== undefined && p.usernames.size < MAX_USERNAMES) p.usernames.add(source.username);
    p.details = { via: source.via, ip: source.ip, ...source.details };
    if (now - p.writtenAt >= this.windowMs) {
      p.writtenAt = now;
      await this.write(db, p);
    }
  }

  /** Writes the pending count of one source (before its next audited attempt). */
  async settle(db: Db, via: string, ip: string): Promise<void> {
    const key = `${via}\u0000${ip}`;
    const p = this.sources.get(key);
    if (!p) return;
    this.sources.delete(key);
    if (p.count > 0) await this.write(db, p);
  }

  /** Writes every pending count (on stop, or when too many sources are tracked). */
  async flush(db: Db): Promise<void> {
    const all = [...this.sources.values()];
    this.sources.clear();
    for (const p of all) if (p.count > 0) await this.write(db, p);
  }

  /** Takes the pending count synchronously (so concurrent refusals never count twice), then appends. */
  private async write(db: Db, p: Pending): Promise<void> {
    const details: Record<string, unknown> = { ...p.details, count: p.count, firstAt: p.firstAt, lastAt: p.lastAt };
    if (p.usernames.size) details.usernames = [...p.usernames];
    p.count = 0;
    p.firstAt = p.lastAt = undefined;
    p.usernames = new Set();
    await audit.append(db, { actor: "anonymous", action: "auth.rate_limited", details });
  }
}

/** One aggregator per running service (shared by the web sign-in and the API bearer check). */
const perService = new WeakMap<object, RateLimitedRefusals>();
export function rateLimitedRefusalsOf(services: object): RateLimitedRefusals {
  let r = perService.get(services);
  if (!r) perService.set(services, (r = new RateLimitedRefusals()));
  return r;
}
