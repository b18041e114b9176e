import { loadData } from "./templates";
import { longDate, placeAndDate } from "./documentDate";

/** templates/documents/common.json: wording every document shares. */
export interface CommonWording {
  nationalTitle: string;
  motto: string;
  defaultPlace: string;
  blankNumber: string;
  provider: { parent: string; name: string; abbreviation: string; place: string; recipient: string };
  legalBasis: string;
  certificateTerm: string;
  labels: Record<string, Record<string, string> | string>;
}

export const commonWording = () => loadData<CommonWording>("common");

/**
 * Text from people (dossier fields) is normalised before it reaches a document: NFC, control
 * characters and line breaks become spaces, so no field can change the layout.
 */
export function clean<T>(value: T): T {
  if (typeof value === "string") {
    return value
      .normalize("NFC")
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, " ")
      .replace(/\s+/g, " ")
      .trim() as T;
  }
  if (Array.isArray(value)) return value.map(clean) as T;
  if (value && typeof value === "object" && !(value instanceof Date)) {
    const o: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) o[k] = clean(v);
    return o as T;
  }
  return value;
}

/**
 * The địa danh of a place-date line, from an address: its last part without the administrative
 * prefix ("…, thành phố Hà Nội" → "Hà Nội", "…, tỉnh Nghệ An" → "Nghệ An").
 */
export function placeFromAddress(address: string | null | undefined): string | undefined {
  if (!address) return undefined;
  const parts = address.split(",").map((p) => p.trim()).filter(Boolean);
  const last = parts[parts.length - 1];
  if (!last) return undefined;
  const place = last.replace(/^(thành phố|tp\.?|tỉnh)\s+/iu, "").trim();
  if (!place || /\d/.test(place) || /^(việt nam|vietnam)$/iu.test(place)) return parts.length > 1 ? placeFromAddress(parts.slice(0, -1).join(",")) : undefined;
  return place;
}

/** What every template sees besides its own data. */
export function baseContext(at: Date, place: string) {
  const common = commonWording();
  return { common, labels: common.labels, date: longDate(at), placeDate: placeAndDate(place, at) };
}
