import type {
  Agency, Asset, CertificateRef, Dossier, Holder, Receiver, Subscriber,
} from "../../../ra/dossiers/schema";
import { FORM_OF_KIND } from "../../../ra/dossiers/schema";
import type { DossierSummaryRow, HistoryRow } from "../../../store/dossiers";
import { reviewClockView } from "../review/present";
import type { Actor } from "../../../auth/actor";
import { personalView } from "../../../policy/personalData";

/**
 * Presenters name every field: absent optional fields are null, so the shape of a dossier never
 * depends on what the agency happened to fill in. Nothing else of the row leaves the service.
 */
export const presentAgency = (a: Agency) => ({
  name: a.name,
  headOfficeAddress: a.headOfficeAddress,
  contactAddress: a.contactAddress ?? null,
  phone: a.phone,
  fax: a.fax ?? null,
  email: a.email,
  taxCode: a.taxCode ?? null,
  budgetCode: a.budgetCode ?? null,
});

export const presentSubscriber = (s: Subscriber) => ({
  fullName: s.fullName,
  dateOfBirth: s.dateOfBirth,
  idType: s.idType,
  idNumber: s.idNumber,
  idIssueDate: s.idIssueDate,
  idIssuePlace: s.idIssuePlace,
  email: s.email,
  workplace: s.workplace,
  province: s.province,
  position: s.position,
  mobile: s.mobile,
  previousCertificateSerial: s.previousCertificateSerial ?? null,
});

export const presentAsset = (a: Asset) => ({ name: a.name, kind: a.kind, identifier: a.identifier });

export const presentReceiver = (r: Receiver | undefined) =>
  r
    ? {
        fullName: r.fullName,
        idType: r.idType ?? null,
        idNumber: r.idNumber,
        idIssueDate: r.idIssueDate ?? null,
        idIssuePlace: r.idIssuePlace ?? null,
        position: r.position ?? null,
        mobile: r.mobile,
        email: r.email ?? null,
        deliveryAddress: r.deliveryAddress ?? null,
      }
    : null;

export const presentHolder = (h: Holder) => ({
  fullName: h.fullName,
  idType: h.idType ?? null,
  idNumber: h.idNumber,
  position: h.position ?? null,
  workplace: h.workplace ?? null,
  mobile: h.mobile,
  email: h.email ?? null,
});

const presentCertificateRef = (c: CertificateRef) => ({ serial: c.serial, holderName: c.holderName ?? null });

function kindFields(d: Dossier) {
  switch (d.kind) {
    case "individual":
    case "organization":
      return { subscribers: d.subscribers.map(presentSubscriber), assets: (d.assets ?? []).map(presentAsset) };
    case "device":
      return { assets: d.assets.map(presentAsset), subscribers: (d.subscribers ?? []).map(presentSubscriber) };
    case "renewal_change":
      return {
        requestType: d.requestType,
        certificates: d.certificates.map(presentCertificateRef),
        changes: (d.changes ?? []).map((c) => ({ field: c.field, newValue: c.newValue })),
        subscribers: (d.subscribers ?? []).map(presentSubscriber),
      };
    case "revocation":
      return {
        certificates: d.certificates.map(presentCertificateRef),
        reason: d.reason,
        reasonDetail: d.reasonDetail ?? null,
        requestedAt: d.requestedAt ?? null,
      };
    case "device_recovery":
      return {
        devices: d.devices.map((x) => ({ serial: x.serial, model: x.model ?? null })),
        holder: presentHolder(d.holder),
        reason: d.reason,
      };
  }
}

/** A dossier as this actor may see it: personal fields masked unless "dossier.read_personal". */
export const presentDossier = (d: Dossier, actor: Actor) => personalView(actor, presentDossierFields(d));

const presentDossierFields = (d: Dossier) => ({
  id: d.id,
  number: d.number,
  kind: d.kind,
  form: FORM_OF_KIND[d.kind],
  status: d.status,
  version: d.version,
  agency: presentAgency(d.agency),
  certificateType: d.certificateType ?? null,
  quantity: d.quantity,
  ...kindFields(d),
  receiver: presentReceiver(d.receiver),
  commitment: d.commitment,
  channel: d.channel,
  note: d.note ?? null,
  receivedAt: d.receivedAt,
  validSince: d.validSince,
  deadline: d.deadline,
  ...reviewClockView(d.status, d.deadline),
  createdAt: d.createdAt,
  updatedAt: d.updatedAt,
  createdBy: d.createdBy,
  updatedBy: d.updatedBy,
});

export const presentDossierSummary = (r: DossierSummaryRow) => ({
  id: r.id,
  number: r.number,
  kind: r.kind,
  status: r.status,
  version: Number(r.version),
  agencyName: r.agency_name,
  certificateType: r.certificate_type,
  quantity: Number(r.quantity),
  channel: r.channel,
  receivedAt: r.received_at,
  validSince: r.valid_since,
  deadline: r.deadline,
  ...reviewClockView(r.status, r.deadline),
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export const presentHistoryEntry = (h: Omit<HistoryRow, "changes"> & { changes: unknown }, actor: Actor) => personalView(actor, {
  version: Number(h.version),
  at: h.at,
  actor: h.actor,
  action: h.action,
  fromStatus: h.from_status,
  toStatus: h.to_status,
  changes: h.changes,
  note: h.note,
});

export const presentDuplicate = (x: Awaited<ReturnType<typeof import("../../../store/dossiers").duplicatesOf>>[number], actor: Actor) => personalView(actor, {
  row: Number(x.idx) + 1,
  fullName: x.fullName,
  idNumber: x.idNumber,
  otherDossier: { id: x.otherDossierId, number: x.otherNumber, status: x.otherStatus, row: Number(x.otherIdx) + 1, fullName: x.otherFullName },
});
