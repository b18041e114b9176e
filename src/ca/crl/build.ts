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
  if (e.reason !== null && e.reason !== undefined && e.reason !== 0 && e.reason !== 7 && e.reason >= 0 && e.reason <= 10) {
    exts.push(der.extension(REASON_OID, false, der.enumerated(e.reason)));
  }
  if (e.invalidityDate) exts.push(der.extension(INVALIDITY_OID, false, der.generalizedTime(new Date(e.invalidityDate))));
  if (exts.length) parts.push(der.seq(...exts));
  return der.seq(...parts);
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
    const encoded = page.map(encodeEntry);
    const chunk = Buffer.concat(encoded);
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
