import type { Knex } from "knex";
import type { Actor } from "../../auth/actor";
import * as dossiers from "../../store/dossiers";
import * as reviews from "../../store/reviews";
import { authorize } from "../../policy/policy";
import { DomainError } from "../../errors";
import { messages } from "../../messages";
import { dossierNotFound } from "../dossiers/errors";
import { transitionDossier } from "../dossiers/transition";
import type { Dossier } from "../dossiers/schema";
import { checkTransition } from "../review/transitions";
import { startClock } from "../review/clock";

export interface SubmitInput {
  /** When the provider received the paper (in person or by post); default now. Not in the future. */
  receivedAt?: string;
  /** The version the clerk saw; a newer dossier is a conflict. */
  version?: number;
}

/**
 * Marks a draft (first receipt) or a corrected dossier (resubmission) as received and starts the
 * review clock: validSince = the receipt, deadline = 24:00 of the 3rd working day after it.
 * receivedAt keeps the first receipt; a resubmission only moves validSince and the deadline.
 */
export async function submitDossier(db: Knex, actor: Actor, id: string, input: SubmitInput = {}): Promise<Dossier> {
  return db.transaction(async (trx) => {
    const row = await dossiers.getForUpdate(trx, id);
    if (!row) throw dossierNotFound(id);
    const t = checkTransition("submit", row.status);
    authorize(actor, t.policy, row);
    const now = new Date();
    let at = input.receivedAt ? new Date(input.receivedAt) : undefined;
    if (at && at.getTime() > now.getTime() + 60_000) {
      throw new DomainError("received_in_future", messages.review.receivedInFuture, { field: "receivedAt" });
    }
    // A draft may carry the paper's arrival time, typed in by the clerk when it was created.
    if (!at && row.status === "draft" && row.received_at) at = new Date(row.received_at);
    at ??= now;
    const clock = await startClock(trx, at);
    const resubmission = row.status === "corrected";
    const d = await transitionDossier(trx, actor, id, {
      action: resubmission ? "resubmitted" : "received",
      to: t.to,
      expectedVersion: input.version,
      receivedAt: resubmission && row.received_at ? row.received_at : at.toISOString(),
      validSince: clock.validSince,
      deadline: clock.deadline,
      auditDetails: { deadlineDate: clock.deadlineDate },
    });
    await reviews.setReviewColumns(trx, id, { deadline_date: clock.deadlineDate });
    return d;
  });
}
