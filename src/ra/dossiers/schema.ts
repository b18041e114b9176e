import { z } from "zod";
import { messages } from "../../messages";
import {
  budgetCode, choice, date, isCalendarDate, email, fax, idNumber, idNumberProblem, idTypeSchema, instant, list, mobile, object, optional,
  optionalText, phone, serial, taxCode, text, type IdType,
} from "./fields";

/**
 * The request dossier (hồ sơ đề nghị) as the agency writes it, one schema per form of
 * Decree 68/2024/NĐ-CP, discriminated by `kind`:
 *   Mẫu 01 individual · 02 organization · 03 device (devices, services, software) ·
 *   04 renewal_change · 05 revocation · 06 device_recovery.
 * Field names are the API's contract; other capabilities (documents, review, ca) import these types.
 */
const m = messages.dossiers;
const L = messages.dossiers.labels;

export const DOSSIER_KINDS = ["individual", "organization", "device", "renewal_change", "revocation", "device_recovery"] as const;
export type DossierKind = (typeof DOSSIER_KINDS)[number];

/** The form number of each kind (Decree 68/2024/NĐ-CP appendix). */
export const FORM_OF_KIND: Record<DossierKind, string> = {
  individual: "01", organization: "02", device: "03", renewal_change: "04", revocation: "05", device_recovery: "06",
};

export const DOSSIER_STATUSES = [
  "draft", "received", "under_review", "needs_correction", "corrected", "accepted", "rejected", "withdrawn",
  "issuing", "issued", "handed_over", "published", "completed",
] as const;
export type DossierStatus = (typeof DOSSIER_STATUSES)[number];

/**
 * A dossier's content may be changed (PATCH, list upload) only in these statuses. An edit of a
 * dossier awaiting correction moves it to "corrected" (src/ra/review/transitions.ts), where the
 * agency may keep editing until it resubmits.
 */
export const EDITABLE_STATUSES: readonly DossierStatus[] = ["draft", "needs_correction", "corrected"];
export const isEditable = (status: string) => (EDITABLE_STATUSES as readonly string[]).includes(status);

/** How the dossier reached the provider (the source article: in person or by post). */
export const CHANNELS = ["in_person", "post", "electronic"] as const;
export type Channel = (typeof CHANNELS)[number];

export const ASSET_KINDS = ["device", "service", "software"] as const;

/** RFC 5280 §5.3.1 CRLReason names a requester may give (cACompromise, aACompromise, removeFromCRL are the CA's). */
export const REVOCATION_REASONS = [
  "unspecified", "keyCompromise", "affiliationChanged", "superseded", "cessationOfOperation", "certificateHold", "privilegeWithdrawn",
] as const;
export type RevocationReason = (typeof REVOCATION_REASONS)[number];

/** RFC 5280 reason codes of the names above. */
export const REVOCATION_REASON_CODES: Record<RevocationReason, number> = {
  unspecified: 0, keyCompromise: 1, affiliationChanged: 3, superseded: 4, cessationOfOperation: 5, certificateHold: 6, privilegeWithdrawn: 9,
};

export const RENEWAL_CHANGE_TYPES = ["renewal", "change"] as const;

/**
 * Upper bound of any list in one dossier: a 10,000-person list (issue 9's batch) is accepted,
 * imported from CSV, rendered (about 500 pages) and issued as one batch.
 */
export const MAX_LIST = 10_000;

const positiveInt = (label: string) =>
  z.preprocess(
    (v) => (typeof v === "string" && /^\s*\d+\s*$/.test(v) ? Number(v) : v),
    z
      .number({ error: (iss) => (iss.input === undefined || iss.input === null ? m.required(label) : m.invalidQuantityNumber(label)) })
      .int(m.invalidQuantityNumber(label))
      .min(1, m.invalidQuantityNumber(label))
      .max(MAX_LIST, m.listTooLong(label, MAX_LIST)),
  );

const runAlways = { when: () => true };

type IssueSink = { addIssue(issue: { code: "custom"; message: string; path: (string | number)[]; input?: unknown }): void };

