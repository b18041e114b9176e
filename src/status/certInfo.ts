import crypto from "node:crypto";
import { children, content, raw, readTlv } from "./der";

/**
 * The parts of a certificate the status services need, taken from its DER bytes as they are:
 * issuer and subject Name (for issuerNameHash, CRL issuer, IssuerAndSerialNumber), the public key
 * BIT STRING (issuerKeyHash, RFC 6960 §4.1.1), the key identifier (AKI), the serial.
 */
export interface CertInfo {
  der: Buffer;
  serialContent: Buffer;
  serialHex: string;
  issuerDer: Buffer;
  subjectDer: Buffer;
  /** SubjectPublicKeyInfo.subjectPublicKey without the unused-bits octet. */
  publicKeyBits: Buffer;
  /** SubjectKeyIdentifier, or the RFC 5280 §4.2.1.2 method (1) SHA-1 of the key bits. */
  keyId: Buffer;
  notAfter: Date;
}

const SKI_OID = Buffer.from([0x06, 0x03, 0x55, 0x1d, 0x0e]);

export function certInfo(der: Buffer | Uint8Array): CertInfo {
  const buf = Buffer.from(der);
  const cert = readTlv(buf, 0);
  const [tbs] = children(buf, cert);
  const parts = children(buf, tbs);
  let i = 0;
  if (parts[0].tag === 0xa0) i++; // version
  const serial = parts[i];
  const issuer = parts[i + 2];
  const validity = parts[i + 3];
  const subject = parts[i + 4];
  const spki = parts[i + 5];
  const [, bits] = children(buf, spki);
  const publicKeyBits = content(buf, bits).subarray(1);
  let keyId: Buffer | undefined;
  const ext = parts.find((p) => p.tag === 0xa3);
  if (ext) {
    const [exts] = children(buf, ext);
    for (const e of children(buf, exts)) {
      const ec = children(buf, e);
      if (raw(buf, ec[0]).equals(SKI_OID)) {
        const value = content(buf, ec[ec.length - 1]);
        keyId = content(value, readTlv(value, 0));
      }
    }
  }
  const [, notAfterTlv] = children(buf, validity);
  const serialContent = Buffer.from(content(buf, serial));
  return {
    der: buf,
    serialContent,
    serialHex: BigInt("0x" + (serialContent.toString("hex") || "0")).toString(16),
    issuerDer: Buffer.from(raw(buf, issuer)),
    subjectDer: Buffer.from(raw(buf, subject)),
    publicKeyBits: Buffer.from(publicKeyBits),
    keyId: keyId ? Buffer.from(keyId) : crypto.createHash("sha1").update(publicKeyBits).digest(),
    notAfter: parseTime(content(buf, notAfterTlv).toString("latin1"), notAfterTlv.tag),
  };
}

function parseTime(s: string, tag: number): Date {
  const full = tag === 0x17 ? (Number(s.slice(0, 2)) >= 50 ? "19" : "20") + s : s;
  return new Date(`${full.slice(0, 4)}-${full.slice(4, 6)}-${full.slice(6, 8)}T${full.slice(8, 10)}:${full.slice(10, 12)}:${full.slice(12, 14)}Z`);
}
