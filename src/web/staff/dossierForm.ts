import { dossierLabels as L } from "../../messages/dossiers";
import { staffMessages as S } from "../../messages/staff";
import { ASSET_KINDS, CHANNELS, REVOCATION_REASONS, RENEWAL_CHANGE_TYPES, SubscriberSchema, type DossierKind } from "../../ra/dossiers/schema";
import { parseSubscriberCsv } from "../../ra/dossiers/subscriberCsv";
import { messages } from "../../messages";
import { DomainError } from "../../errors";
import { field, type StaffForm } from "./page";

/**
 * The dossier forms (Mẫu 01–06) as pages: which inputs each form has, how a submitted form becomes
 * the command's input (the same shape as POST /api/requests), how a dossier fills the form back for
 * editing, and the people-list preview. Validation is the dossier schema's, never repeated here.
 */
export const FORM_KINDS: Record<string, DossierKind> = {
  "01": "individual", "02": "organization", "03": "device", "04": "renewal_change", "05": "revocation", "06": "device_recovery",
};

export interface FieldSpec {
  name: string;
  label: string;
  type: "text" | "email" | "tel" | "number" | "select" | "textarea" | "checkbox" | "date";
  required?: boolean;
  options?: Record<string, string>;
  hint?: string;
}
export interface SectionSpec {
  title: string;
  fields: FieldSpec[];
}

const t = (name: string, label: string, required = false, type: FieldSpec["type"] = "text", hint?: string): FieldSpec => ({ name, label, type, required, hint });
const sel = (name: string, label: string, options: Record<string, string>, required = true): FieldSpec => ({ name, label, type: "select", options, required });

const reasonOptions = Object.fromEntries(REVOCATION_REASONS.map((r) => [r, messages.ca.reasons[r] ?? r]));
const idTypeOptions = S.idTypes;
const LIST_LINE_HINT = {
  assets: S.assetLineFormat,
  certificates: "Mỗi dòng: Số hiệu chứng thư số | Họ và tên người sử dụng (nếu có).",
  changes: "Mỗi dòng: Trường thông tin | Giá trị mới.",
  devices: "Mỗi dòng: Số sê-ri thiết bị | Mẫu thiết bị (nếu có).",
};

/** The sections of a form, in the order of the paper form. */
export function formSections(kind: DossierKind): SectionSpec[] {
  const issuance = ["individual", "organization", "device"].includes(kind);
  const agency: SectionSpec = {
    title: L.agency,
    fields: [
      t("agency.name", L["agency.name"], true), t("agency.headOfficeAddress", L["agency.headOfficeAddress"], true),
      t("agency.contactAddress", L["agency.contactAddress"]), t("agency.phone", L["agency.phone"], true, "tel", "Ví dụ: 024 3822 1234"),
      t("agency.fax", L["agency.fax"], false, "tel"), t("agency.email", L["agency.email"], true, "email"),
      t("agency.taxCode", L["agency.taxCode"], false, "text", kind === "organization" ? "Mẫu 02: cần mã số thuế hoặc mã quan hệ ngân sách." : undefined),
      t("agency.budgetCode", L["agency.budgetCode"], false, "text", "7 chữ số."),
    ],
  };
  const request: SectionSpec = {
    title: "Nội dung đề nghị",
    fields: [
      sel("channel", L.channel, S.channels),
      t("certificateType", L.certificateType, issuance),
      ...(kind === "individual" || kind === "organization" ? [] : [t("quantity", L.quantity, false, "number", "Để trống: bằng số dòng của danh sách.")]),
    ],
  };
  const specific: SectionSpec[] = [];
  switch (kind) {
    case "device":
      specific.push({ title: L.assets, fields: [{ ...t("assets", L.assets, true, "textarea"), hint: LIST_LINE_HINT.assets }] });
      break;
    case "renewal_change":
      specific.push({
        title: "Chứng thư số đề nghị gia hạn, thay đổi",
        fields: [
          sel("requestType", L.requestType, S.requestTypes),
          { ...t("certificates", L.certificates, true, "textarea"), hint: LIST_LINE_HINT.certificates },
          { ...t("changes", L.changes, false, "textarea"), hint: LIST_LINE_HINT.changes },
        ],
      });
      break;
    case "revocation":
      specific.push({
        title: "Chứng thư số đề nghị thu hồi",
        fields: [
          { ...t("certificates", L.certificates, true, "textarea"), hint: LIST_LINE_HINT.certificates },
          sel("reason", L.reason, reasonOptions), t("reasonDetail", "Lý do chi tiết", false, "textarea"),
        ],
      });
      break;
    case "device_recovery":
      specific.push({
        title: "Thiết bị cần khôi phục",
        fields: [
          { ...t("devices", L.devices, true, "textarea"), hint: LIST_LINE_HINT.devices },
          t("reason", L.reason, true, "textarea"),
        ],
      });
      specific.push({
        title: L.holder,
        fields: [
          t("holder.fullName", L.fullName, true), { ...sel("holder.idType", L.idType, idTypeOptions, false) },
          t("holder.idNumber", L.idNumber, true), t("holder.position", L.position), t("holder.workplace", L.workplace),
          t("holder.mobile", L.mobile, true, "tel"), t("holder.email", L.email, false, "email"),
        ],
      });
      break;
  }
  const receiver: SectionSpec = {
    title: `${L.receiver} (nếu có)`,
    fields: [
      t("receiver.fullName", L.fullName), { ...sel("receiver.idType", L.idType, idTypeOptions, false) }, t("receiver.idNumber", L.idNumber),
      t("receiver.position", L.position), t("receiver.mobile", L.mobile, false, "tel"), t("receiver.email", L.email, false, "email"),
      t("receiver.deliveryAddress", L.deliveryAddress),
    ],
  };
  const closing: SectionSpec = {
    title: "Cam kết và ghi chú",
    fields: [t("note", L.note, false, "textarea"), { name: "commitment", label: "Cơ quan, tổ chức cam kết sử dụng chứng thư số đúng mục đích", type: "checkbox", required: true }],
  };
  return [agency, request, ...specific, receiver, closing];
}

