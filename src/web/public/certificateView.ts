import crypto from "node:crypto";
import { AsnConvert } from "@peculiar/asn1-schema";
import { Certificate } from "@peculiar/asn1-x509";
import { RSAPublicKey } from "@peculiar/asn1-rsa";
import { ECParameters } from "@peculiar/asn1-ecc";
import type { X509Certificate } from "@peculiar/x509";
import x509 = require("../../ca/x509lib");
import { messages } from "../../messages";
import { maskIdentity } from "../render";
import { certificateStatusNow, type CertificateStatusRow } from "../../va/certificateStatus";

/**
 * What a relying party sees of a certificate: read from the certificate itself (never from the
 * dossier), with identity numbers masked. Every public page builds its view here.
 */
const m = messages.publicSite;

export interface SubjectField {
  label: string;
  value: string;
}

export interface CertificateView {
  serial: string;
  subject: SubjectField[];
  holder: string;
  agency: string;
  email: string;
  issuer: string;
  notBefore: string;
  notAfter: string;
  keyType: string;
  sha256: string;
  status?: StatusView;
}

export interface StatusView {
  state: string;
  label: string;
  reason?: string;
  revokedAt?: string;
}

const UID = "0.9.2342.19200300.100.1.1";
const SERIAL_NUMBER = "2.5.4.5";
/** Identity documents: căn cước công dân, chứng minh nhân dân, hộ chiếu (and the older CMT/CCCD forms). */
const IDENTITY_PREFIX = /^(CCCD|CMND|CMT|CC|HC|PP|PASSPORT)\s*[:\-]/i;

/** Masks a value that carries an identity number; other values pass through. */
export function maskIfIdentity(type: string, value: string): string {
  if (IDENTITY_PREFIX.test(value)) return maskIdentity(value.replace(/^(\w+)\s*[:\-]\s*/, (_, p: string) => `${p.toUpperCase()}:`));
  // Tax and budget codes (MST:, MNS:) identify organisations and are public.
  if (/^(MST|MNS|MQHNS)\s*:/i.test(value)) return value;
  if ((type === UID || type === "UID" || type === SERIAL_NUMBER) && /\d{6,}/.test(value)) return maskIdentity(value);
  // A CMND (9 digits) or CCCD (12 digits) written into any other field.
  return value.replace(/(?<!\d)(\d{9}|\d{12})(?!\d)/g, (d) => maskIdentity(d));
}

const curves: Record<string, string> = {
  "1.2.840.10045.3.1.7": "P-256",
  "1.3.132.0.34": "P-384",
  "1.3.132.0.35": "P-521",
};

function bitLength(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length && bytes[i] === 0) i++;
  if (i === bytes.length) return 0;
  return (bytes.length - i - 1) * 8 + (32 - Math.clz32(bytes[i]));
}

/** "RSA 2048 bit", "ECDSA P-256", "Ed25519". */
export function keyTypeOf(cert: Certificate): string {
  const spki = cert.tbsCertificate.subjectPublicKeyInfo;
  const oid = spki.algorithm.algorithm;
  if (oid === "1.2.840.113549.1.1.1") {
    const rsa = AsnConvert.parse(spki.subjectPublicKey, RSAPublicKey);
    return m.keyBits("RSA", bitLength(new Uint8Array(rsa.modulus)));
  }
  if (oid === "1.2.840.10045.2.1") {
    const curve = spki.algorithm.parameters ? AsnConvert.parse(spki.algorithm.parameters, ECParameters).namedCurve : undefined;
    return `ECDSA ${curve ? curves[curve] ?? curve : ""}`.trim();
  }
  if (oid === "1.3.101.112") return "Ed25519";
  if (oid === "1.3.101.113") return "Ed448";
  return oid;
}

/** 0A:1B:… upper-case with colons (how fingerprints are usually printed). */
export const colonHex = (hex: string) => hex.toUpperCase().replace(/(..)(?=.)/g, "$1:");

