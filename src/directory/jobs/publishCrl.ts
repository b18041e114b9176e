import type { Job } from "../../outbox/job";
import type { Directory } from "../directory";

/**
 * directory.publishCrl {ca}: writes the CA entry (cACertificate;binary) and replaces its
 * certificateRevocationList;binary / deltaRevocationList;binary with the newest CRLs, byte for byte
 * as signed. Replace is idempotent. Without a CRL in the database the attribute is left absent.
 */
export const publishCrl: Job<{ ca?: string; caName?: string }> = {
  kind: "directory.publishCrl",
  attempts: 30,
  perform: async (payload, ctx) => {
    const directory = ctx.services.directory as Directory;
    const caName = payload.ca ?? payload.caName;
    if (!caName) throw new Error("directory.publishCrl needs {ca}");
    await directory.publishCrl(ctx.db, caName);
  },
};
