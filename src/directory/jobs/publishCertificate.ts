import type { Job } from "../../outbox/job";
import type { Directory } from "../directory";

/**
 * directory.publish {serial}: adds the certificate to its holder's entry (creating the entry and
 * the chain above it when absent) and brings the entry's other attributes in step. Add-if-absent,
 * so running twice leaves one value. While the directory is down it throws and the outbox retries
 * with backoff (1 s doubling, capped at 10 min; 30 attempts ≈ 4 days before it is parked as dead,
 * replayable through POST /api/outbox/:id/replay).
 */
export const publishCertificate: Job<{ serial: string }> = {
  kind: "directory.publish",
  attempts: 30,
  perform: async ({ serial }, ctx) => {
    const directory = ctx.services.directory as Directory;
    await directory.publishCertificate(ctx.db, serial);
  },
};
