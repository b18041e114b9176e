import type { Config } from "../../config";
import type { CaSigner } from "../signer";
import type { Profile } from "../profiles";
import { makeTemplate, parseCertificate, type TbsTemplate } from "../x509/certificate";
import {
  authorityInfoAccess, authorityKeyIdentifier, basicConstraints, certificatePolicies, crlDistributionPoints, extKeyUsage, keyUsage,
} from "../x509/extensions";
import { caCertUrl, crlUrl, ldapCrlUrl, ocspUrl } from "../urls";

/**
 * The constant part of every certificate of one profile from one CA, encoded once (issue 9):
 * keyUsage (critical), extKeyUsage, basicConstraints CA:false (critical), AKI, certificatePolicies,
 * CRL distribution points (HTTP + LDAP) and authority information access (OCSP + caIssuers).
 */
const cache = new WeakMap<CaSigner, Map<string, TbsTemplate>>();

export function templateFor(config: Config, signer: CaSigner, profile: Profile, opts: { usage?: string; rsaKey: boolean }): TbsTemplate {
  let byKey = cache.get(signer);
  if (!byKey) cache.set(signer, (byKey = new Map()));
  const key = `${profile.name}|${opts.usage ?? ""}|${opts.rsaKey ? "rsa" : "ec"}|${config.publicBaseUrl}|${config.CERTIFICATE_POLICY_OID}`;
  let t = byKey.get(key);
  if (t) return t;
  const ca = parseCertificate(signer.der);
  const eku = (opts.usage && profile.usages?.[opts.usage]) || profile.extendedKeyUsage;
  const ku = [...profile.keyUsage, ...(opts.rsaKey ? profile.keyUsageForRsa ?? [] : [])];
  const crls = [crlUrl(config, signer.name), ldapCrlUrl(config, signer.name)].filter((u): u is string => !!u);
  t = makeTemplate({
    signatureAlgorithm: signer.signatureAlgorithmDer,
    issuerName: ca.subjectName,
    constantExtensions: [
      keyUsage(ku),
      extKeyUsage(eku),
      basicConstraints(false),
      authorityKeyIdentifier(ca.subjectKeyId),
      certificatePolicies([config.CERTIFICATE_POLICY_OID]),
      crlDistributionPoints(crls),
      authorityInfoAccess([ocspUrl(config)], [caCertUrl(config, signer.name)]),
    ],
  });
  byKey.set(key, t);
  return t;
}
