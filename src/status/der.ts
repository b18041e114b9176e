/**
 * Minimal DER writer and reader for the hot paths of the status services (CRL entries, OCSP
 * responses, timestamp tokens). Requests are parsed with @peculiar/asn1-*; what we sign millions of
 * times is written here directly as bytes (X.690 §8 and §10: definite lengths, minimal encodings),
 * because the generic schema serialiser costs more than the signature (issue 9).
 */

import { tlv, seq, set, bitString, NULL, oid, time, TRUE as boolTrue } from "../ca/asn1/der";

/** The generic TLV writer, OIDs and RFC 5280 Time are shared with the issuance path (src/ca/asn1/der.ts). */
export { tlv, seq, set, bitString, NULL, oid, time };

/** X.690 §8.1.3: definite-form length octets. */
export function lengthBytes(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  while (n > 0) {
    bytes.unshift(n & 0xff);
    n = Math.floor(n / 256);
  }
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}


/** The header of a TLV whose content is written elsewhere (streamed SEQUENCE OF). */
export const header = (tag: number, contentLength: number) => Buffer.concat([Buffer.from([tag]), lengthBytes(contentLength)]);

export const octets = (b: Buffer | Uint8Array) => tlv(0x04, Buffer.from(b));
export { boolTrue };
/** [n] EXPLICIT */
export { explicit } from "../ca/asn1/der";
/** [n] IMPLICIT of a constructed type: the content of a SEQUENCE/SET under a context tag. */
export const implicitConstructed = (n: number, ...c: Buffer[]) => tlv(0xa0 | n, ...c);
/** [n] IMPLICIT of a primitive type (NULL → 80 00, GeneralizedTime → 80 0f …). */
export const implicitPrimitive = (n: number, content: Buffer) => tlv(0x80 | n, content);

/** INTEGER from a small non-negative number. */
export function intNumber(n: number): Buffer {
  const bytes: number[] = [];
  do {
    bytes.unshift(n & 0xff);
    n = Math.floor(n / 256);
  } while (n > 0);
  if (bytes[0] & 0x80) bytes.unshift(0);
  return tlv(0x02, Buffer.from(bytes));
}

/** INTEGER content octets of a positive integer from its big-endian magnitude (no sign). */
export function positiveIntegerContent(magnitude: Buffer): Buffer {
  let i = 0;
  while (i < magnitude.length - 1 && magnitude[i] === 0) i++;
  const m = magnitude.subarray(i);
  return m[0] & 0x80 ? Buffer.concat([Buffer.from([0]), m]) : m;
}

/** INTEGER from lower-case hex (our serial format: no leading zeros, positive). */
export function intHex(hex: string): Buffer {
  const even = hex.length % 2 ? "0" + hex : hex;
  return tlv(0x02, positiveIntegerContent(Buffer.from(even, "hex")));
}

/** ENUMERATED from a small number. */
export const enumerated = (n: number) => tlv(0x0a, Buffer.from([n]));


const pad = (n: number, w = 2) => String(n).padStart(w, "0");

/** GeneralizedTime content YYYYMMDDHHMMSSZ (RFC 5280 §4.1.2.5.2: no fractional seconds). */
export function generalizedTimeContent(d: Date): Buffer {
  return Buffer.from(
    `${pad(d.getUTCFullYear(), 4)}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}Z`,
    "latin1",
  );
}
export const generalizedTime = (d: Date) => tlv(0x18, generalizedTimeContent(d));


/** AlgorithmIdentifier with NULL parameters (RSA digests) or none. */
export const algorithm = (dotted: string, nullParams = true) => (nullParams ? seq(oid(dotted), NULL) : seq(oid(dotted)));

/** Extension ::= SEQUENCE { extnID, critical BOOLEAN DEFAULT FALSE, extnValue OCTET STRING } */
export const extension = (dotted: string, critical: boolean, value: Buffer) =>
  critical ? seq(oid(dotted), boolTrue, octets(value)) : seq(oid(dotted), octets(value));

// ---- reading ----

export interface Tlv {
  tag: number;
  /** offset of the tag byte */
  start: number;
  /** offset of the first content byte */
  contentStart: number;
  /** offset after the last content byte */
  end: number;
}

export class DerError extends Error {}

/** Reads one TLV at offset (single-byte tags only, definite lengths only). */
export function readTlv(buf: Uint8Array, offset: number, limit = buf.length): Tlv {
  if (offset + 2 > limit) throw new DerError("truncated");
  const tag = buf[offset];
  if ((tag & 0x1f) === 0x1f) throw new DerError("multi-byte tag");
  let len = buf[offset + 1];
  let p = offset + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4) throw new DerError("bad length");
    if (p + n > limit) throw new DerError("truncated");
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + buf[p + i];
    p += n;
  }
  if (p + len > limit) throw new DerError("truncated");
  return { tag, start: offset, contentStart: p, end: p + len };
}

/** The children of a constructed TLV. */
export function children(buf: Uint8Array, t: Tlv): Tlv[] {
  const out: Tlv[] = [];
  let p = t.contentStart;
  while (p < t.end) {
    const c = readTlv(buf, p, t.end);
    out.push(c);
    p = c.end;
  }
  return out;
}

export const raw = (buf: Uint8Array, t: Tlv) => Buffer.from(buf.buffer, buf.byteOffset + t.start, t.end - t.start);
export const content = (buf: Uint8Array, t: Tlv) => Buffer.from(buf.buffer, buf.byteOffset + t.contentStart, t.end - t.contentStart);
