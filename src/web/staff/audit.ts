import type { ApiRouter } from "../../http/route";
import { addPage, view } from "./page";
import { verifyChain } from "../../audit/audit";
import { listAudit } from "../../audit/query";
import { presentAudit } from "../../http/routes/audit/audit";

/** The audit log for auditors: filters, the entries with their hashes, and the chain verification. */
export function registerAuditPages(api: ApiRouter) {
  addPage(api, "get", "/quan-tri/nhat-ky", "audit.read", async (ctx) => {
    const str = (v: unknown, max = 100) => (typeof v === "string" ? v.trim().slice(0, max) : "");
    const date = (v: string) => (/^\d{4}-\d{2}-\d{2}$/.test(v) ? v : "");
    const filters = {
      actor: str(ctx.query["nguoi-thuc-hien"]), action: str(ctx.query["hanh-dong"]), objectType: str(ctx.query["doi-tuong"], 50),
      objectId: str(ctx.query["ma-doi-tuong"]), from: date(str(ctx.query.tu)), to: date(str(ctx.query.den)),
    };
    const page = Math.max(1, Number(str(ctx.query.trang)) || 1);
    const limit = 100;
    const { rows, total } = await listAudit(ctx.services.db, {
      actor: filters.actor || undefined, action: filters.action || undefined, objectType: filters.objectType || undefined, objectId: filters.objectId || undefined,
      from: filters.from ? `${filters.from}T00:00:00+07:00` : undefined, to: filters.to ? `${filters.to}T23:59:59.999+07:00` : undefined,
      limit, offset: (page - 1) * limit,
    });
    const chain = await verifyChain(ctx.services.db);
    view(ctx, "staff/audit.njk", {
      title: "Nhật ký kiểm toán", filters, chain, total, page, pages: Math.max(1, Math.ceil(total / limit)),
      items: rows.map(presentAudit).map((r) => ({ ...r, detailsText: r.details ? JSON.stringify(r.details) : "" })),
    });
  });
}
