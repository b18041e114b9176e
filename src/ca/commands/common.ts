import { DomainError } from "../../errors";
import { messages } from "../../messages";
import * as certificates from "../../store/certificates";
import { fromJson, type Db } from "../../store/db";
import { normalizeSerial } from "../serial";
import type { SubjectInfo } from "../subject";
import { generateKeyPair, type KeySpec } from "../algorithms";
import { buildPkcs12 } from "../pkcs12";
import { toPem } from "../x509/certificate";
import type { Services } from "../../service";
import { readCsr } from "../csr";

export function parseSerialParam(input: string): string {
  const s = normalizeSerial(input);
  if (!s) throw new DomainError("invalid_serial", messages.ca.invalidSerial(input), { serial: input });
  return s;
}

export async function mustGetCertificate(db: Db, serial: string, forUpdate = false) {
  const q = db("certificates").where({ serial });
  const row: certificates.CertificateRow | undefined = await (forUpdate ? q.forUpdate().first() : q.first());
  if (!row) throw new DomainError("certificate_not_found", messages.ca.certificateNotFound(serial), { serial }, "not_found");
  return row;
}

export const subjectOf = (row: certificates.CertificateRow): SubjectInfo => fromJson<SubjectInfo>(row.subject_json);

/** How the subscriber's key arrives: a CSR, or generated here and delivered once as PKCS#12. */
export type KeySource =
  | { csr: string }
  | { keyGeneration: "server"; pkcs12Password: string; keySpec?: KeySpec };

export interface ResolvedKey {
  spki: Buffer;
  keyGeneration: "csr" | "server" | "same-key";
  /** Only for server-side generation: sealed into the PKCS#12 then wiped. */
  pkcs8?: Buffer;
  pkcs12Password?: string;
}

export async function resolveKey(src: KeySource): Promise<ResolvedKey> {
  if ("csr" in src) return { spki: (await readCsr(src.csr)).spki, keyGeneration: "csr" };
  if (src.pkcs12Password.length < 8) throw new DomainError("pkcs12_password_weak", messages.ca.pkcs12PasswordWeak, {});
  const k = await generateKeyPair(src.keySpec ?? { kind: "rsa", bits: 2048 });
  return { spki: k.spki, keyGeneration: "server", pkcs8: k.pkcs8, pkcs12Password: src.pkcs12Password };
}

/** Packs the generated key with its certificate and chain, then wipes the key. Returns base64. */
export async function deliverPkcs12(s: Services, key: ResolvedKey, der: Buffer, caName: string, friendlyName: string): Promise<string | undefined> {
  if (!key.pkcs8) return undefined;
  try {
    const chain = (await s.ca.chain(caName)).map((c) => c.der);
    return buildPkcs12({ pkcs8: key.pkcs8, certificate: der, chain, password: key.pkcs12Password!, friendlyName }).toString("base64");
  } finally {
    key.pkcs8.fill(0);
    key.pkcs8 = undefined;
  }
}

export interface IssuedResult {
  serial: string;
  pem: string;
  der: Buffer;
  pkcs12?: string;
  notBefore: string;
  notAfter: string;
  caName: string;
}

export const resultOf = (c: { serial: string; der: Buffer; notBefore: string; notAfter: string; caName: string }, pkcs12?: string): IssuedResult => ({
  serial: c.serial, pem: toPem(c.der), der: c.der, pkcs12, notBefore: c.notBefore, notAfter: c.notAfter, caName: c.caName,
});
