import type { Knex } from "knex";
import type { Db } from "../store/db";
import type { Actor } from "../auth/actor";
import { append } from "../audit/audit";
import { fromJson, nowIso, toJson } from "../store/db";

/**
 * The durable outbox: work that must happen after a decision (publish, mail, CRL) is written in the
 * same transaction as the decision, then performed by the worker with retries.
 */
export interface EnqueueInput {
  kind: string;
  payload: Record<string, unknown>;
  /** A job with the same key is enqueued once only (e.g. "mail:correction:<dossier>:<version>"). */
  dedupeKey?: string;
  maxAttempts?: number;
  notBefore?: Date;
}

export interface OutboxRow {
  id: number;
  kind: string;
  payload: string;
  dedupe_key: string | null;
  status: "pending" | "running" | "done" | "dead";
  attempts: number;
  max_attempts: number;
  next_attempt_at: string;
  locked_until: string | null;
  last_error: string | null;
  created_at: string;
  updated_at: string;
  done_at: string | null;
}

/** The outbox row of a job, as it is first written. */
const rowOf = (input: EnqueueInput, now: string) => ({
  kind: input.kind,
  payload: toJson(input.payload),
  dedupe_key: input.dedupeKey ?? null,
  status: "pending",
  attempts: 0,
  max_attempts: input.maxAttempts ?? 12,
  next_attempt_at: (input.notBefore ?? new Date()).toISOString(),
  created_at: now,
  updated_at: now,
});

export async function enqueue(db: Db, input: EnqueueInput): Promise<void> {
  const row = rowOf(input, nowIso());
  if (input.dedupeKey) {
    await db("outbox").insert(row).onConflict("dedupe_key").ignore();
  } else {
    await db("outbox").insert(row);
  }
}

/**
 * Enqueues many jobs with one INSERT per 200 (a batch's publications, in its transaction).
 * Jobs with a dedupe key already queued are skipped, as enqueue() does.
 */
export async function enqueueMany(db: Db, inputs: EnqueueInput[]): Promise<void> {
  const now = nowIso();
  const rows = inputs.map((input) => rowOf(input, now));
  for (let i = 0; i < rows.length; i += 200) {
    const part = rows.slice(i, i + 200);
    if (part.some((r) => r.dedupe_key)) await db("outbox").insert(part).onConflict("dedupe_key").ignore();
    else await db("outbox").insert(part);
  }
}

export interface ListFilter {
  status?: string;
  kind?: string;
  limit?: number;
  offset?: number;
}

export async function list(db: Db, f: ListFilter = {}): Promise<{ items: OutboxRow[]; total: number }> {
  const base = db("outbox").modify((q) => {
    if (f.status) q.where("status", f.status);
    if (f.kind) q.where("kind", f.kind);
  });
  const [{ n }] = await base.clone().count({ n: "*" });
  const items = await base.clone().orderBy("id", "desc").limit(f.limit ?? 50).offset(f.offset ?? 0);
  return { items, total: Number(n) };
}

export const get = (db: Db, id: number): Promise<OutboxRow | undefined> => db("outbox").where({ id }).first();

/** Puts a dead or pending job back at the head of the queue (operator's replay). */
export async function replay(db: Db, id: number, actor?: Actor): Promise<boolean> {
  if (actor) {
    // An operator's replay is a decision: audited in the same transaction (issue 8).
    const run = async (trx: Db) => {
      const ok = await replay(trx, id);
      if (ok) await append(trx, { actor, action: "outbox.replayed", objectType: "outbox", objectId: String(id) });
      return ok;
    };
    return (db as Knex.Transaction).isTransaction ? run(db) : (db as Knex).transaction(run);
  }
  const n = await db("outbox")
    .where({ id })
    .whereIn("status", ["dead", "pending", "done"])
    .update({ status: "pending", attempts: 0, next_attempt_at: nowIso(), updated_at: nowIso(), locked_until: null });
  return n > 0;
}

export async function backlog(db: Db): Promise<{ pending: number; dead: number; oldestPendingAt: string | null }> {
  const rows: { status: string; n: number | string; oldest: string | null }[] = await db("outbox")
    .select("status")
    .count({ n: "*" })
    .min({ oldest: "created_at" })
    .whereIn("status", ["pending", "running", "dead"])
    .groupBy("status");
  const get = (s: string) => rows.find((r) => r.status === s);
  const pending = Number(get("pending")?.n ?? 0) + Number(get("running")?.n ?? 0);
  return { pending, dead: Number(get("dead")?.n ?? 0), oldestPendingAt: get("pending")?.oldest ?? null };
}

export const payloadOf = <P>(row: OutboxRow) => fromJson<P>(row.payload);
