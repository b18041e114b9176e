import type { Job } from "../../outbox/job";
import { mailKinds, type AcceptancePayload } from "../payloads";
import { mailBackoffMs, mailJobAttempts, sendFromSnapshot } from "./send";

/** E-mails the agency that its dossier was accepted. */
export const acceptedMail: Job<AcceptancePayload> = {
  kind: mailKinds.accepted,
  attempts: mailJobAttempts,
  backoffMs: mailBackoffMs,
  perform: (p, ctx) => sendFromSnapshot(ctx, mailKinds.accepted, "accepted", p),
};