export function statusView(row: CertificateStatusRow, now = new Date()): StatusView {
  const s = certificateStatusNow(row, now);
  return {
    state: s.state,
    label: m.states[s.state],
    reason: s.state === "revoked" || s.state === "on_hold" ? m.reasons[s.reason ?? 0] ?? m.reasons[0] : undefined,
    revokedAt: s.revokedAt,
  };
}

/** The issuer as people name it: its CN, with the organisation. */
/** A distinguished name as people read it: "CN — O". */
export function nameLabel(name: X509Certificate["issuerName"], fallback: string): string {
  const parts: Record<string, string> = {};
  for (const rdn of name.toJSON()) for (const [k, v] of Object.entries(rdn) as [string, string[]][]) parts[k] ??= v[0];
  if (!parts.CN) return fallback;
  return parts.O && !parts.CN.includes(parts.O) ? `${parts.CN} — ${parts.O}` : parts.CN;
}

/**
 * The parsed part of a view depends only on the DER, which never changes for a serial: keep the
 * most recent ones (a search page shows up to 50 certificates; parsing is most of its cost).
 */
const parsedViews = new Map<string, CertificateView>();
const PARSED_VIEWS_MAX = 5000;

/** The public view of a certificate with its status now; throws on bytes that are not one. */
export function certificateView(
  bytes: Uint8Array,
  statusRow?: CertificateStatusRow & { sha256?: string | null },
  /** false for an uploaded certificate: nothing of an upload is kept, not even in memory. */
  keep = true,
): CertificateView {
  const sha256 = statusRow?.sha256 ?? crypto.createHash("sha256").update(bytes).digest("hex");
  if (!keep) return { ...parseView(bytes, sha256), status: statusRow ? statusView(statusRow) : undefined };
  let parsed = parsedViews.get(sha256);
  if (parsed) {
    parsedViews.delete(sha256);
  } else {
    parsed = parseView(bytes, sha256);
    if (parsedViews.size >= PARSED_VIEWS_MAX) parsedViews.delete(parsedViews.keys().next().value!);
  }
  parsedViews.set(sha256, parsed);
  return { ...parsed, status: statusRow ? statusView(statusRow) : undefined };
}

/** Parses DER into the status-free part of the view (one ASN.1 parse); throws on a malformed one. */
export function parseView(bytes: Uint8Array, sha256: string): CertificateView {
  const der = Uint8Array.from(bytes);
  const asn = AsnConvert.parse(der, Certificate);
  const tbs = asn.tbsCertificate;
  const subjectName = new x509.Name(tbs.subject);
  const issuerName = new x509.Name(tbs.issuer);
  const subject: SubjectField[] = [];
  let holder = "";
  let agency = "";
  let email = "";
  for (const rdn of subjectName.toJSON()) {
    for (const [type, values] of Object.entries(rdn)) {
      for (const raw of values) {
        const value = maskIfIdentity(type, raw);
        if (type === "CN" && !holder) holder = value;
        if (type === "O" && !agency) agency = value;
        if ((type === "E" || type === "1.2.840.113549.1.9.1") && !email) email = value;
        subject.push({ label: m.subjectLabels[type] ?? m.otherAttribute(type), value });
      }
    }
  }
  if (!email) {
    const ext = tbs.extensions?.find((e) => e.extnID === "2.5.29.17");
    if (ext) {
      const san = new x509.SubjectAlternativeNameExtension(AsnConvert.serialize(ext));
      const mail = san.names.items.find((n) => n.type === "email");
      if (mail) {
        email = mail.value;
        subject.push({ label: m.subjectLabels.E, value: mail.value });
      }
    }
  }
  return {
    serial: Buffer.from(tbs.serialNumber).toString("hex").replace(/^0+(?=.)/, ""),
    subject,
    holder,
    agency,
    email,
    issuer: nameLabel(issuerName, issuerName.toString()),
    notBefore: tbs.validity.notBefore.getTime().toISOString(),
    notAfter: tbs.validity.notAfter.getTime().toISOString(),
    keyType: keyTypeOf(asn),
    sha256: colonHex(sha256),
  };
}
