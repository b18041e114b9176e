import { z } from "zod";
import type { ApiContext, ApiRouter } from "../../route";
import { documentsOf, requestDocumentFor, storedDocument } from "../../../documents/storedDocuments";
import * as store from "../../../store/documents";

const DossierParams = z.object({ params: z.object({ id: z.string().uuid() }) });
const DocumentParams = z.object({ params: z.object({ id: z.string().uuid(), documentId: z.string().uuid() }) });

export const DocumentSummarySchema = z.object({
  id: z.string(),
  kind: z.enum(["request", "correction_notice", "handover_record"]),
  dossierVersion: z.number().int(),
  sha256: z.string(),
  size: z.number().int(),
  createdAt: z.string(),
  createdBy: z.string().nullable(),
  url: z.string(),
});

const presentDocument = (r: store.DocumentSummaryRow) => ({
  id: r.id,
  kind: r.kind,
  dossierVersion: Number(r.dossier_version),
  sha256: r.sha256,
  size: Number(r.size),
  createdAt: r.created_at,
  createdBy: r.created_by,
  url: `/api/requests/${r.dossier_id}/documents/${r.id}.pdf`,
});

/** Answers a stored PDF: ETag is its SHA-256, a matching If-None-Match gets 304. */
function sendPdf(ctx: ApiContext, row: store.DocumentRow, filename: string) {
  const etag = `"${row.sha256}"`;
  ctx.set("ETag", etag);
  // Requester data is confidential: no shared caches; browsers revalidate with the ETag.
  ctx.set("Cache-Control", "private, no-cache");
  ctx.set("X-Dossier-Version", String(row.dossier_version));
  const inm = ctx.get("if-none-match");
  if (inm && inm.split(",").map((s) => s.trim().replace(/^W\//, "")).includes(etag)) {
    ctx.status = 304;
    return;
  }
  ctx.type = "application/pdf";
  ctx.set("Content-Disposition", `inline; filename="${filename}"`);
  ctx.body = store.bytesOf(row);
}

const fileName = (kind: string, version: number) => `${kind === "request" ? "van-ban-de-nghi" : kind.replace(/_/g, "-")}-v${version}.pdf`;

/** The dossier's official documents: the request form as PDF, and the list of stored documents. */
export function register(api: ApiRouter) {
  api.add({
    method: "get", path: "/api/requests/:id/document.pdf", summary: "The official request document (PDF, Decree 30/2020 layout) of the dossier's current version",
    tags: ["documents"], action: "dossier.document", input: DossierParams,
    responses: {
      200: { description: "Văn bản đề nghị (PDF); ETag là SHA-256 của tệp", mediaType: "application/pdf" },
      304: { description: "Không thay đổi (If-None-Match khớp ETag)" },
    },
    handler: async (ctx, { params }) => {
      const row = await requestDocumentFor(ctx.services.db, ctx.state.actor!, params.id);
      sendPdf(ctx, row, fileName(row.kind, Number(row.dossier_version)));
    },
  });
  api.add({
    method: "get", path: "/api/requests/:id/documents", summary: "Documents stored for the dossier (version, SHA-256, size)",
    tags: ["documents"], action: "dossier.document", input: DossierParams,
    responses: { 200: { description: "Danh sách văn bản đã lưu", schema: z.object({ items: z.array(DocumentSummarySchema), total: z.number().int() }) } },
    handler: async (ctx, { params }) => {
      const rows = await documentsOf(ctx.services.db, params.id);
      ctx.body = { items: rows.map(presentDocument), total: rows.length };
    },
  });
  api.add({
    method: "get", path: "/api/requests/:id/documents/:documentId.pdf", summary: "One stored document, byte for byte as it was given out",
    tags: ["documents"], action: "dossier.document", input: DocumentParams,
    responses: { 200: { description: "Văn bản (PDF)", mediaType: "application/pdf" } },
    handler: async (ctx, { params }) => {
      const row = await storedDocument(ctx.services.db, params.id, params.documentId);
      sendPdf(ctx, row, fileName(row.kind, Number(row.dossier_version)));
    },
  });
}
