import type { Job } from "../../outbox/job";
import type { Directory } from "../directory";

/**
 * directory.publish {serial}: adds the certificate to its holder's entry (creating the entry and
 * the chain above it when absent) and brings the entry's other attributes in step. Add-if-absent,
 * so running twice leaves one value. While the directory is down it throws and the outbox retries
 * with backoff (1 s doubling, capped at 10 min; 30 attempts ≈ 4 days before it is parked as dead,
 * replayable through POST /api/outbox/:id/replay).
 * The worker hands due jobs over in batches (performBatch): the embedded directory reads the rows
 * of up to 1,000 certificates (250 at a time) and writes them into its index together; a
 * certificate that fails is retried on its own.
 */
export const publishCertificate: Job<{ serial: string }> = {
  kind: "directory.publish",
  attempts: 30,
  perform: async ({ serial }, ctx) => {
    const directory = ctx.services.directory as Directory;
    await directory.publishCertificate(ctx.db, serial);
  },
  batchSize: 1000,
  performBatch: async (jobs, ctx) => {
    const directory = ctx.services.directory as Directory;
    const failures = new Map<number, unknown>();
    const valid = jobs.filter((j) => {
      if (typeof j.payload?.serial === "string") return true;
      failures.set(j.id, new Error("directory.publish needs {serial}"));
      return false;
    });
    const failed = await directory.publishCertificates(ctx.db, valid.map((j) => j.payload.serial));
    // The same serial queued twice (at issuance and at handover) fails or succeeds for both jobs.
    for (const j of valid) if (failed.has(j.payload.serial)) failures.set(j.id, failed.get(j.payload.serial));
    return failures;
  },
};
