import type { CaSigner } from "../signer";
import { certInfo } from "../../status/certInfo";
import * as der from "../../status/der";

/** One revoked certificate as the CRL lists it (a row of `certificates`, already filtered). */
export interface RevokedEntry {
  serial: string; // lower-case hex
  revokedAt: string; // ISO
  reason: number | null; // RFC 5280 CRLReason code
  invalidityDate: string | null; // ISO
}

export interface CrlSpec {
  signer: CaSigner;
  number: number;
  thisUpdate: Date;
  nextUpdate: Date;
  /** Set for a delta CRL: the CRL number of the complete CRL it updates. */
  baseNumber?: number;
  /** Where the delta CRL is (freshestCRL of a complete CRL). */
  freshestCrlUrl?: string;
}

// RFC 5280 §5.3.1: reasonCode "unspecified (0)" SHOULD be absent rather than present; 7 is unused.
const REASON_OID = "2.5.29.21";
// §5.3.2 invalidityDate
const INVALIDITY_OID = "2.5.29.24";

/**
 * revokedCertificates ::= SEQUENCE OF SEQUENCE { userCertificate CertificateSerialNumber,
 *   revocationDate Time, crlEntryExtensions Extensions OPTIONAL }
 * Each entry is written straight to bytes; the caller concatenates pages.
 */
export function encodeEntry(e: RevokedEntry): Buffer {
  const parts = [der.intHex(e.serial), der.time(new Date(e.revokedAt))];
  const exts: Buffer[] = [];
  if (hasReason(e.reason)) exts.push(der.extension(REASON_OID, false, der.enumerated(e.reason!)));
  if (e.invalidityDate) exts.push(der.extension(INVALIDITY_OID, false, der.generalizedTime(new Date(e.invalidityDate))));
  if (exts.length) parts.push(der.seq(...exts));
  return der.seq(...parts);
}

const hasReason = (r: number | null) => r !== null && r !== undefined && r > 0 && r <= 10 && r !== 7;

// Fixed bytes of the two entry extensions (everything but the value).
const REASON_EXT_HEAD = Buffer.from([0x30, 0x0a, 0x06, 0x03, 0x55, 0x1d, 0x15, 0x04, 0x03, 0x0a, 0x01]);
const INVALIDITY_EXT_HEAD = Buffer.from([0x30, 0x18, 0x06, 0x03, 0x55, 0x1d, 0x18, 0x04, 0x11, 0x18, 0x0f]);
const ISO = /^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)/;

/** "2026-11-24T03:15:39.978Z" → "20261124031539Z" without a Date (seconds precision, RFC 5280). */
function isoToGeneralized(iso: string): string {
  const m = ISO.exec(iso);
  if (!m) return der.generalizedTimeContent(new Date(iso)).toString("latin1");
  return m[1] + m[2] + m[3] + m[4] + m[5] + m[6] + "Z";
}

/**
 * The same bytes as encodeEntry for a whole page, written into one buffer: no intermediate
 * Buffers per entry (a 1,000,000-entry CRL is 1,000,000 of these).
 */