/** Adds the identity-number format issue (depends on idType, so it is checked on the person). */
function checkIdentity(p: { idType?: unknown; idNumber?: unknown; dateOfBirth?: unknown; idIssueDate?: unknown }, ctx: IssueSink) {
  // Runs even when the object itself is missing (runAlways): that is reported as "required" elsewhere.
  if (!p || typeof p !== "object") return;
  if (typeof p.idNumber === "string" && p.idNumber.length > 0) {
    const t = typeof p.idType === "string" && ["CCCD", "CMND", "HC"].includes(p.idType) ? (p.idType as IdType) : undefined;
    if (p.idType === undefined || t) {
      const problem = idNumberProblem(t, p.idNumber, L.idNumber);
      if (problem) ctx.addIssue({ code: "custom", message: problem, path: ["idNumber"], input: p.idNumber });
    }
  }
  if (typeof p.dateOfBirth === "string" && typeof p.idIssueDate === "string" && isCalendarDate(p.dateOfBirth) && isCalendarDate(p.idIssueDate) && p.idIssueDate < p.dateOfBirth) {
    ctx.addIssue({ code: "custom", message: m.issueBeforeBirth(L.idIssueDate), path: ["idIssueDate"] });
  }
}

export const AgencySchema = object(L.agency, {
  name: text(L["agency.name"], 300),
  headOfficeAddress: text(L["agency.headOfficeAddress"], 500),
  contactAddress: optionalText(L["agency.contactAddress"], 500),
  phone: phone(L["agency.phone"]),
  fax: optional(fax(L["agency.fax"])),
  email: email(L["agency.email"]),
  taxCode: optional(taxCode(L["agency.taxCode"])),
  budgetCode: optional(budgetCode(L["agency.budgetCode"])),
});

/** One person of the Mẫu 01 list (also the key holders of Mẫu 02 and the holders of Mẫu 04). */
export const SubscriberSchema = object(L.subscribers, {
  fullName: text(L.fullName, 200),
  dateOfBirth: date(L.dateOfBirth, { past: true }),
  idType: idTypeSchema(L.idType),
  idNumber: idNumber(L.idNumber),
  idIssueDate: date(L.idIssueDate, { past: true }),
  idIssuePlace: text(L.idIssuePlace, 200),
  email: email(L.email),
  workplace: text(L.workplace, 300),
  province: text(L.province, 100),
  position: text(L.position, 200),
  mobile: mobile(L.mobile),
  previousCertificateSerial: optional(serial(L.previousCertificateSerial)),
}).superRefine(checkIdentity, runAlways);

export const AssetSchema = object(L.assets, {
  name: text(L["asset.name"], 300),
  kind: choice(L["asset.kind"], ASSET_KINDS),
  identifier: text(L["asset.identifier"], 300),
});

/** The person who receives the key-storage devices at handover (Mẫu 07 reads these). */
export const ReceiverSchema = object(L.receiver, {
  fullName: text(L.fullName, 200),
  idType: optional(idTypeSchema(L.idType)),
  idNumber: idNumber(L.idNumber),
  idIssueDate: optional(date(L.idIssueDate, { past: true })),
  idIssuePlace: optionalText(L.idIssuePlace, 200),
  position: optionalText(L.position, 200),
  mobile: mobile(L.mobile),
  email: optional(email(L.email)),
  deliveryAddress: optionalText(L.deliveryAddress, 500),
}).superRefine(checkIdentity, runAlways);

/** The holder of a device to recover (Mẫu 06). */
export const HolderSchema = object(L.holder, {
  fullName: text(L.fullName, 200),
  idType: optional(idTypeSchema(L.idType)),
  idNumber: idNumber(L.idNumber),
  position: optionalText(L.position, 200),
  workplace: optionalText(L.workplace, 300),
  mobile: mobile(L.mobile),
  email: optional(email(L.email)),
}).superRefine(checkIdentity, runAlways);

export const CertificateRefSchema = object(L.certificates, {
  serial: serial(L.serial),
  holderName: optionalText(L.fullName, 200),
});

export const ChangeSchema = object(L.changes, {
  field: text(L["change.field"], 100),
  newValue: text(L["change.newValue"], 500),
});

export const DeviceRefSchema = object(L.devices, {
  serial: text(L["device.serial"], 100),
  model: optionalText(L["asset.name"], 200),
});

