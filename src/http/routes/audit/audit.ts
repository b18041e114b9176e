import { z } from "zod";
import type { ApiRouter } from "../../route";
import { verifyChain, type AuditRow } from "../../../audit/audit";
import { fromJson } from "../../../store/db";
import { listAudit } from "../../../audit/query";
import { createCheckpoint, verifyLatestCheckpoint, type CheckpointRow } from "../../../audit/checkpoint";

const presentCheckpoint = (c: CheckpointRow) => ({
  id: Number(c.id), seq: Number(c.seq), hash: c.hash, at: c.at, digest: c.digest, createdBy: c.created_by,
  token: Buffer.from(c.token).toString("base64"),
});

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
    method: "get", path: "/api/audit/verify", summary: "Verify the audit hash chain and its latest signed checkpoint", tags: ["audit"], action: "audit.read",
    handler: async (ctx) => {
      const chain = await verifyChain(ctx.services.db);
      const checkpoint = await verifyLatestCheckpoint(ctx.services.db);
      ctx.body = { ...chain, ok: chain.ok && checkpoint.ok, chainOk: chain.ok, checkpoint };
    },
  });
  api.add({
    method: "get", path: "/api/audit/checkpoints", summary: "Signed checkpoints of the chain head (RFC 3161 tokens), newest first", tags: ["audit"], action: "audit.read",
    input: z.object({ query: z.object({ limit: z.coerce.number().int().min(1).max(500).default(50) }) }),
    handler: async (ctx, { query }) => {
      const rows: CheckpointRow[] = await ctx.services.db("audit_checkpoints").orderBy("id", "desc").limit(query.limit);
      ctx.body = { items: rows.map(presentCheckpoint), total: rows.length };
    },
  });
  api.add({
    method: "post", path: "/api/audit/checkpoints", summary: "Timestamp the chain head now with our TSA", tags: ["audit"], action: "audit.checkpoint",
    responses: { 201: { description: "Mốc kiểm toán đã ký" } },
    handler: async (ctx) => {
      const cp = await createCheckpoint(ctx.services, ctx.state.actor!);
      ctx.status = 201;
      ctx.body = cp ? presentCheckpoint(cp) : null;
    },
  });
}
