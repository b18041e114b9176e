import type { Knex } from "knex";
import type { Logger } from "../log";

/** What a job's perform() gets besides its payload: the database and the service's parts. */
export interface JobContext {
  db: Knex;
  log: Logger;
  /** The running service's parts (mailer, directory publisher, …), looked up by name. */
  services: Record<string, unknown>;
}

/**
 * An outbox job: one file, idempotent, retries beside it (outline's BaseTask shape).
 * perform() may run more than once for the same row after a crash; it must converge.
 */
export interface Job<P = any> {
  kind: string;
  /** Attempts before the job is parked as dead (visible and replayable through the API). */
  attempts?: number;
  /** Backoff before attempt n (1-based), in ms. Default: exponential from 1 s, capped at 10 min. */
  backoffMs?: (attempt: number) => number;
  perform(payload: P, ctx: JobContext): Promise<void>;
}

export const defaultBackoffMs = (attempt: number) => Math.min(600_000, 1000 * 2 ** Math.max(0, attempt - 1));
