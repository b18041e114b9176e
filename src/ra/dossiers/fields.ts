import { z } from "zod";
import { messages } from "../../messages";
import provinceTable from "./provinceCodes.json";

/**
 * Field schemas of the request forms, each with a Vietnamese message that names the field.
 * Every text is trimmed and normalised to NFC before it is checked, so "Nguyễn" typed on a Mac
 * (NFD) and on Windows (NFC) is stored the same way.
 */
const m = messages.dossiers;

/** The 63 codes of Circular 07/2016/TT-BCA, Annex 1 (first 3 digits of a CCCD number). */
export const provinceCodes: Readonly<Record<string, string>> = provinceTable.codes;
export const isProvinceCode = (code: string) => Object.prototype.hasOwnProperty.call(provinceCodes, code);

const stringError = (label: string) => (iss: { input?: unknown }) =>
  iss.input === undefined || iss.input === null ? m.required(label) : m.notText(label);

/** Required text: trimmed, NFC, non-empty, bounded. */
export const text = (label: string, max = 500) =>
  z
    .string({ error: stringError(label) })
    .trim()
    .normalize("NFC")
    .min(1, m.empty(label))
    .max(max, m.tooLong(label, max))
    .describe(label);

const absent = (v: unknown) =>
  v === null || (typeof v === "string" && v.trim() === "") || (Array.isArray(v) && v.length === 0) ? undefined : v;

/** An optional field: absent, null, "" and [] all mean "not given" (stored as absent). */
export const optional = <T extends z.ZodType>(schema: T) => z.preprocess(absent, schema.optional()).optional();

export const optionalText = (label: string, max = 500) => optional(text(label, max));

/** Folds a phone number to its national form: spaces, dots, dashes, brackets out; +84/84 → 0. */
export function canonicalPhone(v: string): string {
  let s = v.replace(/[\s.\-()]/g, "");
  if (s.startsWith("+84")) s = "0" + s.slice(3);
  else if (/^84\d{9,10}$/.test(s)) s = "0" + s.slice(2);
  return s;
}

// Mobile: 10 digits, 0 + network prefix 3/5/7/8/9 (numbering plan after the 2018 conversion).
export const MOBILE = /^0[35789]\d{8}$/;
// Landline: 11 digits, 02 + area code (2–3 digits) + subscriber number (since the 2017 area-code change).
export const LANDLINE = /^02\d{9}$/;

const phoneText = (label: string) =>
  z.string({ error: stringError(label) }).trim().max(30, m.tooLong(label, 30)).normalize("NFC").overwrite(canonicalPhone).min(1, m.empty(label));

// refine, not regex: the JSON schema must not advertise the canonical pattern as the input format.
export const mobile = (label: string) => phoneText(label).refine((v) => MOBILE.test(v), m.invalidMobile(label)).describe(label);
export const phone = (label: string) =>
  phoneText(label).refine((s) => MOBILE.test(s) || LANDLINE.test(s), m.invalidPhone(label)).describe(label);
export const fax = (label: string) => phoneText(label).refine((v) => LANDLINE.test(v), m.invalidFax(label)).describe(label);

export const email = (label: string) =>
  z
    .string({ error: stringError(label) })
    .trim()
    .normalize("NFC")
    .min(1, m.empty(label))
    .max(254, m.tooLong(label, 254))
    .pipe(z.email({ error: m.invalidEmail(label) }))
    .describe(label);

/** Today in Viet Nam as YYYY-MM-DD (dates people write are local dates). */
export const todayInVietnam = (now = new Date()) => new Date(now.getTime() + 7 * 3600_000).toISOString().slice(0, 10);

export function isCalendarDate(s: string): boolean {
  const mt = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!mt) return false;
  const [y, mo, d] = [Number(mt[1]), Number(mt[2]), Number(mt[3])];
  const dt = new Date(Date.UTC(y, mo - 1, d));
  return y >= 1900 && dt.getUTCFullYear() === y && dt.getUTCMonth() === mo - 1 && dt.getUTCDate() === d;
}

/** A date as YYYY-MM-DD that exists in the calendar; `past` refuses dates after today. */
export const date = (label: string, opts: { past?: boolean } = {}) => {
  const s = z
    .string({ error: stringError(label) })
    .trim()
    .min(1, m.empty(label))
    .max(10, m.tooLong(label, 10))
    .refine(isCalendarDate, m.invalidDate(label));
  return (opts.past ? s.refine((v) => !isCalendarDate(v) || v <= todayInVietnam(), m.futureDate(label)) : s).describe(`${label} (YYYY-MM-DD)`);
};

/**
 * A point in time: ISO 8601 with an offset, or a date (taken as 00:00 in Viet Nam). Stored in UTC.
 */
