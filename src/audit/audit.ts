import crypto from "node:crypto";
import type { Db } from "../store/db";
import { nowIso, toJson } from "../store/db";
import type { Actor } from "../auth/actor";

/**
 * Append-only, hash-chained audit log. Each row's hash covers its content and the previous row's
 * hash, so editing, deleting or reordering a row breaks the chain (checked by verifyChain).
 * Call append inside the transaction that makes the change it records.
 */
export interface AuditEntry {
  actor: Actor | string;
  action: string;
  objectType?: string;
  objectId?: string;
  details?: Record<string, unknown>;
}

export interface AuditRow {
  seq: number;
  at: string;
  actor: string;
  action: string;
  object_type: string | null;
  object_id: string | null;
  details: string;
  prev_hash: string;
  hash: string;
}

/** Advisory lock key of the audit chain (any constant; "audit" in ASCII). */
const AUDIT_LOCK_KEY = 0x6175646974;

export const GENESIS_HASH = "0".repeat(64);

export function rowHash(r: Omit<AuditRow, "hash">): string {
  const canonical = JSON.stringify([
    Number(r.seq), r.at, r.actor, r.action, r.object_type ?? null, r.object_id ?? null, r.details, r.prev_hash,
  ]);
  return crypto.createHash("sha256").update(canonical, "utf8").digest("hex");
}

export async function append(db: Db, entry: AuditEntry): Promise<AuditRow> {
  // PostgreSQL: FOR UPDATE on the last row does not stop two transactions from both reading it as
  // last (READ COMMITTED re-reads the locked row, not the new one), so appends are serialised by a
  // transaction-scoped advisory lock, released at commit. SQLite writers are serial already.
  if ((db.client.config.client as string) === "pg") await db.raw("SELECT pg_advisory_xact_lock(?)", [AUDIT_LOCK_KEY]);
  const last = await db("audit_log").select("seq", "hash").orderBy("seq", "desc").limit(1).forUpdate().first();
  const row: Omit<AuditRow, "hash"> = {
    seq: last ? Number(last.seq) + 1 : 1,
    at: nowIso(),
    actor: typeof entry.actor === "string" ? entry.actor : entry.actor.username,
    action: entry.action,
    object_type: entry.objectType ?? null,
    object_id: entry.objectId ?? null,
    details: toJson(entry.details ?? {}),
    prev_hash: last ? last.hash : GENESIS_HASH,
  };
  const full = { ...row, hash: rowHash(row) };
  await db("audit_log").insert(full);
  return full;
}

export interface ChainReport {
  ok: boolean;
  rows: number;
  firstBroken?: { seq: number; reason: string };
}

/** Walks the chain in order; reports the first row whose link or content does not match. */
export async function verifyChain(db: Db, batch = 5000): Promise<ChainReport> {
  let prev = GENESIS_HASH;
  let expectedSeq = 1;
  let rows = 0;
  for (let after = 0; ; ) {
    const page: AuditRow[] = await db("audit_log").where("seq", ">", after).orderBy("seq").limit(batch);
    if (page.length === 0) break;
    for (const r of page) {
      const seq = Number(r.seq);
      if (seq !== expectedSeq) return { ok: false, rows, firstBroken: { seq, reason: `missing row ${expectedSeq}` } };
      if (r.prev_hash !== prev) return { ok: false, rows, firstBroken: { seq, reason: "prev_hash does not link" } };
      if (rowHash(r) !== r.hash) return { ok: false, rows, firstBroken: { seq, reason: "content does not match hash" } };
      prev = r.hash;
      expectedSeq++;
      rows++;
      after = seq;
    }
  }
  return { ok: true, rows };
}
