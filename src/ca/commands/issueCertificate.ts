import type { Services } from "../../service";
import type { Actor } from "../../auth/actor";
import { authorize } from "../../policy/policy";
import type { SubjectInfo } from "../subject";
import { issueCertificate as issue } from "../issuance/issue";
import { deliverPkcs12, resolveKey, resultOf, type IssuedResult, type KeySource } from "./common";

export interface IssueCertificateInput {
  profile: string;
  /** Subject data first (from the dossier, or from the operator): never from the CSR. */
  subject: SubjectInfo;
  key: KeySource;
  usage?: string;
  validityYears?: number;
  dossierId?: string;
  subscriberIndex?: number;
  assetIndex?: number;
  /** Same key → same certificate: a retried request gets the first answer (without the PKCS#12). */
  idempotencyKey?: string;
}

/**
 * Issues one certificate, from a PKCS#10 CSR (proof of possession checked) or with a key pair
 * generated here and returned once as a password-protected PKCS#12.
 */
export async function issueCertificate(s: Services, actor: Actor, input: IssueCertificateInput): Promise<IssuedResult> {
  authorize(actor, "certificate.issue", input);
  const key = await resolveKey(input.key);
  try {
    const c = await issue(s, actor, {
      profile: input.profile, subject: input.subject, spki: key.spki, keyGeneration: key.keyGeneration, usage: input.usage,
      validityYears: input.validityYears, dossierId: input.dossierId, subscriberIndex: input.subscriberIndex, assetIndex: input.assetIndex,
      idempotencyKey: input.idempotencyKey,
    });
    return resultOf(c, c.existing ? undefined : await deliverPkcs12(s, key, c.der, c.caName, input.subject.commonName));
  } finally {
    key.pkcs8?.fill(0);
  }
}
