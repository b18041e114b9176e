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
}

export interface DocumentAsset {
  name: string;
  kind?: Text;
  identifier?: Text;
}

export interface DocumentReceiver {
  fullName?: Text;
  idType?: Text;
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
  note?: Text;
  /** Mẫu 04: renewal | change. */
  requestType?: Text;
  /** Mẫu 04, 05: the certificates concerned. */
  certificates?: { serial: string; holderName?: Text }[] | null;
  /** Mẫu 04: the information to change. */
  changes?: { field: string; newValue: string }[] | null;
  /** Mẫu 05: an RFC 5280 reason name; Mẫu 06: free text. */
  reason?: Text;
  /** Mẫu 05. */
  reasonDetail?: Text;
  requestedAt?: Text;
  /** Mẫu 06: the locked devices and their holder. */
  devices?: { serial: string; model?: Text }[] | null;
  holder?: { fullName: string; idType?: Text; idNumber?: Text; position?: Text; workplace?: Text; mobile?: Text; email?: Text } | null;
}
