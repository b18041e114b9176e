/**
 * A minimal DER writer for the hot path of issuance (issue 9): the constant parts of a profile are
 * encoded once (with @peculiar/asn1-schema types where they exist) and each certificate is then
 * assembled by concatenating tag-length-value pieces, without building object trees.
 * X.690 §8.1: identifier octet, definite length (short form < 128, long form otherwise), contents.
 */
export function tlv(tag: number, ...contents: Uint8Array[]): Buffer {
  let len = 0;
  for (const c of contents) len += c.length;
  const header = lengthHeader(tag, len);
  return Buffer.concat([header, ...contents], header.length + len);
}

function lengthHeader(tag: number, len: number): Buffer {
  if (len < 0x80) return Buffer.from([tag, len]);
  const bytes: number[] = [];
  for (let n = len; n > 0; n = Math.floor(n / 256)) bytes.unshift(n & 0xff);
  return Buffer.from([tag, 0x80 | bytes.length, ...bytes]);
}

export const seq = (...c: Uint8Array[]) => tlv(0x30, ...c);
export const set = (...c: Uint8Array[]) => tlv(0x31, ...c);
export const octetString = (b: Uint8Array) => tlv(0x04, b);
export const bitString = (b: Uint8Array) => tlv(0x03, Buffer.from([0]), b);
export const utf8String = (s: string) => tlv(0x0c, Buffer.from(s, "utf8"));
export const printableString = (s: string) => tlv(0x13, Buffer.from(s, "ascii"));
export const ia5String = (s: string) => tlv(0x16, Buffer.from(s, "ascii"));
export const NULL = Buffer.from([0x05, 0x00]);
export const TRUE = Buffer.from([0x01, 0x01, 0xff]);
/** [n] EXPLICIT (constructed context tag). */
export const explicit = (n: number, ...c: Uint8Array[]) => tlv(0xa0 | n, ...c);
/** [n] IMPLICIT primitive. */
export const implicitPrim = (n: number, b: Uint8Array) => tlv(0x80 | n, b);

/** INTEGER from unsigned big-endian magnitude: strips leading zeros, adds one if the top bit is set. */
export function uint(magnitude: Uint8Array): Buffer {
  let i = 0;
  while (i < magnitude.length - 1 && magnitude[i] === 0) i++;
  let b = Buffer.from(magnitude.subarray(i));
  if (b[0] & 0x80) b = Buffer.concat([Buffer.from([0]), b]);
  return tlv(0x02, b);
}

export function smallInt(n: number): Buffer {
  const bytes: number[] = [];
  let v = n;
  do {
    bytes.unshift(v & 0xff);
    v = Math.floor(v / 256);
  } while (v > 0);
  return uint(Buffer.from(bytes));
}

const oidCache = new Map<string, Buffer>();
/** OBJECT IDENTIFIER (X.690 §8.19): first two arcs as 40*a+b, then base-128 arcs. */
export function oid(dotted: string): Buffer {
  const cached = oidCache.get(dotted);
  if (cached) return cached;
  const arcs = dotted.split(".").map((a) => BigInt(a));
  const out: number[] = [];
  const push = (v: bigint) => {
    const tmp: number[] = [Number(v & 0x7fn)];
    for (v >>= 7n; v > 0n; v >>= 7n) tmp.unshift(Number((v & 0x7fn) | 0x80n));
    out.push(...tmp);
  };
  push(arcs[0] * 40n + arcs[1]);
  for (const a of arcs.slice(2)) push(a);
  const der = tlv(0x06, Buffer.from(out));
  oidCache.set(dotted, der);
  return der;
}

/**
 * RFC 5280 §4.1.2.5: dates through 2049 as UTCTime (YYMMDDHHMMSSZ), from 2050 as GeneralizedTime.
 */
export function time(d: Date): Buffer {
  const iso = d.toISOString(); // 2026-11-25T03:05:17.000Z
  const digits = iso.slice(0, 19).replace(/[-T:]/g, "");
  const year = d.getUTCFullYear();
  if (year < 2050 && year >= 1950) return tlv(0x17, Buffer.from(digits.slice(2) + "Z", "ascii"));
  return tlv(0x18, Buffer.from(digits + "Z", "ascii"));
}

/** Converts an IEEE P1363 (r||s) ECDSA signature, as WebCrypto returns it, to DER Ecdsa-Sig-Value. */
export function ecdsaP1363ToDer(sig: Uint8Array): Buffer {
  const half = sig.length / 2;
  return seq(uint(sig.subarray(0, half)), uint(sig.subarray(half)));
}

/** One DER element inside a buffer: its tag, where its contents start and where it ends. */
export interface Element {
  tag: number;
  /** Offset of the identifier octet. */
  start: number;
  contentStart: number;
  end: number;
}

export function readElement(buf: Uint8Array, offset = 0): Element {
  const tag = buf[offset];
  let len = buf[offset + 1];
  let p = offset + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4) throw new Error("unsupported DER length");
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + buf[p++];
  }
  const end = p + len;
  if (end > buf.length || tag === undefined) throw new Error("truncated DER");
  return { tag, start: offset, contentStart: p, end };
}

/** The elements directly inside a constructed element. */
export function childrenOf(buf: Uint8Array, parent: Element): Element[] {
  const out: Element[] = [];
  for (let p = parent.contentStart; p < parent.end; ) {
    const e = readElement(buf, p);
    out.push(e);
    p = e.end;
  }
  return out;
}

export const raw = (buf: Uint8Array, e: Element) => Buffer.from(buf.subarray(e.start, e.end));
export const contents = (buf: Uint8Array, e: Element) => Buffer.from(buf.subarray(e.contentStart, e.end));
