import type { Services } from "../../service";
import type { Actor } from "../../auth/actor";
import { authorize } from "../../policy/policy";
import { DomainError } from "../../errors";
import { messages } from "../../messages";
import { nowIso, type Db } from "../../store/db";
import * as certificates from "../../store/certificates";
import { append } from "../../audit/audit";
import { enqueue } from "../../outbox/outbox";
import { REVOCATION_REASONS, type RevocationReason } from "../revocation";
import { mustGetCertificate } from "./common";

export interface RevokeInput {
  serial: string;
  reason: RevocationReason;
  /** RFC 5280 §5.3.2: when the key is known or suspected to have been compromised. */
  invalidityDate?: Date;
  comment?: string;
}

/**
 * Revokes a certificate (thu hồi) with an RFC 5280 reason, in one transaction with its audit entry
 * and the follow-up jobs: remove it from the directory and regenerate the issuing CA's CRL.
 * certificateHold suspends; removeFromCRL lifts a hold (the certificate is valid again).
 */
export async function revokeCertificate(s: Services, actor: Actor | string, input: RevokeInput, trxIn?: Db): Promise<certificates.CertificateRow> {
  if (typeof actor !== "string") authorize(actor, "certificate.revoke", input);
  const run = async (trx: Db) => {
    const row = await mustGetCertificate(trx, input.serial, true);
    const now = nowIso();
    if (input.reason === "removeFromCRL") {
      if (row.status !== "revoked" || row.revocation_reason !== REVOCATION_REASONS.certificateHold) {
        throw new DomainError("not_on_hold", messages.ca.notOnHold(row.serial), { serial: row.serial }, "conflict");
      }
      await certificates.update(trx, row.serial, { status: "issued", revoked_at: null, revocation_reason: null, invalidity_date: null, revocation_comment: input.comment ?? null, revoked_by: null });
      await append(trx, { actor, action: "certificate.hold_released", objectType: "certificate", objectId: row.serial, details: { ca: row.ca_name, comment: input.comment } });
      await enqueue(trx, { kind: "crl.regenerate", payload: { ca: row.ca_name }, dedupeKey: `crl.regenerate:${row.ca_name}:${row.serial}:release:${now}` });
      if (row.published_at) await enqueue(trx, { kind: "directory.publish", payload: { serial: row.serial }, dedupeKey: `directory.publish:${row.serial}:${now}` });
      return (await certificates.get(trx, row.serial))!;
    }
    if (row.status === "revoked" && row.revocation_reason !== REVOCATION_REASONS.certificateHold) {
      throw new DomainError("already_revoked", messages.ca.alreadyRevoked(row.serial), { serial: row.serial, revokedAt: row.revoked_at }, "conflict");
    }
    if (row.status !== "issued" && row.status !== "revoked") {
      throw new DomainError("invalid_state", messages.ca.notIssued(row.serial, row.status), { serial: row.serial, status: row.status }, "conflict");
    }
    if (input.invalidityDate && input.invalidityDate.toISOString() > now) {
      throw new DomainError("invalidity_after_revocation", messages.ca.invalidityAfterRevocation, {});
    }
    // A hold turned into a final revocation keeps its original revocation time (RFC 5280 §5.3.1).
    const revokedAt = row.status === "revoked" && row.revoked_at ? row.revoked_at : now;
    await certificates.update(trx, row.serial, {
      status: "revoked", revoked_at: revokedAt, revocation_reason: REVOCATION_REASONS[input.reason],
      invalidity_date: input.invalidityDate?.toISOString() ?? null, revocation_comment: input.comment ?? null,
      revoked_by: typeof actor === "string" ? null : actor.id,
    });
    await append(trx, {
      actor, action: "certificate.revoked", objectType: "certificate", objectId: row.serial,
      details: { ca: row.ca_name, reason: input.reason, invalidityDate: input.invalidityDate?.toISOString(), comment: input.comment },
    });
    // Dedupe keys name this revocation (a hold made final keeps its time: already unpublished); a
    // certificate released from hold and revoked again gets new jobs.
    await enqueue(trx, { kind: "directory.unpublish", payload: { serial: row.serial }, dedupeKey: `directory.unpublish:${row.serial}:${revokedAt}` });
    await enqueue(trx, { kind: "crl.regenerate", payload: { ca: row.ca_name }, dedupeKey: `crl.regenerate:${row.ca_name}:${row.serial}:${input.reason}:${now}` });
    return (await certificates.get(trx, row.serial))!;
  };
  return trxIn ? run(trxIn) : s.db.transaction(run);
}
