import type { Knex } from "knex";
import type { Logger } from "../log";

/** What a job's perform() gets besides its payload: the database and the service's parts. */
export interface JobContext {
  db: Knex;
  log: Logger;
  /** The running service's parts (mailer, directory publisher, …), looked up by name. */
  services: Record<string, unknown>;
}

/** One job of a batch handed to performBatch(). */
export interface BatchJob<P = any> {
  /** The outbox row's id: the key of the failures performBatch() reports. */
  id: number;
  payload: P;
  /** This attempt's number (1-based). */
  attempt: number;
}

/**
 * What performBatch() reports: the jobs that failed, by id, with their error. Every other job of
 * the batch is done. Each failed job is retried on its own backoff, alone or in a later batch.
 */
export type BatchFailures = Map<number, unknown>;

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
  /**
   * Optional: performs many due jobs of this kind at once (e.g. one read of their rows, one write
   * into the directory), with the same guarantees as perform() for each of them: idempotent, and
   * a job that fails is reported in the result (the others are done). Throwing fails every job of
   * the batch (each retried with its own backoff). Jobs of a kind without it run one by one.
   */
  performBatch?(jobs: BatchJob<P>[], ctx: JobContext): Promise<BatchFailures | void>;
  /** Most jobs one performBatch() call gets (default 500). */
  batchSize?: number;
}

export const defaultBackoffMs = (attempt: number) => Math.min(600_000, 1000 * 2 ** Math.max(0, attempt - 1));
