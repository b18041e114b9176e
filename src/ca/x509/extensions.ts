import crypto from "node:crypto";
import { bitString, childrenOf, contents, explicit, ia5String, implicitPrim, octetString, oid, readElement, seq, smallInt, tlv, TRUE } from "../asn1/der";

/**
 * The X.509 v3 extensions this CA writes (RFC 5280 §4.2), each encoded to its DER Extension:
 *   Extension ::= SEQUENCE { extnID OBJECT IDENTIFIER, critical BOOLEAN DEFAULT FALSE, extnValue OCTET STRING }
 */
export function extension(extnId: string, critical: boolean, value: Uint8Array): Buffer {
  return critical ? seq(oid(extnId), TRUE, octetString(value)) : seq(oid(extnId), octetString(value));
}

export const EXT = {
  subjectKeyIdentifier: "2.5.29.14",
  keyUsage: "2.5.29.15",
  subjectAltName: "2.5.29.17",
  basicConstraints: "2.5.29.19",
  crlDistributionPoints: "2.5.29.31",
  certificatePolicies: "2.5.29.32",
  authorityKeyIdentifier: "2.5.29.35",
  extKeyUsage: "2.5.29.37",
  authorityInfoAccess: "1.3.6.1.5.5.7.1.1",
} as const;

/** RFC 5280 §4.2.1.3 KeyUsage bit positions. */
export const KEY_USAGE_BITS = {
  digitalSignature: 0,
  nonRepudiation: 1,
  keyEncipherment: 2,
  dataEncipherment: 3,
  keyAgreement: 4,
  keyCertSign: 5,
  cRLSign: 6,
} as const;
export type KeyUsageName = keyof typeof KEY_USAGE_BITS;

/** RFC 5280 §4.2.1.12 and Microsoft's document signing purpose. */
export const EKU = {
  serverAuth: "1.3.6.1.5.5.7.3.1",
  clientAuth: "1.3.6.1.5.5.7.3.2",
  codeSigning: "1.3.6.1.5.5.7.3.3",
  emailProtection: "1.3.6.1.5.5.7.3.4",
  timeStamping: "1.3.6.1.5.5.7.3.8",
  ocspSigning: "1.3.6.1.5.5.7.3.9",
  documentSigning: "1.3.6.1.4.1.311.10.3.12",
} as const;
export type EkuName = keyof typeof EKU;

/** KeyUsage ::= BIT STRING, DER: trailing zero bits dropped and counted as unused (X.690 §11.2.2). */
export function keyUsage(usages: KeyUsageName[]): Buffer {
  let bits = 0;
  for (const u of usages) bits |= 1 << KEY_USAGE_BITS[u];
  const bytes: number[] = [];
  let highest = -1;
  for (let i = 0; i < 9; i++) if (bits & (1 << i)) highest = i;
  const nBytes = Math.floor(highest / 8) + 1;
  for (let b = 0; b < nBytes; b++) {
    let v = 0;
    for (let i = 0; i < 8; i++) if (bits & (1 << (b * 8 + i))) v |= 0x80 >> i;
    bytes.push(v);
  }
  const unused = nBytes * 8 - 1 - highest;
  return extension(EXT.keyUsage, true, tlv(0x03, Buffer.from([unused, ...bytes])));
}

export const extKeyUsage = (purposes: EkuName[]) => extension(EXT.extKeyUsage, false, seq(...purposes.map((p) => oid(EKU[p]))));

/** RFC 5280 §4.2.1.9: end entities CA:false (an empty SEQUENCE), marked critical here. */
export function basicConstraints(ca: boolean, pathLen?: number): Buffer {
  if (!ca) return extension(EXT.basicConstraints, true, seq());
  return extension(EXT.basicConstraints, true, pathLen === undefined ? seq(TRUE) : seq(TRUE, smallInt(pathLen)));
}

