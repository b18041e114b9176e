import crypto from "node:crypto";
import { certificateSearchText } from "../../src/text/searchKey";
import * as certificateStore from "../../src/store/certificates";
import type { Knex } from "knex";
import type { X509Certificate } from "@peculiar/x509";
import x509 = require("../../src/ca/x509lib");

/**
 * Fixtures for the public site until the ca capability issues for real: a root and an issuing CA
 * made with WebCrypto + @peculiar/x509, and certificates with Vietnamese UTF8String subjects
 * inserted as rows of the certificates table (the same columns the ca capability fills).
 */
export interface TestCa {
  name: string;
  cert: X509Certificate;
  keys: CryptoKeyPair;
  der: Buffer;
}

const ecAlg = { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" } as const;
const rsaAlg = { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256", publicExponent: new Uint8Array([1, 0, 1]), modulusLength: 2048 } as const;

const randomSerial = () => {
  const b = crypto.randomBytes(9);
  // Positive, and no leading zero nibble: the stored serial is lower-case hex without leading zeros.
  b[0] = (b[0] & 0x7f) | 0x10;
  return b.toString("hex");
};

const iso = (d: Date) => d.toISOString();
const days = (n: number) => new Date(Date.now() + n * 86_400_000);

async function insertCa(db: Knex, ca: TestCa, role: string, parent: string | null) {
  await db("cas").insert({
    name: ca.name, role, parent_name: parent, subject_dn: ca.cert.subject, certificate: ca.der,
    key_storage: "encrypted", key_algorithm: "ECDSA-P256", not_before: iso(ca.cert.notBefore),
    not_after: iso(ca.cert.notAfter), development: true, active: true, created_at: iso(new Date()),
  });
}

/** A root CA and an issuing CA below it, inserted into `cas`. */
export async function makeTestCas(db: Knex): Promise<{ root: TestCa; issuing: TestCa }> {
  const rootKeys = (await crypto.webcrypto.subtle.generateKey(ecAlg, true, ["sign", "verify"])) as CryptoKeyPair;
  const rootCert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomSerial(),
    name: [{ CN: ["Cơ quan chứng thực số chuyên dùng Chính phủ (thử nghiệm)"] }, { O: ["Ban Cơ yếu Chính phủ"] }, { C: ["VN"] }],
    notBefore: days(-30), notAfter: days(3650), keys: rootKeys, signingAlgorithm: ecAlg,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(rootKeys.publicKey),
    ],
  });
  const root: TestCa = { name: "root-test", cert: rootCert, keys: rootKeys, der: Buffer.from(rootCert.rawData) };
  const issKeys = (await crypto.webcrypto.subtle.generateKey(ecAlg, true, ["sign", "verify"])) as CryptoKeyPair;
  const issCert = await x509.X509CertificateGenerator.create({
    serialNumber: randomSerial(),
    subject: [{ CN: ["CA phục vụ các cơ quan Đảng, Nhà nước (thử nghiệm)"] }, { O: ["Ban Cơ yếu Chính phủ"] }, { C: ["VN"] }],
    issuer: rootCert.subjectName, notBefore: days(-29), notAfter: days(1825),
    publicKey: issKeys.publicKey, signingKey: rootKeys.privateKey, signingAlgorithm: ecAlg,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(issKeys.publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(rootKeys.publicKey),
    ],
  });
  const issuing: TestCa = { name: "issuing-test", cert: issCert, keys: issKeys, der: Buffer.from(issCert.rawData) };
  await insertCa(db, root, "root", null);
  await insertCa(db, issuing, "issuing", root.name);
  return { root, issuing };
}

export interface LeafOptions {
  cn: string;
  o: string;
  email: string;
  uid?: string;
  title?: string;
  handedOver?: boolean;
  notBefore?: Date;
  notAfter?: Date;
  rsa?: boolean;
}

export interface TestLeaf {
  serial: string;
  der: Buffer;
  pem: string;
}

/** Issues a leaf under `ca` and inserts its row (status issued). */
export async function issueTestCertificate(db: Knex, ca: TestCa, o: LeafOptions): Promise<TestLeaf> {
  const keys = (await crypto.webcrypto.subtle.generateKey(o.rsa ? rsaAlg : ecAlg, true, ["sign", "verify"])) as CryptoKeyPair;
  const serial = randomSerial();
  const subject: Record<string, string[]>[] = [{ CN: [o.cn] }];
  if (o.title) subject.push({ T: [o.title] });
  subject.push({ O: [o.o] }, { ST: ["Hà Nội"] }, { C: ["VN"] }, { E: [o.email] });
  if (o.uid) subject.push({ "0.9.2342.19200300.100.1.1": [o.uid] });
  const notBefore = o.notBefore ?? days(-1);
  const notAfter = o.notAfter ?? days(1095);
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serial, subject, issuer: ca.cert.subjectName, notBefore, notAfter,
    publicKey: keys.publicKey, signingKey: ca.keys.privateKey, signingAlgorithm: ecAlg,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.nonRepudiation, true),
      await x509.AuthorityKeyIdentifierExtension.create(ca.keys.publicKey),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      new x509.SubjectAlternativeNameExtension([{ type: "email", value: o.email }]),
    ],
  });
  const der = Buffer.from(cert.rawData);
  // Through the store, as issuance writes it (the row and the words of the public name search).
  await certificateStore.insert(db, {
    serial, ca_name: ca.name, status: "issued", profile: "official-person", subject_dn: cert.subject,
    subject_cn: o.cn, subject_o: o.o, public_search_text: certificateSearchText(o.cn, o.o), email: o.email.toLowerCase(), uid: o.uid ?? null,
    key_algorithm: o.rsa ? "RSA-2048" : "ECDSA-P256", not_before: iso(cert.notBefore), not_after: iso(cert.notAfter),
    der, sha256: crypto.createHash("sha256").update(der).digest("hex"),
    handed_over_at: o.handedOver ? iso(new Date()) : null, created_at: iso(new Date()),
  });
  return { serial, der, pem: cert.toString("pem") };
}

export const handOver = (db: Knex, serial: string) =>
  db("certificates").where({ serial }).update({ handed_over_at: iso(new Date()), published_at: iso(new Date()) });

export const revoke = (db: Knex, serial: string, reason: number, at = new Date()) =>
  db("certificates").where({ serial }).update({ status: "revoked", revoked_at: iso(at), revocation_reason: reason });
