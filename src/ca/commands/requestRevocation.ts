import type { Services } from "../../service";
import type { Actor } from "../../auth/actor";
import { authorize } from "../../policy/policy";
import { DomainError } from "../../errors";
import { messages } from "../../messages";
import type { Db } from "../../store/db";
import type { CertificateRow } from "../../store/certificates";
import { REVOCATION_REASONS, type RevocationReason } from "../revocation";
import { mustGetCertificate } from "./common";
import { revokeCertificate, type RevokeInput } from "./revokeCertificate";
import { defineOperation, isDualControlled, requestOrPerform, type ApprovalRow } from "../../approvals/approvals";

/**
 * Urgent and bulk revocation under dual control (issue 8). A revocation for a compromised key
 * (keyCompromise, cACompromise) asked for directly through the API — outside a Mẫu 05 revocation
 * dossier, whose review is the second pair of eyes — is "revocation.urgent"; a list of serials is
 * "revocation.bulk". When DUAL_CONTROL names them, they wait for a second CA operator.
 */
export const URGENT_REASONS: readonly RevocationReason[] = ["keyCompromise", "cACompromise"];

interface RevokePayload {
  serial: string;
  reason: RevocationReason;
  invalidityDate?: string;
  comment?: string;
}
interface BulkPayload {
  serials: string[];
  reason: RevocationReason;
  comment?: string;
}

const toInput = (p: RevokePayload): RevokeInput => ({
  serial: p.serial, reason: p.reason, comment: p.comment, invalidityDate: p.invalidityDate ? new Date(p.invalidityDate) : undefined,
});

defineOperation<RevokePayload>({
  operation: "revocation.urgent",
  action: "certificate.revoke",
  summary: (p) => `${p.serial} (${p.reason})`,
  perform: async ({ s, trx, requester }, p) => {
    const row = await revokeCertificate(s, requester, toInput(p), trx);
    return { serial: row.serial, status: row.status, revokedAt: row.revoked_at };
  },
});

defineOperation<BulkPayload>({
  operation: "revocation.bulk",
  action: "certificate.revoke_bulk",
  summary: (p) => `${p.serials.length} chứng thư (${p.reason})`,
  perform: async ({ s, trx, requester }, p) => revokeAll(s, trx, requester, p),
});

async function revokeAll(s: Services, trx: Db, actor: Actor, p: BulkPayload) {
  const revoked: string[] = [];
  for (const serial of p.serials) {
    const row = await revokeCertificate(s, actor, { serial, reason: p.reason, comment: p.comment }, trx);
    revoked.push(row.serial);
  }
  return { revoked };
}

/** Refuses now what could never be revoked, so that nobody is asked to approve it. */
async function checkRevocable(db: Db, serial: string): Promise<void> {
  const row = await mustGetCertificate(db, serial);
  const onHold = row.status === "revoked" && row.revocation_reason === REVOCATION_REASONS.certificateHold;
  if (row.status === "revoked" && !onHold) {
    throw new DomainError("already_revoked", messages.ca.alreadyRevoked(row.serial), { serial: row.serial, revokedAt: row.revoked_at }, "conflict");
  }
  if (row.status !== "issued" && !onHold) {
    throw new DomainError("invalid_state", messages.ca.notIssued(row.serial, row.status), { serial: row.serial, status: row.status }, "conflict");
  }
}

export type RevocationOutcome = { certificate: CertificateRow; approval?: undefined } | { approval: ApprovalRow; certificate?: undefined };

/** POST /api/certificates/:serial/revoke: revokes now, or (urgent, dual control) asks a second operator. */
export async function revokeOrRequest(s: Services, actor: Actor, input: RevokeInput): Promise<RevocationOutcome> {
  authorize(actor, "certificate.revoke", input);
  if (!URGENT_REASONS.includes(input.reason)) return { certificate: await revokeCertificate(s, actor, input) };
  return s.db.transaction(async (trx) => {
    await checkRevocable(trx, input.serial);
    // Asked twice (a retry, a second operator at the same time): the pending approval, not a second one.
    if (isDualControlled(s, "revocation.urgent")) {
      const pending: ApprovalRow | undefined = await trx("approvals")
        .where({ operation: "revocation.urgent", status: "pending" })
        .andWhere("payload", "like", `{"serial":"${input.serial}",%`)
        .first();
      if (pending) return { approval: pending };
    }
    const payload: RevokePayload = {
      serial: input.serial, reason: input.reason, invalidityDate: input.invalidityDate?.toISOString(), comment: input.comment,
    };
    const out = await requestOrPerform(s, trx, actor, "revocation.urgent", payload, (t) => revokeCertificate(s, actor, input, t));
    return out.performed ? { certificate: out.result } : { approval: out.approval };
  });
}

/** POST /api/certificates/revoke-bulk: all or nothing, under dual control by default. */
export async function revokeBulk(s: Services, actor: Actor, p: BulkPayload): Promise<{ revoked: string[] } | { approval: ApprovalRow }> {
  authorize(actor, "certificate.revoke_bulk", p);
  const serials = [...new Set(p.serials)];
  return s.db.transaction(async (trx) => {
    for (const serial of serials) await checkRevocable(trx, serial);
    const payload = { ...p, serials };
    const out = await requestOrPerform(s, trx, actor, "revocation.bulk", payload, (t) => revokeAll(s, t, actor, payload));
    return out.performed ? out.result : { approval: out.approval };
  });
}
