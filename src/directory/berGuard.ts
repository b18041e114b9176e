/**
 * A guard in front of ldapjs's message parser. Some malformed BER (a component longer than the
 * sequence that holds it) sends ldapjs into an endless loop that grows an array until V8 aborts
 * the whole process; other shapes make it throw. Each LDAPMessage is therefore framed here and
 * checked against X.690 before ldapjs sees it: definite lengths only, every constructed value
 * exactly filled by its children, bounded nesting and size. A connection that sends anything else
 * is closed.
 */
export const MAX_MESSAGE_BYTES = 1024 * 1024;
const MAX_DEPTH = 48;

export class BerError extends Error {}

/** Reads a tag and a definite length at `at`; returns the header size and content length, or undefined if incomplete. */
function header(buf: Buffer, at: number, end: number): { tag: number; hdr: number; len: number } | undefined {
  if (at >= end) return undefined;
  const tag = buf[at];
  if ((tag & 0x1f) === 0x1f) throw new BerError("multi-byte tags are not used by LDAP");
  if (at + 1 >= end) return undefined;
  const first = buf[at + 1];
  if (first < 0x80) return { tag, hdr: 2, len: first };
  const n = first & 0x7f;
  if (n === 0) throw new BerError("indefinite length");
  if (n > 4) throw new BerError("length too long");
  if (at + 2 + n > end) return undefined;
  let len = 0;
  for (let i = 0; i < n; i++) len = len * 256 + buf[at + 2 + i];
  return { tag, hdr: 2 + n, len };
}

function check(buf: Buffer, start: number, end: number, depth: number): void {
  if (depth > MAX_DEPTH) throw new BerError("nesting too deep");
  let at = start;
  while (at < end) {
    const h = header(buf, at, end);
    if (!h || at + h.hdr + h.len > end) throw new BerError("component overruns its container");
    if (h.tag & 0x20) check(buf, at + h.hdr, at + h.hdr + h.len, depth + 1);
    at += h.hdr + h.len;
  }
}

/**
 * Splits a stream into whole, well-formed LDAPMessages. push() returns the complete messages so
 * far (keeping a partial one for the next chunk) and throws BerError on malformed input.
 */
export class BerFramer {
  private pending: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): Buffer[] {
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    const out: Buffer[] = [];
    for (;;) {
      const h = header(this.pending, 0, this.pending.length);
      if (!h) break;
      if (h.tag !== 0x30) throw new BerError("an LDAPMessage is a SEQUENCE");
      if (h.hdr + h.len > MAX_MESSAGE_BYTES) throw new BerError("message too large");
      if (this.pending.length < h.hdr + h.len) break;
      const msg = this.pending.subarray(0, h.hdr + h.len);
      check(msg, h.hdr, msg.length, 1);
      out.push(msg);
      this.pending = this.pending.subarray(h.hdr + h.len);
    }
    if (this.pending.length > MAX_MESSAGE_BYTES) throw new BerError("message too large");
    return out;
  }
}

function encodeLength(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}
const tlv = (tag: number, content: Buffer) => Buffer.concat([Buffer.from([tag]), encodeLength(content.length), content]);

/**
 * A search request whose base DN does not parse makes ldapjs drop the connection without an
 * answer. Find it first: returns the messageID (as its encoded INTEGER) and the base DN of a
 * SearchRequest, or undefined for other messages. `msg` is a checked LDAPMessage.
 */
export function searchBaseOf(msg: Buffer): { messageId: Buffer; base: string } | undefined {
  let at = msg[1] < 0x80 ? 2 : 2 + (msg[1] & 0x7f);
  const idHdr = header(msg, at, msg.length)!;
  if (idHdr.tag !== 0x02) return undefined;
  const messageId = msg.subarray(at + idHdr.hdr, at + idHdr.hdr + idHdr.len);
  at += idHdr.hdr + idHdr.len;
  const op = header(msg, at, msg.length);
  if (!op || op.tag !== 0x63) return undefined;
  const base = header(msg, at + op.hdr, msg.length);
  if (!base || base.tag !== 0x04) return undefined;
  const start = at + op.hdr + base.hdr;
  return { messageId, base: msg.subarray(start, start + base.len).toString("utf8") };
}

/** SearchResultDone with a result code and message (RFC 4511 §4.5.2). */
export function searchDone(messageId: Buffer, code: number, message: string): Buffer {
  const result = Buffer.concat([tlv(0x0a, Buffer.from([code])), tlv(0x04, Buffer.alloc(0)), tlv(0x04, Buffer.from(message, "utf8"))]);
  return tlv(0x30, Buffer.concat([tlv(0x02, messageId), tlv(0x65, result)]));
}
