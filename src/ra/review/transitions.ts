import { DomainError } from "../../errors";
import { messages } from "../../messages";
import type { DossierStatus } from "../dossiers/schema";

/**
 * The review state machine, in one place: every status change a review-related command may make,
 * as data (action, from, to, policy action) plus its guard. Commands look their transition up
 * here and nowhere else decides whether a dossier may move.
 *
 *   draft ──submit──▶ received ──start──▶ under_review ──accept──▶ accepted ▶ (fulfilment, below)
 *                        ▲                     │  └──reject──▶ rejected
 *                        │              request_correction
 *                      submit                  ▼
 *   corrected ◀──correct (PATCH)── needs_correction
 *   (draft, received, under_review, needs_correction, corrected) ──withdraw──▶ withdrawn
 *
 * Decree 68/2024 procedure step 2 (design.md §1): the provider checks a valid dossier within 03
 * working days; an incomplete dossier is returned with itemised deficiencies and the clock starts
 * again only when a valid dossier is received (submit of the corrected dossier).
 */
export type ReviewAction = "submit" | "correct" | "start" | "request_correction" | "accept" | "reject" | "withdraw";

export interface TransitionInputs {
  deficiencies?: unknown[];
  reason?: string | null;
}

export interface Transition {
  action: ReviewAction;
  from: readonly DossierStatus[];
  to: DossierStatus;
  /** The policy action the actor needs (src/policy/rules.ts). */
  policy: string;
  /** History/audit action name: "dossier.<event>". */
  event: string;
  /** What the input must carry; throws a DomainError (400) when it does not. */
  guard?: (input: TransitionInputs) => void;
  /**
   * The review clock: "start" sets validSince and the deadline; "reset" clears them (a request for
   * correction: the next valid receipt starts a new clock); "keep" leaves them as a record. The
   * clock runs only in CLOCK_RUNNING statuses, so leaving them stops it.
   */
  clock: "start" | "reset" | "keep";
}

const needsDeficiencies = (i: TransitionInputs) => {
  if (!i.deficiencies || i.deficiencies.length === 0) {
    throw new DomainError("deficiencies_required", messages.review.deficienciesRequired, { field: "deficiencies" });
  }
};
const needsReason = (i: TransitionInputs) => {
  if (!i.reason || !i.reason.trim()) throw new DomainError("reason_required", messages.review.reasonRequired, { field: "reason" });
};

export const TRANSITIONS: readonly Transition[] = [
  { action: "submit", from: ["draft", "corrected"], to: "received", policy: "dossier.submit", event: "received", clock: "start" },
  { action: "correct", from: ["needs_correction"], to: "corrected", policy: "dossier.edit", event: "corrected", clock: "keep" },
  { action: "start", from: ["received"], to: "under_review", policy: "dossier.review", event: "review_started", clock: "keep" },
  {
    action: "request_correction", from: ["under_review"], to: "needs_correction", policy: "dossier.review",
    event: "correction_requested", guard: needsDeficiencies, clock: "reset",
  },
  { action: "accept", from: ["under_review"], to: "accepted", policy: "dossier.accept", event: "accepted", clock: "keep" },
  { action: "reject", from: ["under_review"], to: "rejected", policy: "dossier.review", event: "rejected", guard: needsReason, clock: "keep" },
  {
    action: "withdraw", from: ["draft", "received", "under_review", "needs_correction", "corrected"], to: "withdrawn",
    policy: "dossier.withdraw", event: "withdrawn", guard: needsReason, clock: "keep",
  },
];

const byAction = new Map(TRANSITIONS.map((t) => [t.action, t]));

export const transitionOf = (action: ReviewAction): Transition => byAction.get(action)!;

/** The transition for an action from a status, or a 409 naming both states in Vietnamese. */
export function checkTransition(action: ReviewAction, from: string, input: TransitionInputs = {}): Transition {
  const t = transitionOf(action);
  if (!(t.from as readonly string[]).includes(from)) {
    throw new DomainError(
      "invalid_transition",
      messages.review.transitionNotAllowed(action, from, t.to),
      { action, from, to: t.to, fromLabel: messages.review.statusName(from), toLabel: messages.review.statusName(t.to), allowedFrom: t.from },
      "conflict",
    );
  }
  t.guard?.(input);
  return t;
}

/** The status a content edit (PATCH, list upload) leaves the dossier in: an edit answers a request for correction. */
export const statusAfterEdit = (status: DossierStatus): DossierStatus =>
  (transitionOf("correct").from as readonly string[]).includes(status) ? transitionOf("correct").to : status;

/** Statuses in which the review clock runs (a deadline is set and can be missed). */
export const CLOCK_RUNNING: readonly DossierStatus[] = ["received", "under_review"];

/** Statuses of a dossier still being handled before issuance: "open" for duplicate checks. */
export const OPEN_STATUSES: readonly DossierStatus[] = ["received", "under_review", "needs_correction", "corrected", "accepted", "issuing"];

/**
 * After acceptance, the work itself moves the dossier (never a person's review action), each step
 * audited as "dossier.<event>" by transitionDossier:
 *
 *   Mẫu 01/02/03: accepted ─issuing_started─▶ issuing ─certificates_issued─▶ issued
 *                 ─handed_over (every certificate handed over, Mẫu 07)─▶ handed_over
 *                 ─published (every certificate in the directory)─▶ published          (final)
 *   Mẫu 05:       accepted ─revocation_completed (every listed certificate revoked)─▶ completed (final)
 *   Mẫu 06:       accepted ─recovery_completed (every listed device recovered)─▶ completed   (final)
 *
 * The final steps (src/ra/dossiers/fulfilment.ts) are checked against this table.
 */
export type FulfilmentEvent = "published" | "revocation_completed" | "renewal_change_completed" | "recovery_completed";
export const FULFILMENT: Readonly<Record<FulfilmentEvent, { kinds: readonly string[]; from: readonly DossierStatus[]; to: DossierStatus }>> = {
  published: { kinds: ["individual", "organization", "device"], from: ["handed_over"], to: "published" },
  revocation_completed: { kinds: ["revocation"], from: ["accepted", "issuing"], to: "completed" },
  renewal_change_completed: { kinds: ["renewal_change"], from: ["accepted", "issuing"], to: "completed" },
  recovery_completed: { kinds: ["device_recovery"], from: ["accepted"], to: "completed" },
};

/** Final statuses: nothing more happens to the dossier. */
export const FINAL_STATUSES: readonly DossierStatus[] = ["rejected", "withdrawn", "published", "completed"];
