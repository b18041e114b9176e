import type { Services } from "../../service";
import type { Actor } from "../../auth/actor";
import { authorize } from "../../policy/policy";
import { DomainError, isDomainError } from "../../errors";
import { messages } from "../../messages";
import * as dossiers from "../../store/dossiers";
import { dossierNotFound } from "../../ra/dossiers/errors";
import { normalizeSerial } from "../serial";
import type { SubjectInfo } from "../subject";
import { ISSUABLE_STATUSES } from "./issueForDossier";
import { revokeCertificate } from "./revokeCertificate";
import { renewCertificate } from "./renewCertificate";
import { changeCertificate } from "./changeCertificate";
import { settleRenewalChangeDossier, settleRevocationDossier } from "../../ra/dossiers/fulfilment";

/**
 * Carries out an accepted Mẫu 04 (renewal / change of information) or Mẫu 05 (revocation)
 * dossier: every certificate it lists, one by one, with a result per serial. A serial that fails
 * (unknown, already revoked…) does not stop the others; the result says why.
 */
export interface DossierOperationResult {
  serial: string;
  ok: boolean;
  newSerial?: string;
  code?: string;
  message?: string;
}

/** Mẫu 04 "field" names (as agencies write them) → the subject attribute they change. */
const FIELD_MAP: Record<string, keyof SubjectInfo> = {
  fullname: "commonName", "họ và tên": "commonName", hoten: "commonName",
  position: "title", "chức vụ": "title", chucvu: "title",
  workplace: "organization", "cơ quan công tác": "organization", coquan: "organization", organization: "organization",
  unit: "organizationalUnit", "đơn vị": "organizationalUnit",
  email: "email", "thư điện tử": "email", "thư điện tử công vụ": "email",
  province: "province", "tỉnh/thành phố": "province", "tỉnh": "province",
  locality: "locality",
};

export async function executeDossier(s: Services, actor: Actor, dossierId: string): Promise<DossierOperationResult[]> {
  const d = await dossiers.getDossier(s.db, dossierId);
  if (!d) throw dossierNotFound(dossierId);
  if (d.kind !== "revocation" && d.kind !== "renewal_change") {
    throw new DomainError("dossier_kind_not_operable", messages.ca.dossierKindNotOperable(d.kind), { kind: d.kind });
  }
  authorize(actor, d.kind === "revocation" ? "certificate.revoke" : "certificate.renew", d);
  if (!(ISSUABLE_STATUSES as readonly string[]).includes(d.status)) {
    throw new DomainError("dossier_not_accepted", messages.ca.dossierNotAccepted(d.number, d.status), { status: d.status }, "conflict");
  }
  const results: DossierOperationResult[] = [];
  const serials = d.certificates.map((ref) => normalizeSerial(ref.serial) ?? ref.serial);
  for (const serial of serials) {
    try {
      if (d.kind === "revocation") {
        await revokeCertificate(s, actor, { serial, reason: d.reason, comment: messages.ca.byDossier(d.number, d.reasonDetail) });
        results.push({ serial, ok: true });
      } else if (d.requestType === "renewal") {
        const r = await renewCertificate(s, actor, { serial });
        results.push({ serial, ok: true, newSerial: r.serial });
      } else {
        const changes: Partial<SubjectInfo> = {};
        for (const c of d.changes ?? []) {
          const f = FIELD_MAP[c.field.trim().toLowerCase()];
          if (!f) throw new DomainError("unknown_change_field", messages.ca.unknownChangeField(c.field), { field: c.field });
          (changes as Record<string, string>)[f] = c.newValue;
        }
        const reason = "organization" in changes ? "affiliationChanged" : "superseded";
        const r = await changeCertificate(s, actor, { serial, changes, reason });
        results.push({ serial, ok: true, newSerial: r.serial });
      }
    } catch (err) {
      if (!isDomainError(err)) throw err;
      results.push({ serial, ok: false, code: err.code, message: err.message });
    }
  }
  // Mẫu 05 done when every listed certificate is revoked (by this run or before): → completed.
  if (d.kind === "revocation") await settleRevocationDossier(s.db, actor, d.id, serials);
  // Mẫu 04 done when every listed certificate has its successor: → completed.
  else await settleRenewalChangeDossier(s.db, actor, d.id, serials);
  return results;
}
