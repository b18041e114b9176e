import type Koa from "koa";
import { DomainError, type ErrorKind } from "../errors";
import { messages } from "../messages";
import type { Logger } from "../log";
import type { Knex } from "knex";
import * as audit from "../audit/audit";

/** The one table from domain error kinds to HTTP statuses. */
export const statusOfKind: Record<ErrorKind, number> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  gone: 410,
  too_large: 413,
  unsupported_media: 415,
  rate_limited: 429,
  unavailable: 503,
};

export interface ErrorBody {
  error: { code: string; message: string; details: Record<string, unknown> };
}

export const errorBody = (code: string, message: string, details: Record<string, unknown> = {}): ErrorBody => ({
  error: { code, message, details },
});

/**
 * Maps every thrown error to the JSON error shape. Domain errors keep their code and message;
 * anything else is a 500 with a generic message and no stack (the stack goes to the log).
 * Routes that speak another protocol (OCSP, TSA) catch their own errors and answer in it.
 */
/** Renders an error as an HTML page (the web module's layout) for browsers on the web pages. */
export type HtmlErrorPage = (ctx: Koa.Context, status: number, code: string, message: string) => void;

/**
 * A browser's request for a page (not the API, not a protocol endpoint): errors raised before a
 * page's own handler (a body over BODY_LIMIT, a wrong content type) answer as a page too.
 */
const wantsPage = (ctx: Koa.Context) => !ctx.path.startsWith("/api/") && /\btext\/html\b/.test(ctx.get("accept"));

export function errorHandler(log: Logger, db?: Knex, htmlPage?: HtmlErrorPage): Koa.Middleware {
  return async (ctx, next) => {
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined) {
        ctx.status = 404;
        ctx.body = errorBody("not_found", messages.common.notFoundRoute, { path: ctx.path });
      } else if (ctx.status === 405 && (ctx.body === undefined || typeof ctx.body === "string")) {
        ctx.status = 405;
        ctx.body = errorBody("method_not_allowed", messages.common.methodNotAllowed, { method: ctx.method });
      }
    } catch (err) {
      if (err instanceof DomainError) {
        ctx.status = statusOfKind[err.kind];
        // Refused (403, 409, 429) and rejected (400, 413, 415) requests of signed-in users are audit rows.
        const actor = ctx.state.actor;
        if (db && actor && ["forbidden", "conflict", "invalid", "too_large", "unsupported_media", "rate_limited"].includes(err.kind)) {
          await audit
            .append(db, {
              actor, action: ["invalid", "too_large", "unsupported_media"].includes(err.kind) ? "request.rejected" : "request.refused",
              details: { method: ctx.method, path: ctx.path, code: err.code },
            })
            .catch((e) => log.error({ err: e }, "audit append failed"));
        }
        if (htmlPage && wantsPage(ctx)) htmlPage(ctx, ctx.status, err.code, err.message);
        else ctx.body = errorBody(err.code, err.message, err.details);
        if (err.kind === "rate_limited" && typeof err.details.retryAfter === "number") {
          ctx.set("Retry-After", String(err.details.retryAfter));
        }
        return;
      }
      const status = (err as { status?: number }).status;
      if (status === 405 || status === 501) {
        ctx.status = 405;
        ctx.body = errorBody("method_not_allowed", messages.common.methodNotAllowed, { method: ctx.method });
        return;
      }
      log.error({ err: scrubbed(err), path: ctx.path, method: ctx.method }, "unhandled error");
      ctx.status = 500;
      ctx.body = errorBody("internal_error", messages.common.internal);
    }
  };
}

/**
 * Database errors carry the SQL with its values in the message; values may be personal data, so
 * only the driver's own error text and code reach the log.
 */
export function scrubbed(err: unknown): unknown {
  if (!(err instanceof Error)) return err;
  const e = err as Error & { code?: string; sql?: string };
  if (/^(insert|update|select|delete|with)\s/i.test(e.message) || e.sql) {
    const tail = e.message.split(" - ").slice(-1)[0];
    return { type: e.name, code: e.code, message: tail, stack: e.stack?.split("\n").slice(1, 6).join("\n") };
  }
  return err;
}
