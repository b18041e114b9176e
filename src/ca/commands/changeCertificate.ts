import type { Services } from "../../service";
import type { Actor } from "../../auth/actor";
import { authorize } from "../../policy/policy";
import { DomainError } from "../../errors";
import { messages } from "../../messages";
import * as certificates from "../../store/certificates";
import { append } from "../../audit/audit";
import { issueCertificate as issue } from "../issuance/issue";
import { parseCertificate } from "../x509/certificate";
import type { SubjectInfo } from "../subject";
import { deliverPkcs12, mustGetCertificate, resolveKey, resultOf, subjectOf, type IssuedResult, type KeySource } from "./common";
import { revokeCertificate } from "./revokeCertificate";

export interface ChangeInput {
  serial: string;
  /** The fields that change; the others are kept. */
  changes: Partial<SubjectInfo>;
  /** superseded (corrected information) or affiliationChanged (new agency, unit or position). */
  reason: "superseded" | "affiliationChanged";
  key?: KeySource;
}

/**
 * Change of information (thay đổi thông tin): a new certificate with the changed subject for the
 * rest of the old one's validity; the old one is revoked with reason superseded or
 * affiliationChanged, and the two are linked. The new one is issued first, so a failure never leaves
 * the holder without a certificate.
 */
export async function changeCertificate(s: Services, actor: Actor, input: ChangeInput): Promise<IssuedResult> {
  authorize(actor, "certificate.change", input);
  const old = await mustGetCertificate(s.db, input.serial);
  if (old.status !== "issued") throw new DomainError("invalid_state", messages.ca.notIssued(old.serial, old.status), { status: old.status }, "conflict");
  if (Date.parse(old.not_after!) <= Date.now()) throw new DomainError("expired", messages.ca.expired(old.serial), {}, "conflict");
  const subject: SubjectInfo = { ...subjectOf(old), ...input.changes };
  const key = input.key ? await resolveKey(input.key) : { spki: parseCertificate(old.der!).spki, keyGeneration: "same-key" as const };
  try {
    const notAfter = new Date(old.not_after!);
    const c = await issue(s, actor, {
      profile: old.profile, subject, spki: key.spki, keyGeneration: key.keyGeneration, notAfter, allowNotAfterUpTo: notAfter,
      dossierId: old.dossier_id ?? undefined, subscriberIndex: old.subscriber_index ?? undefined, assetIndex: old.asset_index ?? undefined,
      replacesSerial: old.serial,
    });
    await s.db.transaction(async (trx) => {
      await revokeCertificate(s, actor, { serial: old.serial, reason: input.reason, comment: `thay thế bởi ${c.serial}` }, trx);
      await certificates.update(trx, old.serial, { replaced_by_serial: c.serial });
      await append(trx, { actor, action: "certificate.changed", objectType: "certificate", objectId: old.serial, details: { newSerial: c.serial, changed: Object.keys(input.changes), reason: input.reason } });
    });
    return resultOf(c, "pkcs8" in key ? await deliverPkcs12(s, key, c.der, c.caName, subject.commonName) : undefined);
  } finally {
    if ("pkcs8" in key) key.pkcs8?.fill(0);
  }
}
