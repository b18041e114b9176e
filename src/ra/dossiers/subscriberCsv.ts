import { parse } from "csv-parse/sync";
import { DomainError } from "../../errors";
import { messages } from "../../messages";
import { fold } from "./fields";
import type { FieldProblem } from "./errors";

/**
 * The Mẫu 01 people list as a CSV file (UTF-8, optional BOM, comma or semicolon separated) with
 * the Vietnamese column headers clerks use:
 *   STT, Họ và tên, Ngày sinh, Loại giấy tờ, Số CCCD/CMND/Hộ chiếu, Ngày cấp, Nơi cấp,
 *   Thư điện tử công vụ, Cơ quan công tác, Tỉnh/Thành phố, Chức vụ, Số điện thoại di động,
 *   Số hiệu chứng thư cũ (nếu có).
 * Headers are matched without regard to case, accents and spacing; the JSON field names work too.
 * Dates may be dd/mm/yyyy (as Excel writes them in Viet Nam) or yyyy-mm-dd. Unknown columns
 * (Ghi chú…) are ignored. The result still goes through the dossier schema.
 */
export const CSV_COLUMNS = [
  { field: "fullName", header: "Họ và tên", aliases: ["ho ten", "ho va ten nguoi duoc cap"], required: true },
  { field: "dateOfBirth", header: "Ngày sinh", aliases: [], required: true, date: true },
  { field: "idType", header: "Loại giấy tờ", aliases: ["loai giay to tuy than"], required: false },
  { field: "idNumber", header: "Số CCCD/CMND/Hộ chiếu", aliases: ["so cccd/cmnd/hc", "so cccd/cmnd", "so giay to", "so giay to tuy than", "so dinh danh", "so cccd"], required: true },
  { field: "idIssueDate", header: "Ngày cấp", aliases: [], required: true, date: true },
  { field: "idIssuePlace", header: "Nơi cấp", aliases: [], required: true },
  { field: "email", header: "Thư điện tử công vụ", aliases: ["thu dien tu", "email"], required: true },
  { field: "workplace", header: "Cơ quan công tác", aliases: ["don vi cong tac"], required: true },
  { field: "province", header: "Tỉnh/Thành phố", aliases: ["tinh/tp", "tinh"], required: true },
  { field: "position", header: "Chức vụ", aliases: [], required: true },
  { field: "mobile", header: "Số điện thoại di động", aliases: ["so dien thoai", "dien thoai di dong", "so di dong"], required: true },
  { field: "previousCertificateSerial", header: "Số hiệu chứng thư cũ (nếu có)", aliases: ["so hieu chung thu cu", "so hieu chung thu so cu", "so hieu chung thu so cu (neu co)"], required: false },
] as const;

export type CsvField = (typeof CSV_COLUMNS)[number]["field"];

const headerKey = (h: string) => fold(h).replace(/\s*\/\s*/g, "/");

const headerIndex = new Map<string, (typeof CSV_COLUMNS)[number]>();
for (const c of CSV_COLUMNS) {
  for (const name of [c.header, c.field, ...c.aliases]) headerIndex.set(headerKey(name), c);
}

const ID_TYPE_WORDS: Record<string, "CCCD" | "CMND" | "HC"> = {
  cccd: "CCCD", "can cuoc": "CCCD", "can cuoc cong dan": "CCCD", "the can cuoc": "CCCD",
  cmnd: "CMND", "chung minh nhan dan": "CMND", cmt: "CMND",
  hc: "HC", "ho chieu": "HC", passport: "HC",
};

export interface ParsedList {
  /** People with JSON field names, still unvalidated. */
  people: Record<string, string>[];
  /** For each person: the file line it came from. */
  lines: number[];
  /** The header each field was read from (for error messages). */
  headerOf: Partial<Record<CsvField, string>>;
  /** Problems found while reading (dates, identity types), by row. */
  problems: FieldProblem[];
}

