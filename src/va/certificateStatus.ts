/**
 * The status of a certificate now, read from the certificates table: the same source the OCSP
 * responder answers from (RFC 6960 §2.2: good / revoked / unknown), plus the validity period,
 * which OCSP leaves to the relying party. Every public page asks this one function.
 */
export type CertificateState = "valid" | "revoked" | "on_hold" | "expired" | "not_yet_valid" | "unknown";

/** RFC 5280 §5.3.1 certificateHold: a suspension, which removeFromCRL may lift. */
const CERTIFICATE_HOLD = 6;

export interface CertificateStatusRow {
  status: string;
  not_before: string | null;
  not_after: string | null;
  revoked_at: string | null;
  revocation_reason: number | null;
}

export interface CertificateStatusNow {
  state: CertificateState;
  /** RFC 5280 §5.3.1 CRLReason code, when revoked. */
  reason?: number;
  revokedAt?: string;
}

export function certificateStatusNow(row: CertificateStatusRow, now: Date = new Date()): CertificateStatusNow {
  if (row.status === "revoked" && row.revocation_reason === CERTIFICATE_HOLD) {
    return { state: "on_hold", reason: CERTIFICATE_HOLD, revokedAt: row.revoked_at ?? undefined };
  }
  if (row.status === "revoked") {
    return { state: "revoked", reason: row.revocation_reason ?? 0, revokedAt: row.revoked_at ?? undefined };
  }
  if (row.status !== "issued") return { state: "unknown" };
  const t = now.getTime();
  if (row.not_after && t > Date.parse(row.not_after)) return { state: "expired" };
  if (row.not_before && t < Date.parse(row.not_before)) return { state: "not_yet_valid" };
  return { state: "valid" };
}
