import { z } from "zod";
import type { ApiRouter } from "../../route";
import { OPERATIONS, decide, get, list } from "../../../approvals/approvals";
import { DomainError } from "../../../errors";
import { messages } from "../../../messages";
import { presentApproval } from "./present";

const Id = z.object({ id: z.string().uuid() });
const Decision = z.object({ params: Id, body: z.object({ reason: z.string().max(1000).optional() }).strict().optional() });

/** Dual control: the approvals waiting for a second person, and their decisions. */
export function register(api: ApiRouter) {
  api.add({
    method: "get", path: "/api/approvals", summary: "Dual-control approvals (four eyes), newest first", tags: ["approvals"], action: "approval.list",
    input: z.object({
      query: z.object({
        status: z.enum(["pending", "approved", "rejected", "expired", "executed"]).optional(),
        operation: z.enum(OPERATIONS).optional(),
        limit: z.coerce.number().int().min(1).max(500).default(50),
        offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
      }),
    }),
    handler: async (ctx, { query }) => {
      const r = await list(ctx.services.db, query);
      ctx.body = { items: r.items.map(presentApproval), total: r.total, limit: query.limit, offset: query.offset };
    },
  });
  api.add({
    method: "get", path: "/api/approvals/:id", summary: "One approval", tags: ["approvals"], action: "approval.list", input: z.object({ params: Id }),
    handler: async (ctx, { params }) => {
      const a = await get(ctx.services.db, params.id);
      if (!a) throw new DomainError("approval_not_found", messages.security.approvalNotFound(params.id), { id: params.id }, "not_found");
      ctx.body = presentApproval(a);
    },
  });
  api.add({
    method: "post", path: "/api/approvals/:id/approve", summary: "Approve (not by the requester); the operation is executed at once", tags: ["approvals"],
    action: "approval.decide", input: Decision,
    handler: async (ctx, { params, body }) => {
      ctx.body = presentApproval(await decide(ctx.services, ctx.state.actor!, params.id, "approve", body?.reason));
    },
  });
  api.add({
    method: "post", path: "/api/approvals/:id/reject", summary: "Reject (not by the requester)", tags: ["approvals"],
    action: "approval.decide", input: Decision,
    handler: async (ctx, { params, body }) => {
      ctx.body = presentApproval(await decide(ctx.services, ctx.state.actor!, params.id, "reject", body?.reason));
    },
  });
}
