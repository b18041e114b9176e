import crypto from "node:crypto";
import { bitString, childrenOf, contents, explicit, oid, raw, readElement, seq, smallInt, time, uint } from "../asn1/der";
import type { CaSigner } from "../signer";
import { EXT, keyIdentifierOf } from "./extensions";

/**
 * Assembling certificates fast (issue 9): everything that does not change between two
 * certificates of one profile and issuer (version, signature algorithm, issuer name, the constant
 * extensions) is encoded once into a TbsTemplate; a certificate then costs a few concatenations.
 *
 * RFC 5280 §4.1:
 *   TBSCertificate ::= SEQUENCE { version [0] EXPLICIT v3, serialNumber, signature AlgorithmIdentifier,
 *     issuer Name, validity Validity, subject Name, subjectPublicKeyInfo, extensions [3] EXPLICIT Extensions }
 *   Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm, signatureValue BIT STRING }
 */
export interface TbsTemplate {
  head: Buffer; // version [0] v3 — fixed
  signatureAlgorithm: Buffer;
  issuer: Buffer;
  /** Concatenated DER Extensions that every certificate of the template carries. */
  constantExtensions: Buffer;
}

const V3 = explicit(0, smallInt(2));

export function makeTemplate(opts: { signatureAlgorithm: Buffer; issuerName: Buffer; constantExtensions: Buffer[] }): TbsTemplate {
  return { head: V3, signatureAlgorithm: opts.signatureAlgorithm, issuer: opts.issuerName, constantExtensions: Buffer.concat(opts.constantExtensions) };
}

export interface TbsInput {
  /** Serial number magnitude (unsigned big-endian). */
  serial: Uint8Array;
  notBefore: Date;
  notAfter: Date;
  subjectName: Buffer;
  spki: Uint8Array;
  /** Per-certificate extensions (SKI, SAN), already DER-encoded. */
  extensions: Buffer[];
}

export function buildTbs(t: TbsTemplate, i: TbsInput): Buffer {
  return seq(
    t.head,
    uint(i.serial),
    t.signatureAlgorithm,
    t.issuer,
    seq(time(i.notBefore), time(i.notAfter)),
    i.subjectName,
    Buffer.from(i.spki),
    explicit(3, seq(t.constantExtensions, ...i.extensions)),
  );
}

export function assembleCertificate(tbs: Uint8Array, signatureAlgorithm: Buffer, signature: ArrayBuffer | Uint8Array): Buffer {
  return seq(Buffer.from(tbs), signatureAlgorithm, bitString(new Uint8Array(signature)));
}

export async function signTbs(signer: Pick<CaSigner, "sign" | "signatureAlgorithmDer">, tbs: Buffer): Promise<Buffer> {
  return assembleCertificate(tbs, signer.signatureAlgorithmDer, await signer.sign(tbs));
}

/** The parts of a DER certificate an issuer needs: its subject Name (raw bytes), SPKI and key identifier. */
export interface ParsedCertificate {
  tbs: Buffer;
  serialHex: string;
  subjectName: Buffer;
  issuerName: Buffer;
  spki: Buffer;
  subjectKeyId: Buffer;
  notBefore: Date;
  notAfter: Date;
}

export function parseCertificate(der: Uint8Array): ParsedCertificate {
  const cert = readElement(der);
  const [tbsEl] = childrenOf(der, cert);
  const parts = childrenOf(der, tbsEl);
  const off = parts[0].tag === 0xa0 ? 1 : 0;
  const serial = contents(der, parts[off]);
  const issuer = raw(der, parts[off + 2]);
  const validity = childrenOf(der, parts[off + 3]).map((e) => parseTime(e.tag, contents(der, e).toString("ascii")));
  const subject = raw(der, parts[off + 4]);
  const spki = raw(der, parts[off + 5]);
  let ski: Buffer | undefined;
  const extsWrap = parts.find((p) => p.tag === 0xa3);
  if (extsWrap) {
    const [exts] = childrenOf(der, extsWrap);
    for (const ext of childrenOf(der, exts)) {
      const kids = childrenOf(der, ext);
      if (contents(der, kids[0]).equals(oid(EXT.subjectKeyIdentifier).subarray(2))) {
        const value = contents(der, kids[kids.length - 1]);
        ski = contents(value, readElement(value));
      }
    }
  }
  return {
    tbs: raw(der, tbsEl),
    serialHex: normalizeSerialBytes(serial),
    subjectName: subject,
    issuerName: issuer,
    spki,
    subjectKeyId: ski ?? keyIdentifierOf(spki),
    notBefore: validity[0],
    notAfter: validity[1],
  };
}

function parseTime(tag: number, s: string): Date {
  const full = tag === 0x17 ? (Number(s.slice(0, 2)) >= 50 ? "19" : "20") + s : s;
  return new Date(`${full.slice(0, 4)}-${full.slice(4, 6)}-${full.slice(6, 8)}T${full.slice(8, 10)}:${full.slice(10, 12)}:${full.slice(12, 14)}Z`);
}

const normalizeSerialBytes = (b: Buffer) => b.toString("hex").replace(/^0+(?=.)/, "");

export const sha256Hex = (der: Uint8Array) => crypto.createHash("sha256").update(der).digest("hex");

export const toPem = (der: Uint8Array, label = "CERTIFICATE") =>
  `-----BEGIN ${label}-----\n${Buffer.from(der).toString("base64").replace(/(.{64})/g, "$1\n").replace(/\n$/, "")}\n-----END ${label}-----\n`;

export function fromPem(text: string, label?: string): Buffer {
  const re = label ? new RegExp(`-----BEGIN ${label}-----([\\s\\S]*?)-----END ${label}-----`) : /-----BEGIN [A-Z0-9 ]+-----([\s\S]*?)-----END [A-Z0-9 ]+-----/;
  const m = re.exec(text);
  if (!m) throw new Error(`no PEM ${label ?? ""} block`);
  return Buffer.from(m[1].replace(/\s+/g, ""), "base64");
}
