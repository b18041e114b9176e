/**
 * What the documents capability reads. The dossier shape is the store's (branch `dossiers`); the
 * fields marked "optional extras" are the ones forms 04–06 and the header need beyond it.
 * Every field is read leniently (null, missing): a document shows what the dossier has.
 */
export type DossierKind = "individual" | "organization" | "device" | "renewal_change" | "revocation" | "device_recovery";

type Text = string | null | undefined;

export interface DocumentAgency {
  name: string;
  headOfficeAddress?: Text;
  contactAddress?: Text;
  phone?: Text;
  fax?: Text;
  email?: Text;
  taxCode?: Text;
  budgetCode?: Text;
  /** Optional extra: cơ quan chủ quản, the first line of the header's left block. */
  parentName?: Text;
  /** Optional extra: địa danh of the place-date line; derived from headOfficeAddress when absent. */
  place?: Text;
  /** Optional extra: the agency's abbreviation, used in "Lưu: VT, …". */
  abbreviation?: Text;
}

export interface DocumentSubscriber {
  fullName: string;
  dateOfBirth?: Text;
  idType?: Text;
  idNumber?: Text;
  idIssueDate?: Text;
  idIssuePlace?: Text;
  email?: Text;
  workplace?: Text;
  province?: Text;
  position?: Text;
  mobile?: Text;
  previousCertificateSerial?: Text;
  /** Optional extra (Mẫu 04): what changes for this certificate. */
  changes?: Text;
  /** Optional extra (Mẫu 05, 06): why this certificate is revoked / this device recovered. */
  reason?: Text;
  /** Optional extra (Mẫu 06): the locked device. */
  deviceSerial?: Text;
  deviceModel?: Text;
}

export interface DocumentAsset {
  name: string;
  kind?: Text;
  identifier?: Text;
}

export interface DocumentReceiver {
  fullName?: Text;
  idNumber?: Text;
  idIssueDate?: Text;
  idIssuePlace?: Text;
  position?: Text;
  mobile?: Text;
  email?: Text;
  deliveryAddress?: Text;
}

export interface DocumentDossier {
  id: string;
  number: string;
  kind: DossierKind;
  status?: Text;
  version?: number | null;
  agency: DocumentAgency;
  certificateType?: Text;
  quantity?: number | null;
  subscribers?: DocumentSubscriber[] | null;
  assets?: DocumentAsset[] | null;
  receiver?: DocumentReceiver | null;
  commitment?: boolean | null;
  channel?: Text;
  receivedAt?: Text;
  createdAt?: Text;
  updatedAt?: Text;
  /** Optional extra: the agency's own số/ký hiệu ("123/UBND-VP"); "……/……" is printed when absent. */
  documentNumber?: Text;
  /** Optional extra: who signs for the agency. */
  signer?: { authority?: Text; title?: Text; fullName?: Text } | null;
  /** Optional extra (Mẫu 04): renewal | change | renewal_change. */
  requestedAction?: Text;
  /** Optional extra (Mẫu 05, 06): the dossier-wide reason (an RFC 5280 reason name or free text). */
  reason?: Text;
}