/** RFC 5280 §4.2.1.4: PolicyInformation ::= SEQUENCE { policyIdentifier, policyQualifiers OPTIONAL } */
export function certificatePolicies(policyOids: string[], cpsUri?: string): Buffer {
  const id_qt_cps = "1.3.6.1.5.5.7.2.1";
  return extension(
    EXT.certificatePolicies,
    false,
    seq(...policyOids.map((p) => (cpsUri ? seq(oid(p), seq(seq(oid(id_qt_cps), ia5String(cpsUri)))) : seq(oid(p))))),
  );
}

/** GeneralName uniformResourceIdentifier [6] IA5String. */
const uriName = (u: string) => implicitPrim(6, Buffer.from(u, "ascii"));

/**
 * RFC 5280 §4.2.1.13: one DistributionPoint whose fullName lists the HTTP and LDAP URLs.
 * DistributionPointName is a CHOICE, so its [0] tag is explicit; fullName is [0] IMPLICIT GeneralNames.
 */
export function crlDistributionPoints(uris: string[]): Buffer {
  return extension(EXT.crlDistributionPoints, false, seq(seq(explicit(0, tlv(0xa0, ...uris.map(uriName))))));
}

/** RFC 5280 §4.2.2.1: id-ad-ocsp and id-ad-caIssuers access descriptions. */
export function authorityInfoAccess(ocsp: string[], caIssuers: string[]): Buffer {
  return extension(
    EXT.authorityInfoAccess,
    false,
    seq(
      ...ocsp.map((u) => seq(oid("1.3.6.1.5.5.7.48.1"), uriName(u))),
      ...caIssuers.map((u) => seq(oid("1.3.6.1.5.5.7.48.2"), uriName(u))),
    ),
  );
}

/** RFC 5280 §4.2.1.1: AuthorityKeyIdentifier ::= SEQUENCE { keyIdentifier [0] IMPLICIT OCTET STRING } */
export const authorityKeyIdentifier = (keyId: Uint8Array) => extension(EXT.authorityKeyIdentifier, false, seq(implicitPrim(0, keyId)));

export const subjectKeyIdentifier = (keyId: Uint8Array) => extension(EXT.subjectKeyIdentifier, false, octetString(keyId));

/**
 * RFC 5280 §4.2.1.2 method (1): the SHA-1 of the BIT STRING subjectPublicKey (without tag, length
 * and unused-bits octet).
 */
export function keyIdentifierOf(spki: Uint8Array): Buffer {
  const outer = readElement(spki);
  const [, bits] = childrenOf(spki, outer);
  return crypto.createHash("sha1").update(contents(spki, bits).subarray(1)).digest();
}

/** RFC 5280 §4.2.1.6: rfc822Name [1], dNSName [2], iPAddress [7] (4 or 16 octets). */
export function subjectAltName(names: { email?: string[]; dns?: string[]; ip?: string[] }): Buffer | undefined {
  const parts: Buffer[] = [];
  for (const e of names.email ?? []) parts.push(implicitPrim(1, Buffer.from(e, "ascii")));
  for (const d of names.dns ?? []) parts.push(implicitPrim(2, Buffer.from(d, "ascii")));
  for (const ip of names.ip ?? []) parts.push(implicitPrim(7, ipBytes(ip)));
  if (parts.length === 0) return undefined;
  return extension(EXT.subjectAltName, false, seq(...parts));
}

export function ipBytes(ip: string): Buffer {
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(ip)) return Buffer.from(ip.split(".").map((n) => Number(n)));
  // IPv6: expand "::"
  const [head, tail] = ip.includes("::") ? ip.split("::") : [ip, undefined];
  const h = head ? head.split(":") : [];
  const t = tail !== undefined && tail !== "" ? tail.split(":") : [];
  const groups = tail === undefined ? h : [...h, ...Array(8 - h.length - t.length).fill("0"), ...t];
  if (groups.length !== 8) throw new Error(`invalid IP address ${ip}`);
  const out = Buffer.alloc(16);
  groups.forEach((g, i) => out.writeUInt16BE(parseInt(g, 16), i * 2));
  return out;
}
