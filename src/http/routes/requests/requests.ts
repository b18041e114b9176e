import type { ApiRouter } from "../../route";
import * as S from "./schema";
import { presentDossier, presentDossierSummary, presentDuplicate, presentHistoryEntry } from "./present";
import { createDossier } from "../../../ra/commands/createDossier";
import { updateDossier } from "../../../ra/commands/updateDossier";
import { replaceSubscribers } from "../../../ra/commands/replaceSubscribers";
import { subscriberCsvTemplate } from "../../../ra/dossiers/subscriberCsv";
import { dossierDuplicates, dossierHistory, listDossiers, mustGetDossier } from "../../../ra/dossiers/queries";

/** Request dossiers (hồ sơ đề nghị): create, read, list, edit, upload the people list, history. */
export function register(api: ApiRouter) {
  api.add({
    method: "post", path: "/api/requests", summary: "Create a request dossier (draft)", tags: ["requests"], action: "dossier.create",
    input: S.CreateRequestSchema,
    responses: { 201: { description: "Hồ sơ đã tạo (bản nháp)" } },
    handler: async (ctx, { body }) => {
      const d = await createDossier(ctx.services.db, ctx.state.actor!, body);
      ctx.status = 201;
      ctx.set("Location", `/api/requests/${d.id}`);
      ctx.body = presentDossier(d, ctx.state.actor!);
    },
  });
  api.add({
    method: "get", path: "/api/requests", summary: "List request dossiers with filters", tags: ["requests"], action: "dossier.list",
    input: S.ListRequestsSchema,
    handler: async (ctx, { query }) => {
      const r = await listDossiers(ctx.services.db, query);
      ctx.body = { items: r.rows.map(presentDossierSummary), total: r.total, limit: query.limit, offset: query.offset };
    },
  });
  api.add({
    method: "get", path: "/api/requests/templates/subscribers.csv", summary: "Empty Mẫu 01 people list (CSV headers)", tags: ["requests"],
    action: "dossier.read", responses: { 200: { description: "Mẫu danh sách (CSV, UTF-8)", mediaType: "text/csv" } },
    handler: (ctx) => {
      ctx.type = "text/csv; charset=utf-8";
      ctx.set("Content-Disposition", 'attachment; filename="mau-01-danh-sach.csv"');
      ctx.body = subscriberCsvTemplate();
    },
  });
  api.add({
    method: "get", path: "/api/requests/:id", summary: "A request dossier", tags: ["requests"], action: "dossier.read",
    input: S.GetRequestSchema,
    handler: async (ctx, { params }) => {
      ctx.body = presentDossier(await mustGetDossier(ctx.services.db, params.id), ctx.state.actor!);
    },
  });
  api.add({
    method: "patch", path: "/api/requests/:id", summary: "Edit a draft or a dossier awaiting correction (merge patch)", tags: ["requests"],
    action: "dossier.edit", input: S.PatchRequestSchema,
    handler: async (ctx, { params, body }) => {
      ctx.body = presentDossier(await updateDossier(ctx.services.db, ctx.state.actor!, params.id, body), ctx.state.actor!);
    },
  });
  api.add({
    method: "put", path: "/api/requests/:id/subscribers", summary: "Replace the people list (CSV of Mẫu 01 or JSON array)", tags: ["requests"],
    action: "dossier.edit", input: S.PutSubscribersSchema, bodyType: "text/csv",
    handler: async (ctx, { params, query, body }) => {
      const upload = typeof body === "string" ? { csv: body } : { json: body };
      ctx.body = presentDossier(await replaceSubscribers(ctx.services.db, ctx.state.actor!, params.id, upload, query.version), ctx.state.actor!);
    },
  });
  api.add({
    method: "get", path: "/api/requests/:id/history", summary: "The dossier's history: who, when, what", tags: ["requests"], action: "dossier.read",
    input: S.GetRequestSchema,
    handler: async (ctx, { params }) => {
      const items = (await dossierHistory(ctx.services.db, params.id)).map((h) => presentHistoryEntry(h, ctx.state.actor!));
      ctx.body = { items, total: items.length };
    },
  });
  api.add({
    method: "get", path: "/api/requests/:id/duplicates", summary: "People of this dossier whose identity number appears in other dossiers",
    tags: ["requests"], action: "dossier.read", input: S.GetRequestSchema,
    handler: async (ctx, { params }) => {
      const items = (await dossierDuplicates(ctx.services.db, params.id)).map((x) => presentDuplicate(x, ctx.state.actor!));
      ctx.body = { items, total: items.length };
    },
  });
}
