import { z } from "zod";
import type { ApiRouter } from "../../route";
import { verifyChain, type AuditRow } from "../../../audit/audit";
import { fromJson } from "../../../store/db";

const ListAuditSchema = z.object({
  query: z.object({
    actor: z.string().max(100).optional(),
    action: z.string().max(100).optional(),
    objectType: z.string().max(50).optional(),
    objectId: z.string().max(100).optional(),
    from: z.string().datetime({ offset: true }).or(z.string().date()).optional(),
    to: z.string().datetime({ offset: true }).or(z.string().date()).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(100),
    offset: z.coerce.number().int().min(0).default(0),
  }),
});

const presentAudit = (r: AuditRow) => ({
  seq: Number(r.seq), at: r.at, actor: r.actor, action: r.action, objectType: r.object_type, objectId: r.object_id,
  details: fromJson<Record<string, unknown>>(r.details), prevHash: r.prev_hash, hash: r.hash,
});

export function register(api: ApiRouter) {
  api.add({
    method: "get", path: "/api/audit", summary: "List and filter the audit log", tags: ["audit"], action: "audit.read", input: ListAuditSchema,
    handler: async (ctx, { query: q }) => {
      const base = ctx.services.db("audit_log").modify((b) => {
        if (q.actor) b.where("actor", q.actor);
        if (q.action) b.where("action", "like", q.action.endsWith("*") ? q.action.slice(0, -1) + "%" : q.action);
        if (q.objectType) b.where("object_type", q.objectType);
        if (q.objectId) b.where("object_id", q.objectId);
        if (q.from) b.where("at", ">=", new Date(q.from).toISOString());
        if (q.to) b.where("at", "<=", new Date(q.to).toISOString());
      });
      const [{ n }] = await base.clone().count({ n: "*" });
      const rows: AuditRow[] = await base.clone().orderBy("seq", "desc").limit(q.limit).offset(q.offset);
      ctx.body = { items: rows.map(presentAudit), total: Number(n), limit: q.limit, offset: q.offset };
    },
  });
  api.add({
    method: "get", path: "/api/audit/verify", summary: "Verify the audit hash chain", tags: ["audit"], action: "audit.read",
    handler: async (ctx) => {
      ctx.body = await verifyChain(ctx.services.db);
    },
  });
}
