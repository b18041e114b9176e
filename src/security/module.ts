import type { Module, Services } from "../service";
import "../policy/rules";
import { register as approvalRoutes } from "../http/routes/approvals/approvals";
import { createCheckpoint, type CheckpointRow } from "../audit/checkpoint";
import { expireDue } from "../approvals/approvals";

const timers = new WeakMap<Services, NodeJS.Timeout>();

/**
 * One periodic step: expire approvals past their time, and sign a checkpoint when the latest one is
 * older than `everyMs` and the chain has moved since (beyond the checkpoint's own row). Checked
 * often rather than scheduled once, so that restarts do not postpone it.
 */
export async function periodicCheckpoint(s: Services, everyMs: number): Promise<CheckpointRow | undefined> {
  await expireDue(s.db);
  const last = await s.db("audit_checkpoints").orderBy("id", "desc").first();
  const head = await s.db("audit_log").max({ seq: "seq" }).first();
  const moved = !last || Number(head?.seq ?? 0) > Number(last.seq) + 1;
  if (!moved || (last && Date.now() - Date.parse(last.at) < everyMs)) return undefined;
  return createCheckpoint(s, "system");
}

/**
 * Security (issue 8): dual-control approvals, and the periodic signed checkpoint of the audit
 * chain (every AUDIT_CHECKPOINT_HOURS, on nodes running the outbox worker).
 */
export const security: Module = {
  name: "security",
  routes: approvalRoutes,
  start(s: Services) {
    if (!s.config.AUDIT_CHECKPOINT_HOURS || !s.config.OUTBOX_POLL_MS) return;
    const everyMs = s.config.AUDIT_CHECKPOINT_HOURS * 3600_000;
    const timer = setInterval(() => {
      periodicCheckpoint(s, everyMs).catch((err) => s.log.warn({ err }, "audit checkpoint failed"));
    }, Math.min(everyMs, 600_000));
    timer.unref();
    timers.set(s, timer);
  },
  stop(s: Services) {
    clearInterval(timers.get(s));
    timers.delete(s);
  },
};
