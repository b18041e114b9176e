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
