import type { Db } from "../store/db";
import { enqueue } from "../outbox/outbox";
import {
  mailKinds, type AcceptancePayload, type CorrectionRequestPayload, type HandoverPayload, type MailSnapshot, type RejectionPayload,
} from "./payloads";

/**
 * Called by ra commands inside the decision's transaction. The dedupe key names the decision
 * (dossier + round or event), so a command retried after a crash enqueues one mail, not two.
 */
type WithoutKey<T extends MailSnapshot> = Omit<T, "key" | "to"> & { to: (string | null | undefined)[] };

const recipients = (to: (string | null | undefined)[]) => [
  ...new Set(to.filter((a): a is string => Boolean(a && a.trim())).map((a) => a.trim().toLowerCase())),
];

async function put<T extends MailSnapshot>(db: Db, kind: string, key: string, p: WithoutKey<T>) {
  const payload = { ...p, key, to: recipients(p.to) };
  await enqueue(db, { kind, payload: payload as unknown as Record<string, unknown>, dedupeKey: key, maxAttempts: 20 });
}

export const enqueueCorrectionRequest = (db: Db, p: WithoutKey<CorrectionRequestPayload>) =>
  put(db, mailKinds.correctionRequest, `mail:correction:${p.dossierId}:${p.round}`, p);

export const enqueueAccepted = (db: Db, p: WithoutKey<AcceptancePayload>) =>
  put(db, mailKinds.accepted, `mail:accepted:${p.dossierId}`, p);

export const enqueueRejected = (db: Db, p: WithoutKey<RejectionPayload>) =>
  put(db, mailKinds.rejected, `mail:rejected:${p.dossierId}`, p);

/** One per scheduled time: rescheduling the handover sends a new notice. */
export const enqueueReadyForHandover = (db: Db, p: WithoutKey<HandoverPayload>) =>
  put(db, mailKinds.readyForHandover, `mail:handover:${p.dossierId}:${p.handoverAt}`, p);