/** Reads the CSV text; throws a 400 for an unreadable file or missing columns. */
export function parseSubscriberCsv(text: string): ParsedList {
  const body = text.replace(/^\uFEFF/, "");
  const firstLine = body.slice(0, body.search(/\r?\n|$/));
  const delimiter = (firstLine.match(/;/g)?.length ?? 0) > (firstLine.match(/,/g)?.length ?? 0) ? ";" : ",";
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(body, { delimiter, bom: true, info: true, relax_column_count: true, skip_empty_lines: true, trim: true }) as never;
  } catch (err) {
    const e = err as { lines?: number; message?: string };
    throw new DomainError("csv_unreadable", messages.dossiers.csvUnreadable(e.lines ?? 0, String(e.message ?? "").replace(/^Invalid Record Length: /, "")), { line: e.lines ?? null });
  }
  if (records.length === 0) throw new DomainError("csv_empty", messages.dossiers.csvEmpty);
  const header = records[0].record.map((h) => h.normalize("NFC").trim());
  const columnOf = new Map<CsvField, number>();
  const headerOf: Partial<Record<CsvField, string>> = {};
  header.forEach((h, i) => {
    const key = headerKey(h);
    const col = headerIndex.get(key);
    if (!col) return; // STT, Ghi chú and other columns are not part of the list
    if (columnOf.has(col.field)) throw new DomainError("csv_duplicate_column", messages.dossiers.csvDuplicateColumn(h), { column: h });
    columnOf.set(col.field, i);
    headerOf[col.field] = h;
  });
  const missing = CSV_COLUMNS.filter((c) => c.required && !columnOf.has(c.field));
  if (missing.length) {
    throw new DomainError("csv_missing_column", missing.map((c) => messages.dossiers.csvMissingColumn(c.header)).join(" "), {
      missing: missing.map((c) => c.header),
    });
  }
  const people: Record<string, string>[] = [];
  const lines: number[] = [];
  const problems: FieldProblem[] = [];
  for (const { record, info } of records.slice(1)) {
    if (record.every((v) => v === "")) continue;
    const index = people.length;
    const person: Record<string, string> = {};
    for (const c of CSV_COLUMNS) {
      const i = columnOf.get(c.field);
      if (i === undefined) continue;
      let v = (record[i] ?? "").normalize("NFC").trim();
      if (v === "") continue;
      const problem = (message: string) =>
        problems.push({ field: `subscribers.${index}.${c.field}`, message, code: "invalid_format", row: index + 1, line: info.lines, column: headerOf[c.field] });
      if ("date" in c && c.date) {
        const d = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(v);
        if (d) v = `${d[3]}-${d[2].padStart(2, "0")}-${d[1].padStart(2, "0")}`;
        else if (!/^\d{4}-\d{2}-\d{2}$/.test(v)) {
          problem(messages.dossiers.csvInvalidDate(headerOf[c.field]!));
          continue;
        }
      }
      if (c.field === "idType") {
        const t = ID_TYPE_WORDS[fold(v)];
        if (!t) {
          problem(messages.dossiers.csvInvalidIdType(headerOf[c.field]!));
          continue;
        }
        v = t;
      }
      person[c.field] = v;
    }
    if (!person.idType && person.idNumber) person.idType = inferIdType(person.idNumber);
    people.push(person);
    lines.push(info.lines);
  }
  if (people.length === 0) throw new DomainError("csv_empty", messages.dossiers.csvEmpty);
  return { people, lines, headerOf, problems };
}

/** Without a "Loại giấy tờ" column: 12 digits is a CCCD, 9 a CMND, a letter and 7 digits a passport. */
export function inferIdType(idNumber: string): string {
  const s = idNumber.replace(/\s+/g, "").toUpperCase();
  if (/^\d{12}$/.test(s)) return "CCCD";
  if (/^\d{9}$/.test(s)) return "CMND";
  if (/^[A-Z]\d{7}$/.test(s)) return "HC";
  return "CCCD";
}

export const headerOfField = (field: string): string | undefined => CSV_COLUMNS.find((c) => c.field === field)?.header;

/** An empty Mẫu 01 list for clerks to fill in: BOM (so Excel reads UTF-8) and the headers. */
export const subscriberCsvTemplate = () => "\uFEFF" + ["STT", ...CSV_COLUMNS.map((c) => c.header)].join(",") + "\r\n";
