import crypto from "node:crypto";

/**
 * Serial numbers (RFC 5280 §4.1.2.2, CA/B BR §7.1: at least 64 bits from a CSPRNG): 128 random
 * bits, positive, at most 17 DER octets. The first octet is kept ≥ 0x10 so the lower-case hex form
 * is always 32 digits with no leading zero to strip — the same text in the DB, URLs and openssl.
 */
export function newSerial(): { hex: string; bytes: Buffer } {
  for (;;) {
    const bytes = crypto.randomBytes(16);
    if (bytes[0] >= 0x10) return { hex: bytes.toString("hex"), bytes };
  }
}

/** A serial as people and URLs write it (hex, any case, colons or spaces) → our stored form, or undefined. */
export function normalizeSerial(input: string): string | undefined {
  const s = input.trim().replace(/[:\s]/g, "").toLowerCase().replace(/^0x/, "");
  if (!/^[0-9a-f]{1,64}$/.test(s)) return undefined;
  return s.replace(/^0+(?=.)/, "");
}

export const serialBytes = (hex: string) => Buffer.from(hex.length % 2 ? `0${hex}` : hex, "hex");
