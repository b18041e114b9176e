/** The documents capability: PDF rendering of request forms, notices and handover records from templates/documents/. */
export { renderRequestDocument, requestTemplates, type RenderRequestOptions } from "./requestDocument";
export { renderCorrectionNotice, type CorrectionNoticeInput, type Deficiency } from "./correctionNotice";
export { renderHandoverRecord, type HandoverRecordInput, type HandoverRow } from "./handoverRecord";
export { renderDocument } from "./engine";
export type { DocumentDossier, DossierKind, DocumentSubscriber, DocumentAsset, DocumentAgency, DocumentReceiver } from "./types";
export { decree30DayMonth, longDate, placeAndDate, shortDate } from "./documentDate";