/** Fields every form has. */
const common = {
  agency: AgencySchema,
  channel: choice(L.channel, CHANNELS),
  commitment: z.literal(true, { error: m.commitmentRequired }),
  receivedAt: optional(instant(L.receivedAt)),
  receiver: optional(ReceiverSchema),
  note: optionalText(L.note, 2000),
  quantity: positiveInt(L.quantity),
};

const issuance = { ...common, certificateType: text(L.certificateType, 200), assets: optional(list(L.assets, AssetSchema, MAX_LIST)) };

/** quantity = length of the dossier's list; no identity number / serial twice. */
function checkList(listKey: string, listLabel: string) {
  return (d: Record<string, unknown>, ctx: IssueSink) => {
    const items = d[listKey];
    const q = d.quantity;
    if (Array.isArray(items) && typeof q === "number" && Number.isInteger(q) && q >= 1 && q !== items.length) {
      ctx.addIssue({ code: "custom", message: m.quantityMismatch(q, listLabel, items.length), path: ["quantity"], input: q });
    }
    duplicates(d.subscribers, "idNumber", (i, first) => ctx.addIssue({ code: "custom", message: m.duplicateIdNumber(first + 1), path: ["subscribers", i, "idNumber"] }));
    duplicates(d.certificates, "serial", (i, first) => ctx.addIssue({ code: "custom", message: m.duplicateSerial(first + 1), path: ["certificates", i, "serial"] }));
  };
}

function duplicates(items: unknown, key: string, report: (index: number, firstIndex: number) => void) {
  if (!Array.isArray(items)) return;
  const seen = new Map<string, number>();
  items.forEach((it, i) => {
    const v = it && typeof it === "object" ? (it as Record<string, unknown>)[key] : undefined;
    if (typeof v !== "string" || v === "") return;
    const first = seen.get(v);
    if (first === undefined) seen.set(v, i);
    else report(i, first);
  });
}

/**
 * A form's top level: a field that is not on the form is refused by name (rather than silently
 * dropped, which would make a PATCH with a typo look successful).
 */
function form<T extends z.core.$ZodLooseShape>(shape: T) {
  return z.strictObject(shape, {
    error: (iss) =>
      iss.code === "unrecognized_keys" ? m.unknownFields((iss as { keys?: string[] }).keys ?? []) : m.notObject("Hồ sơ đề nghị"),
  });
}

export const IndividualDossierSchema = form({ kind: z.literal("individual"), ...issuance, subscribers: list(L.subscribers, SubscriberSchema, MAX_LIST) })
  .superRefine(checkList("subscribers", L.subscribers), runAlways);

export const OrganizationDossierSchema = form({ kind: z.literal("organization"), ...issuance, subscribers: list(L.subscribers, SubscriberSchema, MAX_LIST) })
  .superRefine(checkList("subscribers", L.subscribers), runAlways)
  .superRefine((d, ctx) => {
    const a = d.agency as Record<string, unknown> | undefined;
    if (a && typeof a === "object" && !a.taxCode && !a.budgetCode) {
      ctx.addIssue({ code: "custom", message: m.organizationCodeRequired, path: ["agency", "taxCode"] });
    }
  }, runAlways);

export const DeviceDossierSchema = form({
    kind: z.literal("device"), ...issuance,
    assets: list(L.assets, AssetSchema, MAX_LIST),
    subscribers: optional(list(L.subscribers, SubscriberSchema, MAX_LIST)),
  })
  .superRefine(checkList("assets", L.assets), runAlways);

export const RenewalChangeDossierSchema = form({
    kind: z.literal("renewal_change"), ...common,
    certificateType: optionalText(L.certificateType, 200),
    requestType: choice(L.requestType, RENEWAL_CHANGE_TYPES),
    certificates: list(L.certificates, CertificateRefSchema, MAX_LIST),
    changes: optional(list(L.changes, ChangeSchema, 100)),
    subscribers: optional(list(L.subscribers, SubscriberSchema, MAX_LIST)),
  })
  .superRefine(checkList("certificates", L.certificates), runAlways)
  .superRefine((d, ctx) => {
    if (d.requestType === "change" && !(Array.isArray(d.changes) && d.changes.length > 0)) {
      ctx.addIssue({ code: "custom", message: m.changesRequired, path: ["changes"] });
    }
  }, runAlways);

