import type { CertificateRow } from "../../../store/certificates";
import { fromJson } from "../../../store/db";
import { reasonName } from "../../../ca/revocation";
import type { SubjectInfo } from "../../../ca/subject";
import type { IssuedResult } from "../../../ca/commands/common";
import type { BatchStatusRow, BatchError } from "../../../ca/commands/batch";

/** A certificate for staff (authenticated): every field named, the DER only as PEM on request. */
export const presentCertificate = (c: CertificateRow) => ({
  serial: c.serial,
  ca: c.ca_name,
  status: c.status,
  profile: c.profile,
  subject: c.subject_dn,
  subjectInfo: c.subject_json ? fromJson<SubjectInfo>(c.subject_json) : null,
  commonName: c.subject_cn,
  organization: c.subject_o,
  email: c.email,
  uid: c.uid,
  keyAlgorithm: c.key_algorithm,
  keyGeneration: c.key_generation,
  notBefore: c.not_before,
  notAfter: c.not_after,
  sha256: c.sha256,
  dossierId: c.dossier_id,
  subscriberIndex: c.subscriber_index,
  assetIndex: c.asset_index,
  replaces: c.replaces_serial,
  replacedBy: c.replaced_by_serial,
  revokedAt: c.revoked_at,
  revocationReason: reasonName(c.revocation_reason) ?? null,
  invalidityDate: c.invalidity_date,
  issuedAt: c.issued_at,
  handedOverAt: c.handed_over_at,
  publishedAt: c.published_at,
  createdAt: c.created_at,
});

export const presentIssued = (r: IssuedResult) => ({
  serial: r.serial, pem: r.pem, ...(r.pkcs12 ? { pkcs12: r.pkcs12 } : {}), notBefore: r.notBefore, notAfter: r.notAfter, ca: r.caName,
});

export const presentBatch = (b: BatchStatusRow) => ({
  id: b.id, dossierId: b.dossier_id, ca: b.ca_name, status: b.status, total: b.total, issued: b.issued, failed: b.failed,
  errors: fromJson<BatchError[]>(b.errors) ?? [], createdAt: b.created_at, updatedAt: b.updated_at, finishedAt: b.finished_at,
});
