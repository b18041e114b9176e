import { z } from "zod";
import type { Module } from "../../service";
import type { ApiRouter } from "../route";
import { openApiDocument } from "../openapi";
import * as outbox from "../../outbox/outbox";
import { DomainError } from "../../errors";
import { messages } from "../../messages";
import * as health from "./health";
import * as users from "./users/users";
import * as auditRoutes from "./audit/audit";
import "../../policy/rules";
import { version } from "../../../package.json";

const presentJob = (j: outbox.OutboxRow) => ({
  id: Number(j.id), kind: j.kind, status: j.status, attempts: j.attempts, maxAttempts: j.max_attempts,
  nextAttemptAt: j.next_attempt_at, lastError: j.last_error, createdAt: j.created_at, doneAt: j.done_at,
  payload: outbox.payloadOf(j),
});

function registerOutbox(api: ApiRouter) {
  api.add({
    method: "get", path: "/api/outbox", summary: "List outbox jobs and their state", tags: ["outbox"], action: "outbox.list",
    input: z.object({
      query: z.object({
        status: z.enum(["pending", "running", "done", "dead"]).optional(),
        kind: z.string().max(64).optional(),
        limit: z.coerce.number().int().min(1).max(500).default(50),
        offset: z.coerce.number().int().min(0).default(0),
      }),
    }),
    handler: async (ctx, { query }) => {
      const r = await outbox.list(ctx.services.db, query);
      ctx.body = { items: r.items.map(presentJob), total: r.total, limit: query.limit, offset: query.offset };
    },
  });
  api.add({
    method: "post", path: "/api/outbox/:id/replay", summary: "Replay a job now", tags: ["outbox"], action: "outbox.replay",
    input: z.object({ params: z.object({ id: z.coerce.number().int().positive() }) }),
    handler: async (ctx, { params }) => {
      if (!(await outbox.replay(ctx.services.db, params.id, ctx.state.actor!))) {
        throw new DomainError("job_not_found", messages.common.jobNotFound, { id: params.id }, "not_found");
      }
      ctx.body = presentJob((await outbox.get(ctx.services.db, params.id))!);
    },
  });
}

/** The core module: health, OpenAPI, users and tokens, the outbox. */
export const core: Module = {
  name: "core",
  routes(api) {
    health.register(api);
    users.register(api);
    auditRoutes.register(api);
    registerOutbox(api);
    api.add({
      method: "get", path: "/api/openapi.json", summary: "This document", tags: ["meta"],
      handler: (ctx) => {
        ctx.body = openApiDocument(api.specs, version);
      },
    });
  },
};
