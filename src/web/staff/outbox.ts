import type { ApiRouter } from "../../http/route";
import { addPage, actorOf, done, view } from "./page";
import * as outbox from "../../outbox/outbox";
import { can } from "../../policy/policy";
import { DomainError } from "../../errors";
import { messages } from "../../messages";
import { staffMessages as S } from "../../messages/staff";

const STATUSES = ["pending", "running", "done", "dead"] as const;

/**
 * The durable work queue (outbox) for operators: what waits to reach the directory, the mail
 * server, the CRL and OCSP publishers; what failed for good (dead) and why; and a replay button for
 * the roles the policy allows. Payloads (which may hold e-mail addresses) are not shown here.
 */
export function registerOutboxPages(api: ApiRouter) {
  addPage(api, "get", "/quan-tri/hang-doi", "outbox.list", async (ctx) => {
    const q = (k: string) => (typeof ctx.query[k] === "string" ? (ctx.query[k] as string).slice(0, 64) : "");
    const status = (STATUSES as readonly string[]).includes(q("trang-thai")) ? (q("trang-thai") as (typeof STATUSES)[number]) : undefined;
    const kind = /^[a-zA-Z_.]+$/.test(q("loai")) ? q("loai") : undefined;
    const db = ctx.services.db;
    // One grouped count gives the filters, the per-status figures and the backlog line (what
    // outbox.backlog() reports to /healthz: pending + running, dead, the oldest pending job).
    const counts: { status: string; kind: string; n: number | string; oldest: string | null }[] = await db("outbox")
      .select("status", "kind").count({ n: "*" }).min({ oldest: "created_at" }).groupBy("status", "kind");
    const byStatus = Object.fromEntries(STATUSES.map((s) => [s, counts.filter((c) => c.status === s).reduce((a, c) => a + Number(c.n), 0)]));
    const pendingSince = counts.filter((c) => c.status === "pending" && c.oldest).map((c) => c.oldest as string).sort()[0] ?? null;
    const backlog = { pending: byStatus.pending + byStatus.running, dead: byStatus.dead, oldestPendingAt: pendingSince };
    const kinds = [...new Set(counts.map((c) => c.kind))].sort();
    const r = await outbox.list(db, { status, kind, limit: 100, offset: 0 });
    const mayReplay = can(actorOf(ctx), "outbox.replay");
    view(ctx, "staff/outbox.njk", {
      title: "Hàng đợi công việc",
      backlog, byStatus, kinds, filters: { status: status ?? "", kind: kind ?? "" }, total: r.total,
      jobs: r.items.map((j) => ({
        id: Number(j.id), kind: j.kind, kindLabel: S.jobKinds[j.kind] ?? j.kind, status: j.status, attempts: j.attempts,
        nextAttemptAt: j.next_attempt_at, lastError: j.last_error, createdAt: j.created_at, doneAt: j.done_at,
        replayable: mayReplay && (j.status === "dead" || j.status === "pending"),
      })),
    });
  });

  addPage(api, "post", "/quan-tri/hang-doi/:id/chay-lai", "outbox.replay", async (ctx) => {
    const id = Number(ctx.params.id);
    if (!Number.isSafeInteger(id) || id <= 0 || !(await outbox.replay(ctx.services.db, id, actorOf(ctx)))) {
      throw new DomainError("job_not_found", messages.common.jobNotFound, { id: String(ctx.params.id).slice(0, 20) }, "not_found");
    }
    done(ctx, "/quan-tri/hang-doi", "jobReplayed");
  });
}
