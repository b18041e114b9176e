import type { Knex } from "knex";
import type { JobContext } from "../outbox/job";
import { correctionNoticeFromPayload } from "../documents/module";
import { saveDocument } from "../documents/storedDocuments";
import * as documents from "../store/documents";
import type { CorrectionRequestPayload } from "./payloads";

/**
 * The official notice (thông báo yêu cầu bổ sung hồ sơ) attached to the correction e-mail,
 * rendered by the documents engine from the payload's snapshot and dated at the decision, so every
 * retry produces the same bytes. With the dossier version of the decision it is stored once as the
 * dossier's "correction_notice" document (SHA-256 recorded and audited), and later attempts attach
 * that stored copy.
 */
export async function correctionNoticePdf(ctx: JobContext, p: CorrectionRequestPayload): Promise<Buffer> {
  const db = ctx.db as Knex;
  if (p.dossierVersion !== undefined) {
    const stored = await documents.find(db, p.dossierId, "correction_notice", p.dossierVersion);
    if (stored) return documents.bytesOf(stored);
  }
  const bytes = await correctionNoticeFromPayload(p);
  if (p.dossierVersion === undefined) return bytes;
  const row = await saveDocument(db, {
    dossierId: p.dossierId, kind: "correction_notice", dossierVersion: p.dossierVersion, bytes, actor: p.decidedBy ?? "system",
  });
  return documents.bytesOf(row);
}
