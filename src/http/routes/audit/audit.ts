import { z } from "zod";
import type { ApiRouter } from "../../route";
import { verifyChain, type AuditRow } from "../../../audit/audit";
import { fromJson } from "../../../store/db";
import { listAudit } from "../../../audit/query";

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

export const presentAudit = (r: AuditRow) => ({
  seq: Number(r.seq), at: r.at, actor: r.actor, action: r.action, objectType: r.object_type, objectId: r.object_id,
  details: fromJson<Record<string, unknown>>(r.details), prevHash: r.prev_hash, hash: r.hash,
});

export function register(api: ApiRouter) {
  api.add({
    method: "get", path: "/api/audit", summary: "List and filter the audit log", tags: ["audit"], action: "audit.read", input: ListAuditSchema,
    handler: async (ctx, { query: q }) => {
      const { rows, total } = await listAudit(ctx.services.db, q);
      ctx.body = { items: rows.map(presentAudit), total, limit: q.limit, offset: q.offset };
    },
  });
  api.add({
    method: "get", path: "/api/audit/verify", summary: "Verify the audit hash chain", tags: ["audit"], action: "audit.read",
    handler: async (ctx) => {
      ctx.body = await verifyChain(ctx.services.db);
    },
  });
}
