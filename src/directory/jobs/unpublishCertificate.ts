import type { Job } from "../../outbox/job";
import type { Directory } from "../directory";

/**
 * directory.unpublish {serial}: removes a revoked or expired certificate from its holder's entry:
 * exactly that value, never the attribute, so the holder's other certificates stay. Deleting a
 * value that is already gone (LDAP 16) counts as done. A certificate that is still valid is kept.
 */
export const unpublishCertificate: Job<{ serial: string }> = {
  kind: "directory.unpublish",
  attempts: 30,
  perform: async ({ serial }, ctx) => {
    const directory = ctx.services.directory as Directory;
    await directory.unpublishCertificate(ctx.db, serial);
  },
};
