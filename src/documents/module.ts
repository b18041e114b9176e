import type { Module } from "../service";
import * as routes from "../http/routes/documents/documents";
import type { CorrectionRequestPayload } from "../mail/payloads";
import { renderCorrectionNotice } from "./correctionNotice";
import type { DocumentDossier, DossierKind } from "./types";

/**
 * The notice attached to the correction e-mail, from the mail job's frozen snapshot (header fields
 * and resolved deficiencies; the people lists are not in outbox payloads). Dated at the decision,
 * so every retry of the job attaches the same bytes.
 */
export function correctionNoticeFromPayload(p: CorrectionRequestPayload): Promise<Buffer> {
  const notice = (p.notice ?? {}) as Partial<DocumentDossier>;
  const dossier: DocumentDossier = {
    ...notice,
    id: p.dossierId,
    number: p.dossierNumber,
    kind: (notice.kind ?? "individual") as DossierKind,
    agency: notice.agency ?? { name: p.agencyName },
    receivedAt: p.receivedAt ?? notice.receivedAt ?? null,
  };
  return renderCorrectionNotice({
    dossier,
    deficiencies: p.deficiencies.map((d) => ({ field: d.field, row: d.row, reason: d.reason, fieldLabel: d.fieldLabel, rowLabel: d.rowLabel })),
    issuedAt: new Date(p.decidedAt),
    round: p.round,
  });
}

/** Documents: the request forms as PDF, the stored documents of a dossier, the correction notice of the mails. */
export const documentsModule: Module = {
  name: "documents",
  routes(api) {
    routes.register(api);
  },
};
