import type { Actor } from "../../auth/actor";
import type { Db } from "../../store/db";
import * as reviews from "../../store/reviews";
import { transitionDossier } from "../dossiers/transition";
import type { DossierStatus } from "../dossiers/schema";
import { startClock } from "./clock";
import { CLOCK_RUNNING } from "./transitions";

/**
 * After the working calendar changes (an admin declares a day off or a make-up working day), the
 * deadlines of dossiers whose clock runs are computed again from their validSince, inside the
 * calendar edit's transaction; each change is recorded in the dossier's history and the audit.
 */
export async function recomputeRunningDeadlines(trx: Db, actor: Actor, reason: string): Promise<number> {
  const rows: { id: string; status: DossierStatus; valid_since: string; deadline: string | null }[] = await trx("dossiers")
    .whereIn("status", CLOCK_RUNNING as string[])
    .whereNotNull("valid_since")
    .select("id", "status", "valid_since", "deadline");
  let changed = 0;
  for (const r of rows) {
    const clock = await startClock(trx, new Date(r.valid_since));
    if (clock.deadline === r.deadline) continue;
    await transitionDossier(trx, actor, r.id, {
      action: "deadline_recomputed", to: r.status, deadline: clock.deadline, note: reason,
      changes: [{ field: "deadline", from: r.deadline, to: clock.deadline }],
      auditDetails: { deadlineDate: clock.deadlineDate },
    });
    await reviews.setReviewColumns(trx, r.id, { deadline_date: clock.deadlineDate });
    changed++;
  }
  return changed;
}
