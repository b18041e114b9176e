import type { Job } from "../../outbox/job";
import { mailKinds, type RejectionPayload } from "../payloads";
import { mailBackoffMs, mailJobAttempts, sendFromSnapshot } from "./send";

/** E-mails the agency that its dossier was rejected, with the reason. */
export const rejectedMail: Job<RejectionPayload> = {
  kind: mailKinds.rejected,
  attempts: mailJobAttempts,
  backoffMs: mailBackoffMs,
  perform: (p, ctx) => sendFromSnapshot(ctx, mailKinds.rejected, "rejected", p),
};
