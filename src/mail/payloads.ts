/**
 * What a mail job carries: a snapshot of the decision taken, written in the decision's transaction.
 * The job renders from this snapshot, not from the dossier's current state, because the e-mail
 * reports that decision: if the agency corrects the dossier (or a reviewer acts again) while SMTP
 * is down, the pending mail must still list the deficiencies as they were notified, and every
 * retry must render the same message and the same PDF bytes.
 */
export interface MailSnapshot {
  /** The outbox dedupe key; also the seed of the Message-ID. */
  key: string;
  dossierId: string;
  dossierNumber: string;
  agencyName: string;
  /** Agency e-mail and the receiver's e-mail, deduplicated. */
  to: string[];
  /** When the decision was taken (ISO instant); the mail's Date header. */
  decidedAt: string;
  decidedBy?: string;
  receivedAt?: string | null;
}

export interface DeficiencySnapshot {
  /** Machine path of the field: "agency.taxCode", "subscribers.idNumber". */
  field: string;
  /** What a person reads: "Mã số thuế". */
  fieldLabel: string;
  /** 1-based row of a list (STT), or null for a field of the dossier itself. */
  row: number | null;
  /** Who the row is (e.g. the subscriber's name), to help the agency find it. */
  rowLabel?: string | null;
  reason: string;
}

export interface CorrectionRequestPayload extends MailSnapshot {
  /** 1 for the first request for correction of this dossier, 2 for the next… */
  round: number;
  deficiencies: DeficiencySnapshot[];
  /** The dossier version the request for correction produced: the stored notice is keyed by it. */
  dossierVersion?: number;
  /**
   * The dossier as the notice PDF prints it (documents' DocumentDossier), frozen at decision time:
   * header fields, and the lists only as long as they are with the names of the rows concerned.
   */
  notice: NoticeDossier;
}

export interface NoticeDossier {
  id: string;
  number: string;
  kind: string;
  agency: { name: string } & Record<string, unknown>;
  subscribers?: { fullName: string }[];
  assets?: { name: string; kind: string; identifier: string }[];
  [k: string]: unknown;
}

export interface RejectionPayload extends MailSnapshot {
  reason: string;
}

export type AcceptancePayload = MailSnapshot;

export interface HandoverPayload extends MailSnapshot {
  handoverAt: string;
  place: string;
  note?: string | null;
}

export const mailKinds = {
  correctionRequest: "mail.correction_request",
  accepted: "mail.accepted",
  rejected: "mail.rejected",
  readyForHandover: "mail.ready_for_handover",
} as const;