export const hasPeopleCsv = (kind: DossierKind) => kind === "individual" || kind === "organization";

const FIELD_NAMES = (kind: DossierKind) => formSections(kind).flatMap((s) => s.fields.map((f) => f.name));

/** The form's inputs grouped by top-level field: { agency: ["agency.name", …], note: ["note"] }. */
export function formFieldsByTop(kind: DossierKind): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const n of FIELD_NAMES(kind)) (out[n.split(".")[0]] ??= []).push(n);
  return out;
}

/** Sets a dotted path ("agency.name") on an object. */
function setPath(o: Record<string, unknown>, path: string, v: unknown) {
  const parts = path.split(".");
  let cur = o;
  for (const p of parts.slice(0, -1)) cur = (cur[p] ??= {}) as Record<string, unknown>;
  cur[parts[parts.length - 1]] = v;
}

const lines = (s: string) => s.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
const cells = (l: string) => l.split("|").map((c) => c.trim());
const ASSET_WORDS: Record<string, string> = { "thiết bị": "device", "dịch vụ": "service", "phần mềm": "software" };

/** A submitted form → the dossier input (empty inputs left out, so the schema names what is missing). */
export function inputFromForm(kind: DossierKind, f: StaffForm, people?: Record<string, string>[]): Record<string, unknown> {
  const out: Record<string, unknown> = { kind };
  for (const name of FIELD_NAMES(kind)) {
    const v = field(f, name);
    if (name === "commitment") {
      out.commitment = v === "on" || v === "true" ? true : undefined;
      continue;
    }
    if (v === "") continue;
    switch (name) {
      case "quantity":
        out.quantity = /^\d+$/.test(v) ? Number(v) : v;
        break;
      case "assets":
        out.assets = lines(v).map((l) => {
          const [n, k, id] = cells(l);
          return { name: n || undefined, kind: ASSET_WORDS[(k ?? "").toLowerCase()] ?? (k || undefined), identifier: id || undefined };
        });
        break;
      case "certificates":
        out.certificates = lines(v).map((l) => {
          const [serial, holderName] = cells(l);
          return { serial: serial.replace(/[:\s]/g, "").toLowerCase() || undefined, ...(holderName ? { holderName } : {}) };
        });
        break;
      case "changes":
        out.changes = lines(v).map((l) => {
          const [fieldName, newValue] = cells(l);
          return { field: fieldName || undefined, newValue: newValue || undefined };
        });
        break;
      case "devices":
        out.devices = lines(v).map((l) => {
          const [serial, model] = cells(l);
          return { serial: serial || undefined, ...(model ? { model } : {}) };
        });
        break;
      default:
        setPath(out, name, v);
    }
  }
  if (people) {
    out.subscribers = people;
    out.quantity = people.length;
  }
  if (out.quantity === undefined) {
    const list = (out.assets ?? out.certificates ?? out.devices) as unknown[] | undefined;
    if (list) out.quantity = list.length;
  }
  return out;
}

/** The form's values from a stored dossier (for the edit page). */
export function valuesOfDossier(d: Record<string, any>): Record<string, string> {
  const v: Record<string, string> = {};
  const flat = (prefix: string, o: Record<string, unknown> | undefined) => {
    for (const [k, x] of Object.entries(o ?? {})) if (x !== null && x !== undefined && typeof x !== "object") v[`${prefix}.${k}`] = String(x);
  };
  flat("agency", d.agency);
  flat("receiver", d.receiver);
  flat("holder", d.holder);
  for (const k of ["channel", "certificateType", "quantity", "note", "requestType", "reasonDetail"]) if (d[k] !== undefined && d[k] !== null) v[k] = String(d[k]);
  if (typeof d.reason === "string") v.reason = d.reason;
  if (d.commitment) v.commitment = "on";
  const kindOf: Record<string, string> = Object.fromEntries(Object.entries(ASSET_WORDS).map(([a, b]) => [b, a]));
  if (Array.isArray(d.assets)) v.assets = d.assets.map((a: any) => [a.name, kindOf[a.kind] ?? a.kind, a.identifier].join(" | ")).join("\n");
  if (Array.isArray(d.certificates)) v.certificates = d.certificates.map((c: any) => [c.serial, c.holderName].filter(Boolean).join(" | ")).join("\n");
  if (Array.isArray(d.changes)) v.changes = d.changes.map((c: any) => `${c.field} | ${c.newValue}`).join("\n");
  if (Array.isArray(d.devices)) v.devices = d.devices.map((x: any) => [x.serial, x.model].filter(Boolean).join(" | ")).join("\n");
  return v;
}

