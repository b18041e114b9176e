import type Koa from "koa";
import Router, { type RouterContext } from "@koa/router";
import { z } from "zod";

// Validation messages people read are Vietnamese: zod ships the locale.
z.config(z.locales.vi());
import { DomainError } from "../errors";
import { messages } from "../messages";
import { authorize } from "../policy/policy";
import type { Actor } from "../auth/actor";
import type { Services } from "../service";

/**
 * A route is declared once: method, path, the zod schema that validates its input, and the policy
 * action it needs. The same declaration validates requests and generates /api/openapi.json.
 */
export interface RouteSpec<S extends z.ZodType = z.ZodType> {
  method: "get" | "post" | "put" | "patch" | "delete";
  /** Koa-style path: /api/requests/:id */
  path: string;
  summary: string;
  tags?: string[];
  /** Policy action the caller needs; omitted for public routes. */
  action?: string;
  /** z.object({ params?, query?, body? }) */
  input?: S;
  /** Media type of the request body when not JSON (text/csv…). */
  bodyType?: string;
  /** Documented responses: status → description and optional zod schema. */
  responses?: Record<number, { description: string; schema?: z.ZodType; mediaType?: string }>;
  /** false: a page or file, not part of the API contract (left out of the OpenAPI document). */
  docs?: boolean;
  handler: (ctx: ApiContext, input: z.infer<S>) => Promise<void> | void;
}

export interface ApiState {
  actor?: Actor;
}
export type ApiContext = Koa.ParameterizedContext<ApiState, RouterContext & { services: Services }>;

export class ApiRouter {
  readonly router = new Router<ApiState, any>();
  readonly specs: RouteSpec[] = [];

  add<S extends z.ZodType>(spec: RouteSpec<S>): this {
    this.specs.push(spec as unknown as RouteSpec);
    const mw: Koa.Middleware[] = [];
    if (spec.action) mw.push(requireActor(spec.action));
    mw.push(async (ctx) => {
      const input = spec.input ? parseInput(spec.input, ctx, spec.bodyType) : {};
      await spec.handler(ctx as ApiContext, input as z.infer<S>);
    });
    (this.router as any)[spec.method](spec.path, ...mw);
    return this;
  }
}

function requireActor(action: string): Koa.Middleware {
  return async (ctx, next) => {
    const actor: Actor | undefined = ctx.state.actor;
    if (!actor) {
      const header = ctx.get("authorization");
      if (!header) throw new DomainError("unauthenticated", messages.common.unauthenticated, {}, "unauthenticated");
      throw new DomainError("invalid_token", messages.common.invalidToken, {}, "unauthenticated");
    }
    authorize(actor, action);
    return next();
  };
}

export function parseInput<S extends z.ZodType>(schema: S, ctx: Koa.Context, bodyType?: string): z.infer<S> {
  if (bodyType && ["POST", "PUT", "PATCH"].includes(ctx.method) && ctx.request.rawBody && !ctx.is(bodyType)) {
    // A JSON body is always accepted too (lists as JSON next to CSV).
    if (!ctx.is("application/json")) {
      throw new DomainError("unsupported_media_type", messages.common.unsupportedMediaType(bodyType), {}, "unsupported_media");
    }
  } else if (!bodyType && ["POST", "PUT", "PATCH"].includes(ctx.method) && ctx.request.rawBody?.length && !ctx.is("application/json")) {
    throw new DomainError("unsupported_media_type", messages.common.unsupportedMediaType("application/json"), {}, "unsupported_media");
  }
  const candidate = { params: { ...ctx.params }, query: { ...ctx.query }, body: ctx.request.body };
  const parsed = schema.safeParse(candidate);
  if (!parsed.success) throw validationError(parsed.error);
  return parsed.data;
}

/** zod issues → our 400: one Vietnamese message per field, the path as "subscribers.3.idNumber". */
export function validationError(error: z.ZodError): DomainError {
  const fields = error.issues.map((i) => {
    const p = i.path.map(String);
    if (["body", "query", "params"].includes(p[0])) p.shift();
    return { field: p.join("."), message: i.message, code: i.code };
  });
  return new DomainError("validation_failed", messages.common.validationFailed, { fields });
}
