import type { Knex } from "knex";
import type { Actor } from "../../auth/actor";
import * as dossiers from "../../store/dossiers";
import * as reviews from "../../store/reviews";
import { authorize } from "../../policy/policy";
import { nowIso } from "../../store/db";
import { dossierNotFound } from "../dossiers/errors";
import { transitionDossier } from "../dossiers/transition";
import type { Dossier } from "../dossiers/schema";
import { checkTransition, type ReviewAction } from "../review/transitions";
import { resolveDeficiencies, type DeficiencyInput } from "../review/deficiencies";
import { noticeSnapshotOf, snapshotOf } from "../review/mailSnapshot";
import { enqueueAccepted, enqueueCorrectionRequest, enqueueRejected } from "../../mail/enqueue";

export interface ReviewInput {
  action: Extract<ReviewAction, "start" | "request_correction" | "accept" | "reject">;
  deficiencies?: DeficiencyInput[];
  reason?: string | null;
  version?: number;
}

/**
 * A reviewer's decision on a dossier: start the review, request correction (itemised
 * deficiencies; stops the clock; e-mails the agency the notice), accept, or reject (with a reason).
 * State, history, audit and the mail job are written in one transaction.
 */
export async function reviewDossier(db: Knex, actor: Actor, id: string, input: ReviewInput): Promise<Dossier> {
  return db.transaction(async (trx) => {
    const row = await dossiers.getForUpdate(trx, id);
    if (!row) throw dossierNotFound(id);
    const t = checkTransition(input.action, row.status, { deficiencies: input.deficiencies, reason: input.reason });
    // Separation of duties (src/policy/rules.ts "dossier.accept"): the policy sees who handled it.
    authorize(actor, t.policy, { ...row, handledBy: await dossiers.handledBy(trx, id) });
    const current = dossiers.toDossier(row);
    const at = nowIso();
    const reason = input.reason?.trim() || null;

    switch (input.action) {
      case "start": {
        const d = await transitionDossier(trx, actor, id, { action: t.event, to: t.to, expectedVersion: input.version, note: reason, auditDetails: { reason } });
        await reviews.setReviewColumns(trx, id, { reviewer_id: actor.id, reviewer: actor.username, review_started_at: at });
        return d;
      }
      case "request_correction": {
        const list = resolveDeficiencies(current, input.deficiencies ?? []);
        const cols = await reviews.reviewColumns(trx, id);
        const round = Number(cols?.correction_rounds ?? 0) + 1;
        // The clock is reset (t.clock): validSince and deadline are cleared until a corrected dossier is received.
        const reset = t.clock === "reset" ? { validSince: null, deadline: null } : {};
        const d = await transitionDossier(trx, actor, id, {
          action: t.event, to: t.to, expectedVersion: input.version, ...reset, note: reason,
          changes: { round, deficiencies: list, stoppedClock: { validSince: row.valid_since, deadline: row.deadline } },
          auditDetails: { round, deficiencies: list.length, fields: list.map((x) => x.field), reason },
        });
        await reviews.setReviewColumns(trx, id, { correction_rounds: round, deadline_date: null });
        await reviews.addDeficiencies(trx, id, round, list, at, actor.username);
        await enqueueCorrectionRequest(trx, {
          ...snapshotOf(current, actor, at), round, deficiencies: list, dossierVersion: d.version, notice: noticeSnapshotOf(current, list),
        });
        return d;
      }
      case "accept": {
        const d = await transitionDossier(trx, actor, id, { action: t.event, to: t.to, expectedVersion: input.version, note: reason, auditDetails: { reason } });
        await enqueueAccepted(trx, snapshotOf(current, actor, at));
        return d;
      }
      case "reject": {
        const d = await transitionDossier(trx, actor, id, {
          action: t.event, to: t.to, expectedVersion: input.version, note: reason, auditDetails: { reason },
        });
        await enqueueRejected(trx, { ...snapshotOf(current, actor, at), reason: reason! });
        return d;
      }
    }
  });
}
