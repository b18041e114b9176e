import type { Knex } from "knex";
import type { Config } from "../config";
import { nowIso } from "../store/db";
import * as cas from "../store/cas";
import { append } from "../audit/audit";
import type { Actor } from "../auth/actor";
import { generateKeyPair, describePrivateKey, keySpecName, spkiOfPrivateKey, type KeySpec } from "./algorithms";
import { sealKey } from "./keys/envelope";
import { importSigningKey } from "./signers/software";
import { encodeName } from "./x509/name";
import { subjectDn, type SubjectInfo } from "./subject";
import { buildTbs, makeTemplate, parseCertificate, signTbs } from "./x509/certificate";
import { authorityInfoAccess, authorityKeyIdentifier, basicConstraints, certificatePolicies, crlDistributionPoints, keyIdentifierOf, keyUsage, subjectKeyIdentifier } from "./x509/extensions";
import { newSerial } from "./serial";
import { X509Certificate } from "./x509lib";
import { caCertUrl, crlUrl, ldapCrlUrl } from "./urls";

/**
 * The key ceremony (chungthu ca init): a self-signed root CA and an issuing CA under it, keys
 * generated in memory, sealed with the CA passphrase before they touch the database.
 */
export const DEFAULT_ROOT_SUBJECT: SubjectInfo = {
  country: "VN",
  organization: "Ban Cơ yếu Chính phủ",
  organizationalUnit: "Cục Chứng thực số và Bảo mật thông tin",
  commonName: "Cơ quan chứng thực số chuyên dùng Chính phủ (Gốc)",
};
export const DEFAULT_ISSUING_SUBJECT: SubjectInfo = {
  country: "VN",
  organization: "Ban Cơ yếu Chính phủ",
  organizationalUnit: "Cục Chứng thực số và Bảo mật thông tin",
  commonName: "Cơ quan chứng thực số chuyên dùng công vụ",
};

export interface CeremonyOptions {
  rootName: string;
  issuingName: string;
  rootKey: KeySpec;
  issuingKey: KeySpec;
  rootSubject: SubjectInfo;
  issuingSubject: SubjectInfo;
  rootYears: number;
  issuingYears: number;
  development: boolean;
}

export const defaultCeremony = (over: Partial<CeremonyOptions> = {}): CeremonyOptions => ({
  rootName: "root",
  issuingName: `issuing-${new Date().getUTCFullYear()}`,
  rootKey: { kind: "rsa", bits: 3072 },
  issuingKey: { kind: "rsa", bits: 2048 },
  rootSubject: DEFAULT_ROOT_SUBJECT,
  issuingSubject: DEFAULT_ISSUING_SUBJECT,
  rootYears: 20,
  issuingYears: 10,
  development: false,
  ...over,
});

export const CA_NAME_PATTERN = /^[a-z0-9][a-z0-9-]{0,62}$/;

const addYears = (d: Date, y: number) => {
  const r = new Date(d);
  r.setUTCFullYear(r.getUTCFullYear() + y);
  return r;
};

const CA_KEY_USAGE = keyUsage(["digitalSignature", "keyCertSign", "cRLSign"]);

