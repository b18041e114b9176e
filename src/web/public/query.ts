import { DomainError } from "../../errors";
import { messages } from "../../messages";
import { searchKey } from "../../text/searchKey";

/**
 * What a lookup query means. A serial is hex, with or without colons or spaces; an e-mail has an
 * @; anything else is words of a name or an agency. Identity numbers are refused: nobody looks a
 * person up by CCCD/CMND/passport number on the public site.
 */
export type LookupQuery =
  | { kind: "empty" }
  | { kind: "serial"; serial: string }
  | { kind: "email"; email: string }
  | { kind: "text"; words: string[] };

const m = messages.publicSite;

/** CCCD (12 digits), CMND (9 or 12), passport (a letter and 7–8 digits), or a labelled number. */
export function looksLikeIdentityNumber(q: string): boolean {
  const compact = q.replace(/[\s.\-]/g, "");
  // A label followed by digits only: "cc28f8…" is a serial that happens to begin with "cc".
  if (/^(cccd|cmnd|cmt|cc|hc|hochieu|passport|pp)[:#]?\d{6,12}$/i.test(compact)) return true;
  if (/^\d{9}$|^\d{12}$/.test(compact)) return true;
  if (/^[a-z]\d{7,8}$/i.test(compact)) return true;
  // An identity number written inside a name query ("Nguyễn Văn A 001203004567").
  if (/(^|\D)\d{9,12}(\D|$)/.test(q) && !/^[0-9a-f:\s]+$/i.test(q.trim())) return true;
  return false;
}

export function parseLookupQuery(raw: unknown): LookupQuery {
  const q = typeof raw === "string" ? raw.trim() : "";
  if (q === "") return { kind: "empty" };
  if (q.length > 200) throw new DomainError("query_too_long", m.queryTooLong);
  if (looksLikeIdentityNumber(q)) throw new DomainError("identity_query_refused", m.queryIdentityRefused);
  if (q.includes("@")) return { kind: "email", email: q.toLowerCase() };
  const hex = q.replace(/[\s:]/g, "");
  if (/^[0-9a-f]{8,64}$/i.test(hex) && /\d/.test(hex)) return { kind: "serial", serial: hex.toLowerCase().replace(/^0+(?=.)/, "") };
  const key = searchKey(q);
  if (key.replace(/\s/g, "").length < 3) throw new DomainError("query_too_short", m.queryTooShort);
  return { kind: "text", words: key.split(" ").filter(Boolean) };
}
