import type { Services } from "../../service";
import type { Actor } from "../../auth/actor";
import { authorize } from "../../policy/policy";
import { DomainError } from "../../errors";
import { messages } from "../../messages";
import * as certificates from "../../store/certificates";
import { append } from "../../audit/audit";
import { issueCertificate as issue } from "../issuance/issue";
import { parseCertificate } from "../x509/certificate";
import { deliverPkcs12, mustGetCertificate, resolveKey, resultOf, subjectOf, type IssuedResult, type KeySource } from "./common";

export interface RenewInput {
  serial: string;
  /** Years added to the current expiry; at most 3 (gia hạn). */
  years?: number;
  /** A new key (CSR or server-generated); without it the same key is certified again. */
  key?: KeySource;
}

const MAX_RENEWAL_YEARS = 3;

/**
 * Renewal (gia hạn): a new certificate for the same subject, valid from now until the old expiry
 * (or now, if it already expired) plus at most 3 years. The old certificate stays valid until it
 * expires and is linked to its successor (replaced_by / replaces).
 */
export async function renewCertificate(s: Services, actor: Actor, input: RenewInput): Promise<IssuedResult> {
  authorize(actor, "certificate.renew", input);
  const years = input.years ?? MAX_RENEWAL_YEARS;
  if (years <= 0 || years > MAX_RENEWAL_YEARS) throw new DomainError("renewal_too_long", messages.ca.renewalTooLong, { maxYears: MAX_RENEWAL_YEARS });
  const old = await mustGetCertificate(s.db, input.serial);
  if (old.status !== "issued") throw new DomainError("invalid_state", messages.ca.notIssued(old.serial, old.status), { status: old.status }, "conflict");
  if (old.replaced_by_serial) {
    throw new DomainError("already_replaced", messages.ca.alreadyReplaced(old.serial, old.replaced_by_serial), { replacedBy: old.replaced_by_serial }, "conflict");
  }
  const key = input.key ? await resolveKey(input.key) : { spki: parseCertificate(old.der!).spki, keyGeneration: "same-key" as const };
  try {
    const base = new Date(Math.max(Date.now(), Date.parse(old.not_after!)));
    const notAfter = new Date(base);
    notAfter.setUTCFullYear(notAfter.getUTCFullYear() + Math.floor(years));
    if (years % 1) notAfter.setTime(notAfter.getTime() + Math.round((years % 1) * 365 * 86400_000));
    const subject = subjectOf(old);
    const c = await issue(s, actor, {
      profile: old.profile, subject, spki: key.spki, keyGeneration: key.keyGeneration, notAfter, allowNotAfterUpTo: notAfter,
      dossierId: old.dossier_id ?? undefined, subscriberIndex: old.subscriber_index ?? undefined, assetIndex: old.asset_index ?? undefined,
      replacesSerial: old.serial,
    });
    await s.db.transaction(async (trx) => {
      await certificates.update(trx, old.serial, { replaced_by_serial: c.serial });
      await append(trx, { actor, action: "certificate.renewed", objectType: "certificate", objectId: old.serial, details: { newSerial: c.serial, notAfter: c.notAfter, newKey: Boolean(input.key) } });
    });
    return resultOf(c, "pkcs8" in key ? await deliverPkcs12(s, key, c.der, c.caName, subject.commonName) : undefined);
  } finally {
    if ("pkcs8" in key) key.pkcs8?.fill(0);
  }
}
