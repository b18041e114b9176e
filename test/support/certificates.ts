import { createHash, randomBytes, webcrypto } from "node:crypto";
import x509 = require("../../src/ca/x509lib");
import type * as X509 from "@peculiar/x509";
import type { Knex } from "knex";
import { nowIso } from "../../src/store/db";

/**
 * Test certificates as the ca capability issues them (until its branch is merged): a root CA and
 * end-entity certificates with a Vietnamese UTF8String subject (C, ST, L, O, OU, T, CN, UID) and an
 * e-mail SAN, stored as rows of `cas` and `certificates`.
 */
const alg = { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" } as const;

export interface TestCa {
  name: string;
  keys: CryptoKeyPair;
  cert: X509.X509Certificate;
}

const OIDS: Record<string, string> = {
  C: "2.5.4.6", ST: "2.5.4.8", L: "2.5.4.7", O: "2.5.4.10", OU: "2.5.4.11", T: "2.5.4.12", CN: "2.5.4.3",
  UID: "0.9.2342.19200300.100.1.1", SERIALNUMBER: "2.5.4.5",
};

/** A subject as UTF8Strings (C as PrintableString), in the order given. */
export function vnName(parts: Array<[string, string]>): X509.Name {
  return new x509.Name(
    parts.map(([k, v]) => ({ [OIDS[k]]: [k === "C" || k === "SERIALNUMBER" ? { printableString: v } : { utf8String: v }] })) as any,
  );
}

export async function createTestCa(db: Knex, name = "root-test", cn = "Cơ quan chứng thực thử nghiệm"): Promise<TestCa> {
  const keys = (await webcrypto.subtle.generateKey(alg, true, ["sign", "verify"])) as CryptoKeyPair;
  const notBefore = new Date(Date.now() - 86400_000);
  const notAfter = new Date(Date.now() + 10 * 365 * 86400_000);
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: "01" + randomBytes(8).toString("hex"),
    name: vnName([["C", "VN"], ["O", "Ban Cơ yếu Chính phủ"], ["CN", cn]]),
    notBefore, notAfter, keys, signingAlgorithm: alg,
    extensions: [new x509.BasicConstraintsExtension(true, undefined, true), new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true)],
  });
  await db("cas").insert({
    name, role: "root", subject_dn: cert.subject, certificate: Buffer.from(cert.rawData), key_storage: "encrypted",
    key_algorithm: "ECDSA-P256", not_before: notBefore.toISOString(), not_after: notAfter.toISOString(),
    development: true, active: true, created_at: nowIso(),
  });
  return { name, keys, cert };
}

export interface PersonInput {
  cn: string;
  o?: string;
  ou?: string;
  title?: string;
  st?: string;
  l?: string;
  uid?: string;
  email?: string;
  profile?: "individual" | "organization" | "device";
  status?: "issued" | "revoked" | "pending";
  handedOver?: boolean;
  notAfter?: Date;
  serialNumber?: string;
}

export interface IssuedTestCertificate {
  serial: string;
  der: Buffer;
}

/** Issues an end-entity certificate and inserts its row (status issued, handed over by default). */
export async function issueTestCertificate(db: Knex, ca: TestCa, p: PersonInput): Promise<IssuedTestCertificate> {
  const keys = (await webcrypto.subtle.generateKey(alg, true, ["sign", "verify"])) as CryptoKeyPair;
  const serial = (randomBytes(1)[0] & 0x7f | 0x10).toString(16) + randomBytes(9).toString("hex");
  const o = p.o ?? "Văn phòng Chính phủ";
  const parts: Array<[string, string]> = [["C", "VN"], ["ST", p.st ?? "Hà Nội"], ["L", p.l ?? "Ba Đình"], ["O", o]];
  if (p.ou) parts.push(["OU", p.ou]);
  if (p.title) parts.push(["T", p.title]);
  parts.push(["CN", p.cn]);
  if (p.uid) parts.push(["UID", p.uid]);
  if (p.serialNumber) parts.push(["SERIALNUMBER", p.serialNumber]);
  const notBefore = new Date(Date.now() - 3600_000);
  const notAfter = p.notAfter ?? new Date(Date.now() + 3 * 365 * 86400_000);
  const exts: X509.Extension[] = [new x509.BasicConstraintsExtension(false, undefined, true)];
  if (p.email) exts.push(new x509.SubjectAlternativeNameExtension([{ type: "email", value: p.email }]));
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serial, subject: vnName(parts), issuer: ca.cert.subjectName, notBefore, notAfter,
    publicKey: keys.publicKey, signingKey: ca.keys.privateKey, signingAlgorithm: alg, extensions: exts,
  });
  const der = Buffer.from(cert.rawData);
  const status = p.status ?? "issued";
  await db("certificates").insert({
    serial, ca_name: ca.name, status, profile: p.profile ?? "individual",
    subject_dn: cert.subject, subject_cn: p.cn, subject_o: o, email: p.email ?? null, uid: p.uid ?? null,
    key_algorithm: "ECDSA-P256", not_before: notBefore.toISOString(), not_after: notAfter.toISOString(),
    der, revoked_at: status === "revoked" ? nowIso() : null,
    handed_over_at: p.handedOver === false ? null : nowIso(), created_at: nowIso(),
  });
  return { serial, der };
}

/**
 * A real CRL signed by the test CA, stored as the status capability's `crls` table would hold it
 * (migrations/20261125001400_status.ts).
 */
export async function storeTestCrl(db: Knex, ca: TestCa, revokedSerials: string[], opts: { delta?: boolean; number?: number } = {}): Promise<Buffer> {
  const crl = await x509.X509CrlGenerator.create({
    issuer: ca.cert.subjectName,
    thisUpdate: new Date(),
    nextUpdate: new Date(Date.now() + 86400_000),
    entries: revokedSerials.map((s) => ({ serialNumber: s, revocationDate: new Date() })),
    signingKey: ca.keys.privateKey, signingAlgorithm: alg,
    extensions: [new x509.Extension("2.5.29.20", false, new Uint8Array([0x02, 0x01, opts.number ?? 1]))],
  });
  const der = Buffer.from(crl.rawData);
  await db("crls").insert({
    ca_name: ca.name, number: opts.number ?? 1, kind: opts.delta ? "delta" : "full", this_update: nowIso(), der,
    next_update: new Date(Date.now() + 86400_000).toISOString(), entries: revokedSerials.length,
    revoked_total: revokedSerials.length, created_at: nowIso(),
    sha256: createHash("sha256").update(der).digest("hex"),
  });
  return der;
}
