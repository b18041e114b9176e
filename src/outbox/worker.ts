import type { Knex } from "knex";
import { nowIso } from "../store/db";
import type { Logger } from "../log";
import { defaultBackoffMs, type BatchFailures, type BatchJob, type Job, type JobContext } from "./job";
import { payloadOf, type OutboxRow } from "./outbox";

/** Rows per IN (…) list: well under SQLite's and PostgreSQL's bound-parameter limits. */
const IN_CHUNK = 500;

/**
 * Runs outbox jobs: claims due rows (pending, or running with an expired lease after a crash) in
 * batches — one conditional UPDATE … RETURNING per batch, after a SELECT … FOR UPDATE SKIP LOCKED
 * on PostgreSQL so several processes can share a database without waiting on each other — performs
 * them, and marks them done (one UPDATE per batch) or reschedules each failed one with its backoff.
 * A kind with performBatch() gets its consecutive due jobs together; the others run one by one, in
 * the order they were queued. A claim is a lease: jobs claimed by a worker that died are claimed
 * again when it expires, so every job is performed at least once (jobs are idempotent).
 */
export class OutboxWorker {
  private jobs = new Map<string, Job>();
  private timer?: NodeJS.Timeout;
  private running?: Promise<number>;
  private stopped = true;

  constructor(
    private db: Knex,
    private log: Logger,
    private services: Record<string, unknown>,
    private opts: { pollMs: number; batch?: number; leaseMs?: number } = { pollMs: 500 },
  ) {}

  register(...jobs: Job[]): this {
    for (const j of jobs) this.jobs.set(j.kind, j);
    return this;
  }

