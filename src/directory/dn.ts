/**
 * Distinguished names as RFC 4514 strings: escaping values built from certificate data, parsing
 * (with \XX and \c escapes, multi-valued RDNs) and a canonical key for comparing DNs the way a
 * directory does (attribute types and caseIgnoreMatch values compared without case, Unicode NFC).
 */

export interface Ava {
  type: string;
  value: string;
}
export type Rdn = Ava[];

/**
 * RFC 4514 §2.4: escape '"', '+', ',', ';', '<', '>', '\\' anywhere; a leading '#' or space; a
 * trailing space; and NUL as \00. Other UTF-8 characters (Vietnamese letters) stay as they are.
 */
export function escapeDnValue(value: string): string {
  let out = "";
  const v = value.normalize("NFC");
  for (let i = 0; i < v.length; i++) {
    const ch = v[i];
    if (ch === "\u0000") out += "\\00";
    else if ('"+,;<>\\'.includes(ch)) out += "\\" + ch;
    else if ((i === 0 && (ch === "#" || ch === " ")) || (i === v.length - 1 && ch === " ")) out += "\\" + ch;
    else out += ch;
  }
  return out;
}

export const rdn = (type: string, value: string) => `${type}=${escapeDnValue(value)}`;

export class DnSyntaxError extends Error {}

/** Parses an RFC 4514 string into RDNs, most specific first. "" is the root (no RDNs). */
export function parseDn(dn: string): Rdn[] {
  const rdns: Rdn[] = [];
  if (dn.trim() === "") return rdns;
  let i = 0;
  let current: Rdn = [];
  const n = dn.length;
  while (i < n) {
    while (i < n && dn[i] === " ") i++;
    const typeFrom = i;
    while (i < n && dn[i] !== "=") i++;
    const type = dn.slice(typeFrom, i);
    if (i >= n || !/^\s*([A-Za-z][A-Za-z0-9-]*|\d+(\.\d+)*)\s*$/.test(type)) throw new DnSyntaxError(`invalid attribute type in ${dn}`);
    i++; // '='
    // The value is built from runs of plain characters (sliced, not copied byte by byte) and runs
    // of \XX escapes (decoded together, as they may spell one UTF-8 character).
    let value = "";
    let bytes: number[] = [];
    const flush = () => {
      if (bytes.length) value += Buffer.from(bytes).toString("utf8");
      bytes = [];
    };
    let trailingSpaces = 0;
    if (dn[i] === "#") {
      // BER-encoded value: keep it as the hex string (we never produce these).
      const from = i;
      i++;
      while (i < n && /[0-9a-fA-F]/.test(dn[i])) i++;
      value = dn.slice(from, i);
    } else {
      while (i < n && dn[i] !== "," && dn[i] !== "+" && dn[i] !== ";") {
        const ch = dn[i];
        if (ch === "\\") {
          const h = dn.slice(i + 1, i + 3);
          if (/^[0-9a-fA-F]{2}$/.test(h)) {
            bytes.push(parseInt(h, 16));
            i += 3;
          } else if (i + 1 < n) {
            flush();
            value += dn[i + 1];
            i += 2;
          } else throw new DnSyntaxError(`dangling escape in ${dn}`);
          trailingSpaces = 0;
        } else {
          flush();
          const from = i;
          while (i < n && dn[i] !== "," && dn[i] !== "+" && dn[i] !== ";" && dn[i] !== "\\") {
            trailingSpaces = dn[i] === " " ? trailingSpaces + 1 : 0;
            i++;
          }
          value += dn.slice(from, i);
        }
      }
      flush();
    }
    if (trailingSpaces) value = value.slice(0, value.length - trailingSpaces);
    current.push({ type: type.trim(), value });
    if (i < n && dn[i] === "+") {
      i++;
      continue;
    }
    rdns.push(current);
    current = [];
    if (i < n) i++; // ',' or ';'
  }
  if (current.length) rdns.push(current);
  return rdns;
}

export const formatDn = (rdns: Rdn[]) => rdns.map((r) => r.map((a) => rdn(a.type, a.value)).join("+")).join(",");

const canonicalAva = (a: Ava) =>
  `${a.type.toLowerCase()}=${escapeDnValue(a.value.normalize("NFC").toLowerCase().replace(/\s+/g, " ").trim())}`;

/** A key equal for equal DNs: compare DNs by key, never by their string forms. */
export function dnKey(dn: string | Rdn[]): string {
  const rdns = typeof dn === "string" ? parseDn(dn) : dn;
  return rdns.map((r) => r.map(canonicalAva).sort().join("+")).join(",");
}