export const RevocationDossierSchema = form({
    kind: z.literal("revocation"), ...common,
    certificateType: optionalText(L.certificateType, 200),
    certificates: list(L.certificates, CertificateRefSchema, MAX_LIST),
    reason: choice(L.reason, REVOCATION_REASONS),
    reasonDetail: optionalText(L.reason, 2000),
    requestedAt: optional(instant(L.requestedAt)),
  })
  .superRefine(checkList("certificates", L.certificates), runAlways);

export const DeviceRecoveryDossierSchema = form({
    kind: z.literal("device_recovery"), ...common,
    certificateType: optionalText(L.certificateType, 200),
    devices: list(L.devices, DeviceRefSchema, MAX_LIST),
    holder: HolderSchema,
    reason: text(L.reason, 2000),
  })
  .superRefine(checkList("devices", L.devices), runAlways);

/** The request as POSTed (and as stored, after normalisation). */
export const DossierInputSchema = z.discriminatedUnion(
  "kind",
  [IndividualDossierSchema, OrganizationDossierSchema, DeviceDossierSchema, RenewalChangeDossierSchema, RevocationDossierSchema, DeviceRecoveryDossierSchema],
  {
    error: (iss) =>
      (iss as { code: string }).code === "invalid_type" ? m.notObject("Hồ sơ đề nghị") : { message: m.unknownKind([...DOSSIER_KINDS]), path: ["kind"] },
  },
);

export type DossierInput = z.output<typeof DossierInputSchema>;
export type Agency = z.output<typeof AgencySchema>;
export type Subscriber = z.output<typeof SubscriberSchema>;
export type Asset = z.output<typeof AssetSchema>;
export type Receiver = z.output<typeof ReceiverSchema>;
export type Holder = z.output<typeof HolderSchema>;
export type CertificateRef = z.output<typeof CertificateRefSchema>;
export type IndividualDossierInput = z.output<typeof IndividualDossierSchema>;
export type OrganizationDossierInput = z.output<typeof OrganizationDossierSchema>;
export type DeviceDossierInput = z.output<typeof DeviceDossierSchema>;
export type RenewalChangeDossierInput = z.output<typeof RenewalChangeDossierSchema>;
export type RevocationDossierInput = z.output<typeof RevocationDossierSchema>;
export type DeviceRecoveryDossierInput = z.output<typeof DeviceRecoveryDossierSchema>;

/** What the provider adds to a dossier: identity, number, state, clock. */
export interface DossierMeta {
  id: string;
  /** "0001/2026/HS": sequence within the year (Asia/Ho_Chi_Minh), year, HS = hồ sơ. */
  number: string;
  status: DossierStatus;
  /** Starts at 1, +1 on every change (content or status). */
  version: number;
  /** When the provider received the dossier (UTC ISO), null while not yet received. */
  receivedAt: string | null;
  /** When a valid (complete) dossier was received: the review clock starts here. */
  validSince: string | null;
  /** End of the review period (UTC ISO), set by the review capability. */
  deadline: string | null;
  createdAt: string;
  updatedAt: string;
  createdBy: string | null;
  updatedBy: string | null;
}

type WithMeta<T> = T extends unknown ? Omit<T, "receivedAt"> & DossierMeta : never;
/** A stored dossier: the validated input plus the provider's fields. Narrow on `kind`. */
export type Dossier = WithMeta<DossierInput>;
/** The people list, for the kinds that have one. */
export const subscribersOf = (d: DossierInput | Dossier): Subscriber[] => ("subscribers" in d && d.subscribers) || [];
/** Number of certificates, assets, devices the dossier asks for. */
export const listOf = (d: DossierInput | Dossier): unknown[] => {
  switch (d.kind) {
    case "individual":
    case "organization":
      return d.subscribers;
    case "device":
      return d.assets;
    case "renewal_change":
    case "revocation":
      return d.certificates;
    case "device_recovery":
      return d.devices;
  }
};