/** The form's values as submitted (to show them again next to the errors). */
export function valuesOfForm(kind: DossierKind, f: StaffForm): Record<string, string> {
  const v: Record<string, string> = {};
  for (const name of FIELD_NAMES(kind)) {
    const x = f.fields[name];
    if (x !== undefined) v[name] = Array.isArray(x) ? x.join("\n") : x;
  }
  return v;
}

export interface PreviewRow {
  row: number;
  line: number;
  person: Record<string, string>;
  errors: { column: string; message: string }[];
}
export interface PeoplePreview {
  csvText: string;
  filename?: string;
  rows: PreviewRow[];
  errorCount: number;
  /** A problem with the whole file (unreadable, a missing column). */
  fileError?: string;
}

const SUBSCRIBER_COLUMNS = ["fullName", "dateOfBirth", "idType", "idNumber", "idIssueDate", "idIssuePlace", "email", "workplace", "province", "position", "mobile", "previousCertificateSerial"];
export const subscriberColumns = SUBSCRIBER_COLUMNS.map((c) => ({ field: c, label: (L as Record<string, string>)[c] ?? c }));

/**
 * Reads the uploaded list and checks every row with the dossier's own person schema, without
 * saving: each row with its problems (by column), so the clerk fixes the file before saving.
 */
export function previewPeople(csvText: string, filename?: string, extra: Record<string, string> = {}): PeoplePreview {
  let parsed: ReturnType<typeof parseSubscriberCsv>;
  try {
    parsed = parseSubscriberCsv(csvText);
  } catch (e) {
    if (e instanceof DomainError) return { csvText, filename, rows: [], errorCount: 1, fileError: e.message };
    throw e;
  }
  const rows: PreviewRow[] = parsed.people.map((person, i) => ({ row: i + 1, line: parsed.lines[i], person, errors: [] }));
  const label = (name: string) => (parsed.headerOf as Record<string, string>)[name] ?? (L as Record<string, string>)[name] ?? name;
  const seen = new Set<string>();
  for (const p of parsed.problems) {
    const [, idx, name] = p.field.split(".");
    rows[Number(idx)]?.errors.push({ column: label(name), message: p.message });
    seen.add(p.field);
  }
  parsed.people.forEach((person, i) => {
    const r = SubscriberSchema.safeParse(person);
    if (r.success) return;
    for (const issue of r.error.issues) {
      const name = String(issue.path[0] ?? "");
      if (seen.has(`subscribers.${i}.${name}`)) continue;
      rows[i].errors.push({ column: label(name), message: issue.message });
    }
  });
  // Problems the whole dossier found in the list (duplicates), keyed "subscribers.3.idNumber".
  for (const [path, message] of Object.entries(extra)) {
    const m = /^subscribers\.(\d+)\.?(\w*)$/.exec(path);
    if (m && rows[Number(m[1])] && !rows[Number(m[1])].errors.some((e) => e.message === message)) {
      rows[Number(m[1])].errors.push({ column: label(m[2]), message });
    }
  }
  return { csvText, filename, rows, errorCount: rows.reduce((a, r) => a + r.errors.length, 0) };
}

/**
 * Error paths → the inputs that show them: list errors ("assets.2.kind") gathered under their
 * textarea as "Dòng 3: …"; an error on a whole group ("holder" missing) shown at its first input.
 */
export function foldListErrors(errors: Record<string, string>, kind?: DossierKind): Record<string, string> {
  const out: Record<string, string> = {};
  const names = kind ? FIELD_NAMES(kind) : [];
  for (const [path, message] of Object.entries(errors)) {
    if (!names.length || names.includes(path)) continue;
    const first = names.find((n) => n.startsWith(`${path}.`));
    if (first && !(first in errors)) errors = { ...errors, [first]: message };
  }
  for (const [path, message] of Object.entries(errors)) {
    const m = /^(assets|certificates|changes|devices)\.(\d+)(?:\.\w+)?$/.exec(path);
    if (m) out[m[1]] = [out[m[1]], S.lineProblem(Number(m[2]) + 1, message)].filter(Boolean).join(" ");
    else out[path] = message;
  }
  return out;
}

export { CHANNELS, ASSET_KINDS, RENEWAL_CHANGE_TYPES };
