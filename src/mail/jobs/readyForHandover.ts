import type { Job } from "../../outbox/job";
import { mailKinds, type HandoverPayload } from "../payloads";
import { mailBackoffMs, mailJobAttempts, sendFromSnapshot } from "./send";

/** E-mails the time and place of the key-device handover. */
export const readyForHandoverMail: Job<HandoverPayload> = {
  kind: mailKinds.readyForHandover,
  attempts: mailJobAttempts,
  backoffMs: mailBackoffMs,
  perform: (p, ctx) => sendFromSnapshot(ctx, mailKinds.readyForHandover, "ready_for_handover", p, { note: p.note ?? null }),
};
