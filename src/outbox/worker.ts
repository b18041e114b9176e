import type { Knex } from "knex";
import { nowIso } from "../store/db";
import type { Logger } from "../log";
import { defaultBackoffMs, type Job, type JobContext } from "./job";
import { payloadOf, type OutboxRow } from "./outbox";

/**
 * Runs outbox jobs: claims due rows (pending, or running with an expired lease after a crash),
 * performs them, and marks them done or reschedules them with backoff. One worker per process;
 * claims are conditional updates, so several processes can share a database.
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

  /** Performs every job that is due now; returns how many ran. Also what tests call to drain. */
  runOnce(): Promise<number> {
    if (!this.running) {
      this.running = this.drain().finally(() => (this.running = undefined));
    }
    return this.running;
  }

  private async drain(): Promise<number> {
    const now = nowIso();
    const due: OutboxRow[] = await this.db("outbox")
      .where((q) =>
        q.where({ status: "pending" }).andWhere("next_attempt_at", "<=", now)
          .orWhere((q2) => q2.where({ status: "running" }).andWhere("locked_until", "<", now)),
      )
      .orderBy("id")
      .limit(this.opts.batch ?? 100);
    let ran = 0;
    for (const row of due) {
      if (this.stopped && this.opts.pollMs > 0) break;
      const leaseUntil = new Date(Date.now() + (this.opts.leaseMs ?? 120_000)).toISOString();
      const claimed = await this.db("outbox")
        .where({ id: row.id, status: row.status, attempts: row.attempts })
        .update({ status: "running", locked_until: leaseUntil, attempts: row.attempts + 1, updated_at: nowIso() });
      if (claimed !== 1) continue;
      await this.perform({ ...row, attempts: row.attempts + 1 });
      ran++;
    }
    return ran;
  }

  private async perform(row: OutboxRow): Promise<void> {
    const job = this.jobs.get(row.kind);
    const ctx: JobContext = { db: this.db, log: this.log, services: this.services };
    try {
      if (!job) throw new Error(`no job registered for kind ${row.kind}`);
      await job.perform(payloadOf(row), ctx);
      await this.db("outbox").where({ id: row.id }).update({
        status: "done", done_at: nowIso(), updated_at: nowIso(), locked_until: null, last_error: null,
      });
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      const max = job?.attempts ?? row.max_attempts;
      const dead = row.attempts >= max;
      const delay = (job?.backoffMs ?? defaultBackoffMs)(row.attempts);
      await this.db("outbox").where({ id: row.id }).update({
        status: dead ? "dead" : "pending",
        last_error: message.slice(0, 2000),
        next_attempt_at: new Date(Date.now() + delay).toISOString(),
        locked_until: null,
        updated_at: nowIso(),
      });
      this.log.warn({ job: row.kind, id: row.id, attempt: row.attempts, dead, err: message }, "outbox job failed");
    }
  }
}
