import type { ApiRouter } from "../route";
import { backlog } from "../../outbox/outbox";

/** GET /healthz: the database, the outbox backlog, and whatever parts register a check. */
export function register(api: ApiRouter) {
  api.add({
    method: "get",
    path: "/healthz",
    summary: "Service health",
    tags: ["health"],
    handler: async (ctx) => {
      const { db, healthChecks } = ctx.services as import("../../service").Services;
      const checks: Record<string, unknown> = {};
      let ok = true;
      const t0 = Date.now();
      try {
        await db.raw("select 1");
        checks.database = { status: "ok", client: db.client.config.client, latencyMs: Date.now() - t0 };
      } catch (err) {
        ok = false;
        checks.database = { status: "down", error: (err as Error).message };
      }
      try {
        checks.outbox = { status: "ok", ...(await backlog(db)) };
      } catch {
        checks.outbox = { status: "unknown" };
      }
      for (const [name, check] of Object.entries(healthChecks)) {
        try {
          const r = await check();
          checks[name] = r;
          if (r.status === "down" && r.critical) ok = false;
        } catch (err) {
          checks[name] = { status: "down", error: (err as Error).message };
        }
      }
      ctx.status = ok ? 200 : 503;
      ctx.set("Cache-Control", "no-store");
      ctx.body = { status: ok ? "ok" : "degraded", checks };
    },
  });
}