export const instant = (label: string) =>
  z
    .string({ error: stringError(label) })
    .trim()
    .max(40, m.tooLong(label, 40))
    .refine((v) => (isCalendarDate(v) || /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(v)) && !Number.isNaN(Date.parse(v)), m.invalidDateTime(label))
    .transform((v) => new Date(isCalendarDate(v) ? `${v}T00:00:00+07:00` : v).toISOString())
    .describe(`${label} (ISO 8601)`);

export const ID_TYPES = ["CCCD", "CMND", "HC"] as const;
export type IdType = (typeof ID_TYPES)[number];

export const idTypeSchema = (label: string) =>
  z.preprocess(
    (v) => (typeof v === "string" ? v.trim().toUpperCase() : v),
    z.enum(ID_TYPES, { error: (iss) => (iss.input === undefined || iss.input === null ? m.required(label) : m.invalidChoice(label, [...ID_TYPES])) }),
  );

/**
 * Checks an identity number against its type and returns the Vietnamese message, or undefined.
 * CCCD (căn cước): 12 digits, the first 3 a province code of Circular 07/2016/TT-BCA.
 * CMND (chứng minh nhân dân): 9 or 12 digits. HC (hộ chiếu): one capital letter and 7 digits.
 * Without a type, any of the three shapes is accepted.
 */
export function idNumberProblem(idType: IdType | undefined, idNumber: string, label: string): string | undefined {
  switch (idType) {
    case "CCCD":
      if (!/^\d{12}$/.test(idNumber)) return m.invalidCccd(label);
      if (!isProvinceCode(idNumber.slice(0, 3))) return m.invalidCccdProvince(label, idNumber.slice(0, 3));
      return undefined;
    case "CMND":
      return /^(\d{9}|\d{12})$/.test(idNumber) ? undefined : m.invalidCmnd(label);
    case "HC":
      return /^[A-Z]\d{7}$/.test(idNumber) ? undefined : m.invalidPassport(label);
    default:
      return /^(\d{9}|\d{12}|[A-Z]\d{7})$/.test(idNumber) ? undefined : m.invalidAnyId(label);
  }
}

/** Identity numbers: spaces out, passport letters upper-case. The format is checked by the parent. */
export const idNumber = (label: string) =>
  z
    .string({ error: stringError(label) })
    .trim()
    .normalize("NFC")
    .overwrite((v) => v.replace(/\s+/g, "").toUpperCase())
    .min(1, m.empty(label))
    .max(20, m.tooLong(label, 20))
    .describe(label);

export const taxCode = (label: string) =>
  z.string({ error: stringError(label) }).trim().max(30, m.tooLong(label, 30)).overwrite((v) => v.replace(/\s+/g, "")).refine((v) => /^\d{10}(-\d{3})?$/.test(v), m.invalidTaxCode(label)).describe(label);

export const budgetCode = (label: string) =>
  z.string({ error: stringError(label) }).trim().regex(/^\d{7}$/, m.invalidBudgetCode(label)).describe(label);

/** Certificate serials: hexadecimal, stored lower-case without separators or leading zeros. */
export const serial = (label: string) =>
  z
    .string({ error: stringError(label) })
    .trim()
    .max(200, m.tooLong(label, 200))
    .overwrite((v) => v.replace(/[\s:]/g, "").toLowerCase().replace(/^0+(?=.)/, ""))
    .refine((v) => /^[0-9a-f]{1,64}$/.test(v), m.invalidSerial(label))
    .describe(label);

export const choice = <T extends readonly [string, ...string[]]>(label: string, values: T) =>
  z.enum(values, {
    error: (iss) => (iss.input === undefined || iss.input === null ? m.required(label) : m.invalidChoice(label, [...values])),
  });

export const list = <T extends z.ZodType>(label: string, item: T, max = 10_000) =>
  z
    .array(item, { error: (iss) => (iss.input === undefined || iss.input === null ? m.required(label) : m.notList(label)) })
    .min(1, m.listEmpty(label))
    .max(max, m.listTooLong(label, max));

export const object = <T extends z.core.$ZodLooseShape>(label: string, shape: T) =>
  z.object(shape, { error: (iss) => (iss.input === undefined || iss.input === null ? m.required(label) : m.notObject(label)) });

/** Lower-case, without diacritics (đ → d): for case- and accent-insensitive search. */
export function fold(s: string): string {
  return s
    .normalize("NFD")
    .replace(/\p{M}+/gu, "")
    .replace(/đ/g, "d")
    .replace(/Đ/g, "D")
    .toLowerCase()
    .replace(/\s+/g, " ")
    .trim();
}
