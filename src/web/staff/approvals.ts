import { fromJson } from "../../store/db";
import type { ApiRouter } from "../../http/route";
import { addPage, actorOf, done, field, readForm, view } from "./page";
import { can } from "../../policy/policy";
import { decide, list } from "../../approvals/approvals";
import { presentApproval } from "../../http/routes/approvals/present";
import type Koa from "koa";

/**
 * Dual control on the web: the approvals waiting for a second person, with approve/reject for
 * those the policy lets decide (never the requester), and the recent decisions.
 */
export function registerApprovalPages(api: ApiRouter) {
  addPage(api, "get", "/quan-tri/phe-duyet", "approval.list", async (ctx) => {
    const actor = actorOf(ctx);
    const pending = await list(ctx.services.db, { status: "pending", limit: 200, offset: 0 });
    const recent = await list(ctx.services.db, { limit: 50, offset: 0 });
    view(ctx, "staff/approvals.njk", {
      title: "Phê duyệt bốn mắt",
      pending: pending.items.map((a) => ({ ...presentApproval(a), mayDecide: can(actor, "approval.decide", { requestedBy: a.requested_by, action: a.policy_action, payload: fromJson<unknown>(a.payload) }) })),
      recent: recent.items.filter((a) => a.status !== "pending").map(presentApproval),
    });
  });
  for (const [slug, decision] of [["duyet", "approve"], ["tu-choi", "reject"]] as const) {
    addPage(api, "post", `/quan-tri/phe-duyet/:id/${slug}`, "approval.decide", async (ctx) => {
      const form = readForm(ctx as unknown as Koa.Context);
      const reason = field(form, "reason").slice(0, 1000) || undefined;
      const id = String(ctx.params.id ?? "").slice(0, 36);
      const row = await decide(ctx.services, actorOf(ctx), id, decision, reason);
      done(ctx, "/quan-tri/phe-duyet", row.status === "rejected" ? "approvalRejected" : "approvalApproved");
    });
  }
}
