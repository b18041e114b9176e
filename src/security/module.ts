import type { Module, Services } from "../service";
import "../policy/rules";
import { register as approvalRoutes } from "../http/routes/approvals/approvals";
import { createCheckpoint } from "../audit/checkpoint";
import { expireDue } from "../approvals/approvals";

let timer: NodeJS.Timeout | undefined;

/**
 * Security (issue 8): dual-control approvals, and the periodic signed checkpoint of the audit
 * chain (every AUDIT_CHECKPOINT_HOURS, on nodes running the outbox worker), which also expires
 * approvals past their time.
 */
export const security: Module = {
  name: "security",
  routes: approvalRoutes,
  start(s: Services) {
    if (!s.config.AUDIT_CHECKPOINT_HOURS || !s.config.OUTBOX_POLL_MS) return;
    const tick = async () => {
      try {
        await expireDue(s.db);
        await createCheckpoint(s, "system");
      } catch (err) {
        s.log.warn({ err }, "audit checkpoint failed");
      }
    };
    timer = setInterval(tick, s.config.AUDIT_CHECKPOINT_HOURS * 3600_000);
    timer.unref();
  },
  stop() {
    if (timer) clearInterval(timer);
    timer = undefined;
  },
};
