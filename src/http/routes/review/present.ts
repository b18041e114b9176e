import { vnDateOf } from "../../../ra/calendar/dates";
import { CLOCK_RUNNING } from "../../../ra/review/transitions";
import type { QueueRow, ReviewerLoad, ReviewCounts } from "../../../ra/review/queue";
import type { Finding } from "../../../ra/review/findings";
import type { DeficiencyRow } from "../../../store/reviews";
import type { CatalogueReason } from "../../../ra/review/deficiencies";

/**
 * The review clock as a dossier shows it beside status, receivedAt, validSince and deadline (the
 * 24:00 instant): the last working day (Hà Nội) and whether the running clock has passed it.
 */
export const reviewClockView = (status: string, deadline: string | null, now = new Date()) => ({
  deadlineDate: deadline ? vnDateOf(new Date(Date.parse(deadline) - 1)) : null,
  overdue: Boolean(deadline && (CLOCK_RUNNING as readonly string[]).includes(status) && Date.parse(deadline) < now.getTime()),
});

export const presentQueueItem = (r: QueueRow) => ({
  id: r.id,
  number: r.number,
  kind: r.kind,
  status: r.status,
  agencyName: r.agency_name,
  receivedAt: r.received_at,
  validSince: r.valid_since,
  deadline: r.deadline,
  ...reviewClockView(r.status, r.deadline),
  reviewer: r.reviewer,
  reviewStartedAt: r.review_started_at,
  correctionRounds: Number(r.correction_rounds),
});

export const presentReviewerLoad = (g: ReviewerLoad) => ({
  reviewerId: g.reviewerId, reviewer: g.reviewer, total: g.total, overdue: g.overdue, dueToday: g.dueToday,
});

export const presentCounts = (c: ReviewCounts) => ({
  byStatus: c.byStatus, clockRunning: c.clockRunning, overdue: c.overdue, dueToday: c.dueToday, unassigned: c.unassigned,
  byReviewer: c.byReviewer.map(presentReviewerLoad), at: c.at,
});

export const presentFinding = (f: Finding) => ({ code: f.code, message: f.message, field: f.field, row: f.row, details: f.details });

export const presentDeficiency = (r: DeficiencyRow) => ({
  round: Number(r.round), field: r.field, fieldLabel: r.field_label, row: r.row === null ? null : Number(r.row), rowLabel: r.row_label,
  reason: r.reason, requestedAt: r.requested_at, requestedBy: r.requested_by,
});

export const presentReason = (c: CatalogueReason) => ({ code: c.code, field: c.field, reason: c.reason });