export async function createHierarchy(db: Knex, config: Config, passphrase: string, actor: Actor | string, o: CeremonyOptions) {
  for (const n of [o.rootName, o.issuingName]) if (!CA_NAME_PATTERN.test(n)) throw new Error(`CA name "${n}" must be a URL-safe slug (a-z, 0-9, -)`);
  if (o.rootName === o.issuingName) throw new Error("root and issuing CA names must differ");
  for (const n of [o.rootName, o.issuingName]) if (await cas.get(db, n)) throw new Error(`CA "${n}" already exists`);
  const now = new Date(Math.floor(Date.now() / 1000) * 1000);

  // Root: self-signed. RFC 5280 §4.2.1.9/§4.2.1.3: basicConstraints CA critical, keyCertSign + cRLSign.
  const rootKey = await generateKeyPair(o.rootKey);
  const rootSigning = await importSigningKey(rootKey.pkcs8);
  const rootName = encodeName(o.rootSubject);
  const rootKeyId = keyIdentifierOf(rootKey.spki);
  const rootNotAfter = addYears(now, o.rootYears);
  const rootDer = await signTbs(
    rootSigning,
    buildTbs(makeTemplate({ signatureAlgorithm: rootSigning.signatureAlgorithmDer, issuerName: rootName, constantExtensions: [basicConstraints(true), CA_KEY_USAGE] }), {
      serial: newSerial().bytes, notBefore: now, notAfter: rootNotAfter, subjectName: rootName, spki: rootKey.spki,
      extensions: [subjectKeyIdentifier(rootKeyId)],
    }),
  );

  // Issuing CA: pathLen 0, points back at the root's CRL and certificate.
  const issKey = await generateKeyPair(o.issuingKey);
  const issName = encodeName(o.issuingSubject);
  const issNotAfter = new Date(Math.min(addYears(now, o.issuingYears).getTime(), rootNotAfter.getTime()));
  const crlUris = [crlUrl(config, o.rootName), ldapCrlUrl(config, o.rootName)].filter((u): u is string => !!u);
  const issDer = await signTbs(
    rootSigning,
    buildTbs(
      makeTemplate({
        signatureAlgorithm: rootSigning.signatureAlgorithmDer,
        issuerName: rootName,
        constantExtensions: [
          basicConstraints(true, 0), CA_KEY_USAGE, authorityKeyIdentifier(rootKeyId), certificatePolicies([config.CERTIFICATE_POLICY_OID]),
          crlDistributionPoints(crlUris), authorityInfoAccess([], [caCertUrl(config, o.rootName)]),
        ],
      }),
      { serial: newSerial().bytes, notBefore: now, notAfter: issNotAfter, subjectName: issName, spki: issKey.spki, extensions: [subjectKeyIdentifier(keyIdentifierOf(issKey.spki))] },
    ),
  );

  const rootSealed = await sealKey(rootKey.pkcs8, passphrase);
  const issSealed = await sealKey(issKey.pkcs8, passphrase);
  rootKey.pkcs8.fill(0);
  issKey.pkcs8.fill(0);
  const created = nowIso();
  await db.transaction(async (trx) => {
    await cas.insert(trx, {
      name: o.rootName, role: "root", parent_name: null, subject_dn: subjectDn(o.rootSubject), certificate: rootDer, key_storage: "encrypted",
      key_encrypted: rootSealed, key_ref: null, key_algorithm: keySpecName(o.rootKey), not_before: now.toISOString(), not_after: rootNotAfter.toISOString(),
      development: o.development, active: true, created_at: created,
    });
    await cas.insert(trx, {
      name: o.issuingName, role: "issuing", parent_name: o.rootName, subject_dn: subjectDn(o.issuingSubject), certificate: issDer, key_storage: "encrypted",
      key_encrypted: issSealed, key_ref: null, key_algorithm: keySpecName(o.issuingKey), not_before: now.toISOString(), not_after: issNotAfter.toISOString(),
      development: o.development, active: true, created_at: created,
    });
    await append(trx, {
      actor, action: "ca.created", objectType: "ca", objectId: o.rootName,
      details: { role: "root", subject: subjectDn(o.rootSubject), keyAlgorithm: keySpecName(o.rootKey), development: o.development },
    });
    await append(trx, {
      actor, action: "ca.created", objectType: "ca", objectId: o.issuingName,
      details: { role: "issuing", parent: o.rootName, subject: subjectDn(o.issuingSubject), keyAlgorithm: keySpecName(o.issuingKey), development: o.development },
    });
  });
  return { root: { name: o.rootName, der: rootDer }, issuing: { name: o.issuingName, der: issDer } };
}

/**
 * Imports an existing CA (certificate + PKCS#8 key). The key must match the certificate; the role
 * is root when the certificate is self-issued, otherwise issuing under the given or detected parent.
 */
export async function importCa(
  db: Knex,
  passphrase: string,
  actor: Actor | string,
  o: { name: string; certificateDer: Buffer; pkcs8: Buffer; role?: "root" | "issuing"; parentName?: string; development?: boolean },
) {
  if (!CA_NAME_PATTERN.test(o.name)) throw new Error(`CA name "${o.name}" must be a URL-safe slug (a-z, 0-9, -)`);
  if (await cas.get(db, o.name)) throw new Error(`CA "${o.name}" already exists`);
  const cert = parseCertificate(o.certificateDer);
  const spec = describePrivateKey(o.pkcs8);
  if (!spkiOfPrivateKey(o.pkcs8).equals(cert.spki)) throw new Error("the private key does not match the certificate");
  const selfIssued = cert.subjectName.equals(cert.issuerName);
  const role = o.role ?? (selfIssued ? "root" : "issuing");
  let parent = o.parentName ?? null;
  if (!parent && !selfIssued) {
    for (const c of await cas.list(db)) if (parseCertificate(c.certificate).subjectName.equals(cert.issuerName)) parent = c.name;
  }
  const x = new X509Certificate(new Uint8Array(o.certificateDer));
  const sealed = await sealKey(o.pkcs8, passphrase);
  await db.transaction(async (trx) => {
    await cas.insert(trx, {
      name: o.name, role, parent_name: parent, subject_dn: x.subject, certificate: o.certificateDer, key_storage: "encrypted", key_encrypted: sealed,
      key_ref: null, key_algorithm: keySpecName(spec), not_before: cert.notBefore.toISOString(), not_after: cert.notAfter.toISOString(),
      development: o.development ?? false, active: true, created_at: nowIso(),
    });
    await append(trx, { actor, action: "ca.imported", objectType: "ca", objectId: o.name, details: { role, parent, subject: x.subject, keyAlgorithm: keySpecName(spec) } });
  });
  return { name: o.name, role, parent };
}