  start(): void {
    if (this.opts.pollMs <= 0) return;
    this.stopped = false;
    const tick = async () => {
      if (this.stopped) return;
      try {
        await this.runOnce();
      } catch (err) {
        this.log.error({ err }, "outbox tick failed");
      }
      if (!this.stopped) this.timer = setTimeout(tick, this.opts.pollMs);
    };
    this.timer = setTimeout(tick, 0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running?.catch(() => undefined);
  }

  /** Performs one batch of the jobs that are due now; returns how many ran. Also what tests call to drain. */
  runOnce(): Promise<number> {
    if (!this.running) {
      this.running = this.drain().finally(() => (this.running = undefined));
    }
    return this.running;
  }

  private get isPg() {
    return (this.db.client.config.client as string) === "pg";
  }

  /**
   * Claims up to `limit` due jobs: status running, attempts + 1, the lease.
   * - SQLite: one UPDATE … WHERE id IN (SELECT … LIMIT n) … RETURNING (the subquery is evaluated
   *   once, and SQLite runs one writer at a time, so two workers never claim the same row);
   * - PostgreSQL: in one transaction, SELECT … LIMIT n FOR UPDATE SKIP LOCKED, then the UPDATE of
   *   those ids … RETURNING. (A LIMIT subquery inside the UPDATE may be evaluated more than once
   *   there and claim more than n rows; the locks taken by the SELECT keep other workers off the
   *   rows until the claim commits, and SKIP LOCKED lets them take the next ones meanwhile.)
   * The due condition is checked again by the UPDATE itself.
   */
  private async claim(limit: number, leaseUntil: string): Promise<OutboxRow[]> {
    const now = nowIso();
    const due = (q: Knex.QueryBuilder) =>
      q.where((q1) => q1.where("status", "pending").andWhere("next_attempt_at", "<=", now))
        .orWhere((q2) => q2.where("status", "running").andWhere("locked_until", "<", now));
    const claimed = { status: "running", locked_until: leaseUntil, attempts: this.db.raw("attempts + 1"), updated_at: now };
    let rows: OutboxRow[];
    if (this.isPg) {
      rows = await this.db.transaction(async (trx) => {
        const ids = (await trx("outbox").select("id").where(due).orderBy("id").limit(limit).forUpdate().skipLocked()).map((r) => r.id);
        if (!ids.length) return [];
        return trx("outbox").whereIn("id", ids).andWhere(due).update(claimed, "*");
      });
    } else {
      rows = await this.db("outbox")
        .whereIn("id", this.db("outbox").select("id").where(due).orderBy("id").limit(limit))
        .andWhere(due)
        .update(claimed, "*");
    }
    return rows.map((r) => ({ ...r, id: Number(r.id) })).sort((a, b) => a.id - b.id);
  }

  private async drain(): Promise<number> {
    const leaseMs = this.opts.leaseMs ?? 120_000;
    let leaseUntil = new Date(Date.now() + leaseMs).toISOString();
    let leasedAt = Date.now();
    let claimed = await this.claim(this.opts.batch ?? 1000, leaseUntil);
    let ran = 0;
    for (let i = 0; i < claimed.length; ) {
      if (this.stopped && this.opts.pollMs > 0) {
        await this.release(claimed.slice(i), leaseUntil);
        break;
      }
      if (Date.now() - leasedAt > leaseMs / 2) {
        // Slow jobs (mail one by one, an external directory) would outlast the claim's lease:
        // the jobs not started yet get a new one, and those another worker took meanwhile
        // (after a stall past the lease) are left to it.
        const next = new Date(Date.now() + leaseMs).toISOString();
        const kept = await this.renew(claimed.slice(i), leaseUntil, next);
        claimed = [...claimed.slice(0, i), ...claimed.slice(i).filter((r) => kept.has(r.id))];
        leaseUntil = next;
        leasedAt = Date.now();
        continue;
      }
      const row = claimed[i];
      const job = this.jobs.get(row.kind);
      if (job?.performBatch) {
        // The run of consecutive jobs of this kind, up to its batch size.
        let j = i + 1;
        const max = job.batchSize ?? 500;
        while (j < claimed.length && j - i < max && claimed[j].kind === row.kind) j++;
        await this.performBatch(job, claimed.slice(i, j), leaseUntil);
        ran += j - i;
        i = j;
      } else {
        await this.perform(job, row, leaseUntil);
        ran++;
        i++;
      }
    }
    return ran;
  }

  /** Extends the lease of claimed jobs still held under `from`; returns the ids still ours. */
  private async renew(rows: OutboxRow[], from: string, to: string): Promise<Set<number>> {
    const kept = new Set<number>();
    for (let i = 0; i < rows.length; i += IN_CHUNK) {
      const got: { id: number | string }[] = await this.db("outbox").whereIn("id", rows.slice(i, i + IN_CHUNK).map((r) => r.id))
        .where({ status: "running", locked_until: from })
        .update({ locked_until: to, updated_at: nowIso() }, ["id"]);
      for (const r of got) kept.add(Number(r.id));
    }
    return kept;
  }

  private ctx(): JobContext {
    return { db: this.db, log: this.log, services: this.services };
  }

  /** Gives back claimed jobs that were not started (a stop mid-batch): due again at once. */
  private async release(rows: OutboxRow[], leaseUntil: string): Promise<void> {
    for (let i = 0; i < rows.length; i += IN_CHUNK) {
      await this.db("outbox").whereIn("id", rows.slice(i, i + IN_CHUNK).map((r) => r.id))
        .where({ status: "running", locked_until: leaseUntil })
        .update({ status: "pending", attempts: this.db.raw("attempts - 1"), locked_until: null, updated_at: nowIso() });
    }
  }

  /**
   * Marks jobs done, one UPDATE per IN_CHUNK rows; only while they are still ours (running under
   * this lease), so a job whose lease ran out and that another worker took is left to it.
   */
  private async markDone(rows: OutboxRow[], leaseUntil: string): Promise<void> {
    const at = nowIso();
    for (let i = 0; i < rows.length; i += IN_CHUNK) {
      await this.db("outbox").whereIn("id", rows.slice(i, i + IN_CHUNK).map((r) => r.id))
        .where({ status: "running", locked_until: leaseUntil })
        .update({ status: "done", done_at: at, updated_at: at, locked_until: null, last_error: null });
    }
  }

  /** Reschedules a failed job with its backoff, or parks it as dead after its last attempt. */
  private async fail(job: Job | undefined, row: OutboxRow, err: unknown, leaseUntil: string): Promise<void> {
    const message = err instanceof Error ? err.message : String(err);
    const max = job?.attempts ?? row.max_attempts;
    const dead = row.attempts >= max;
    const delay = (job?.backoffMs ?? defaultBackoffMs)(row.attempts);
    await this.db("outbox").where({ id: row.id, status: "running", locked_until: leaseUntil }).update({
      status: dead ? "dead" : "pending",
      last_error: message.slice(0, 2000),
      next_attempt_at: new Date(Date.now() + delay).toISOString(),
      locked_until: null,
      updated_at: nowIso(),
    });
    this.log.warn({ job: row.kind, id: row.id, attempt: row.attempts, dead, err: message }, "outbox job failed");
  }

  private async perform(job: Job | undefined, row: OutboxRow, leaseUntil: string): Promise<void> {
    try {
      if (!job) throw new Error(`no job registered for kind ${row.kind}`);
      await job.perform(payloadOf(row), this.ctx());
    } catch (err) {
      await this.fail(job, row, err, leaseUntil);
      return;
    }
    await this.markDone([row], leaseUntil);
  }

  /**
   * Performs a run of jobs of one kind with performBatch(): the jobs it reports as failed (or all
   * of them, when it throws) are rescheduled one by one; the rest are marked done together.
   */
  private async performBatch(job: Job, rows: OutboxRow[], leaseUntil: string): Promise<void> {
    const failures: BatchFailures = new Map();
    const batch: BatchJob[] = [];
    for (const row of rows) {
      try {
        batch.push({ id: row.id, payload: payloadOf(row), attempt: row.attempts });
      } catch (err) {
        failures.set(row.id, err); // an unreadable payload fails alone
      }
    }
    if (batch.length) {
      try {
        const reported = await job.performBatch!(batch, this.ctx());
        for (const [id, err] of reported ?? []) failures.set(Number(id), err);
      } catch (err) {
        for (const b of batch) failures.set(b.id, err);
      }
    }
    await this.markDone(rows.filter((r) => !failures.has(r.id)), leaseUntil);
    for (const row of rows) if (failures.has(row.id)) await this.fail(job, row, failures.get(row.id), leaseUntil);
  }
}