export function encodePage(page: RevokedEntry[]): Buffer {
  const out = Buffer.allocUnsafe(page.length * 96);
  let p = 0;
  let lastIso = "";
  let lastTime = "";
  for (const e of page) {
    const hex = e.serial.length % 2 ? "0" + e.serial : e.serial;
    let serialLen = hex.length / 2;
    const pad = parseInt(hex.slice(0, 2), 16) & 0x80 ? 1 : 0;
    serialLen += pad;
    if (e.revokedAt !== lastIso) {
      lastIso = e.revokedAt;
      lastTime = isoToGeneralized(e.revokedAt);
      const y = Number(lastTime.slice(0, 4));
      if (y >= 1950 && y < 2050) lastTime = lastTime.slice(2); // UTCTime through 2049
    }
    const reason = hasReason(e.reason);
    const inv = e.invalidityDate ? isoToGeneralized(e.invalidityDate) : "";
    const extsLen = (reason ? 12 : 0) + (inv ? 26 : 0);
    const bodyLen = 2 + serialLen + 2 + lastTime.length + (extsLen ? 2 + extsLen : 0);
    if (serialLen > 126 || bodyLen > 127) {
      const b = encodeEntry(e); // never for our serials (≤ 20 octets); kept for completeness
      b.copy(out, p);
      p += b.length;
      continue;
    }
    out[p++] = 0x30;
    out[p++] = bodyLen;
    out[p++] = 0x02;
    out[p++] = serialLen;
    if (pad) out[p++] = 0;
    p += out.write(hex, p, "hex");
    out[p++] = lastTime.length === 13 ? 0x17 : 0x18;
    out[p++] = lastTime.length;
    p += out.write(lastTime, p, "latin1");
    if (extsLen) {
      out[p++] = 0x30;
      out[p++] = extsLen;
      if (reason) {
        REASON_EXT_HEAD.copy(out, p);
        p += REASON_EXT_HEAD.length;
        out[p++] = e.reason!;
      }
      if (inv) {
        INVALIDITY_EXT_HEAD.copy(out, p);
        p += INVALIDITY_EXT_HEAD.length;
        p += out.write(inv, p, "latin1");
      }
    }
  }
  return Buffer.from(out.subarray(0, p));
}

/**
 * Builds and signs a CRL (RFC 5280 §5.1) from pages of revoked entries, never holding more than
 * one page of row objects: entries become bytes page by page, and the outer SEQUENCE lengths are
 * computed from the byte counts. The TBSCertList is signed through the CaSigner.
 */
export async function buildCrl(spec: CrlSpec, pages: AsyncIterable<RevokedEntry[]>): Promise<{ der: Buffer; entries: number }> {
  const ca = certInfo(spec.signer.der);
  const chunks: Buffer[] = [];
  let entries = 0;
  let entryBytes = 0;
  for await (const page of pages) {
    const chunk = encodePage(page);
    chunks.push(chunk);
    entries += page.length;
    entryBytes += chunk.length;
  }
  // crlExtensions: authorityKeyIdentifier (§5.2.1), cRLNumber (§5.2.3), deltaCRLIndicator
  // (§5.2.4, critical) or freshestCRL (§5.2.6).
  const exts = [
    der.extension("2.5.29.35", false, der.seq(der.implicitPrimitive(0, ca.keyId))),
    der.extension("2.5.29.20", false, der.intHex(spec.number.toString(16))),
  ];
  if (spec.baseNumber !== undefined) {
    exts.push(der.extension("2.5.29.27", true, der.intHex(spec.baseNumber.toString(16))));
  } else if (spec.freshestCrlUrl) {
    const uri = der.tlv(0x86, Buffer.from(spec.freshestCrlUrl, "latin1"));
    exts.push(der.extension("2.5.29.46", false, der.seq(der.seq(der.explicit(0, der.implicitConstructed(0, uri))))));
  }
  const head = Buffer.concat([
    der.intNumber(1), // v2
    spec.signer.signatureAlgorithmDer,
    ca.subjectDer,
    der.time(spec.thisUpdate),
    der.time(spec.nextUpdate),
  ]);
  const tail = der.explicit(0, der.seq(...exts));
  const revokedHeader = entries ? der.header(0x30, entryBytes) : Buffer.alloc(0);
  const tbsLen = head.length + revokedHeader.length + entryBytes + tail.length;
  const tbs = Buffer.concat([der.header(0x30, tbsLen), head, revokedHeader, ...chunks, tail]);
  chunks.length = 0;
  const signature = Buffer.from(await spec.signer.sign(tbs));
  const sig = der.bitString(signature);
  const body = tbs.length + spec.signer.signatureAlgorithmDer.length + sig.length;
  return { der: Buffer.concat([der.header(0x30, body), tbs, spec.signer.signatureAlgorithmDer, sig]), entries };
}
