import type { Job } from "../../outbox/job";
import type { Directory } from "../directory";

/** {serial} (one certificate) or {serials} (a dossier handed over together, src/directory/schedule.ts). */
export type PublishPayload = { serial: string } | { serials: string[] };

/** The serials of a payload; undefined when it is neither shape. */
export function serialsOf(p: unknown): string[] | undefined {
  const x = p as { serial?: unknown; serials?: unknown } | null;
  if (typeof x?.serial === "string") return [x.serial];
  if (Array.isArray(x?.serials) && x.serials.length > 0 && x.serials.every((s) => typeof s === "string")) return x.serials as string[];
  return undefined;
}

/**
 * directory.publish {serial} | {serials}: adds each certificate to its holder's entry (creating the
 * entry and the chain above it when absent) and brings the entry's other attributes in step.
 * Add-if-absent, so running twice leaves one value. While the directory is down it throws and the
 * outbox retries with backoff (1 s doubling, capped at 10 min; 30 attempts ≈ 4 days before it is
 * parked as dead, replayable through POST /api/outbox/:id/replay).
 * The worker hands due jobs over in batches (performBatch): the embedded directory reads the rows
 * of the certificates (250 at a time) and writes them into its index together. A job one of whose
 * certificates failed is retried whole (its other certificates are published again, which changes
 * nothing).
 */
export const publishCertificate: Job<PublishPayload> = {
  kind: "directory.publish",
  attempts: 30,
  // The worker always calls performBatch for this kind; perform() is the same for one job.
  perform: async (payload, ctx) => {
    const err = (await publishCertificate.performBatch!([{ id: 0, payload, attempt: 1 }], ctx))?.get(0);
    if (err) throw err;
  },
  batchSize: 1000,
  performBatch: async (jobs, ctx) => {
    const directory = ctx.services.directory as Directory;
    const failures = new Map<number, unknown>();
    const serialsByJob = new Map<number, string[]>();
    for (const j of jobs) {
      const serials = serialsOf(j.payload);
      if (serials) serialsByJob.set(j.id, serials);
      else failures.set(j.id, new Error("directory.publish needs {serial} or {serials}"));
    }
    const all = [...new Set([...serialsByJob.values()].flat())];
    const failed = await directory.publishCertificates(ctx.db, all);
    // The same serial queued twice (at issuance and at handover) fails or succeeds for both jobs.
    for (const [id, serials] of serialsByJob) {
      const mine = new Map(serials.filter((s) => failed.has(s)).map((s) => [s, failed.get(s)]));
      if (mine.size) failures.set(id, failureOf(mine));
    }
    return failures;
  },
};

/** One error for the certificates of a job that failed: the first cause, and how many. */
function failureOf(failed: Map<string, unknown>): Error {
  const [serial, err] = failed.entries().next().value as [string, unknown];
  const message = err instanceof Error ? err.message : String(err);
  return new Error(failed.size === 1 ? `${serial}: ${message}` : `${failed.size} certificates failed; ${serial}: ${message}`);
}
