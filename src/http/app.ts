import Koa from "koa";
import helmet from "koa-helmet";
import { helmetOptions } from "./securityHeaders";
import type { Services } from "../service";
import { authenticate } from "../auth/users";
import { bodyParser } from "./body";
import { errorHandler } from "./errors";
import type { ApiRouter } from "./route";
import { RateLimiter } from "./rateLimit";
import { DomainError } from "../errors";
import { messages } from "../messages";
import * as audit from "../audit/audit";
import { rateLimitedRefusalsOf, tokenRefusalReason } from "../auth/refusals";
import { renderPage } from "../web/render";

/** The Koa application: security headers, errors, bodies, bearer authentication, routes. */
export function buildApp(services: Services, api: ApiRouter): Koa {
  // Client addresses (rate limits, audit rows): see TRUST_PROXY_HOPS in src/config.ts.
  const hops = services.config.TRUST_PROXY_HOPS;
  const app = new Koa({ proxy: hops > 0, maxIpsCount: hops, proxyIpHeader: "X-Forwarded-For" });
  const failedLogins = new RateLimiter(20, 10);
  app.context.services = services;
  app.silent = true;
  app.use(errorHandler(services.log, services.db, (ctx, status, code, message) =>
    renderPage(ctx, "public/error.njk", { title: messages.publicSite.errorTitle, message, code }, status)));
  app.use(helmet(helmetOptions));
  app.use(bodyParser(services.config.BODY_LIMIT));
  app.use(async (ctx, next) => {
    const header = ctx.get("authorization");
    const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (m) {
      ctx.state.actor = await authenticate(services.db, m[1]);
      const refusals = rateLimitedRefusalsOf(services);
      if (!ctx.state.actor) {
        // Failed logins are limited per client; each one below the limit is an audit row, those
        // over it are counted in aggregated rows (src/auth/refusals.ts). The token is never logged.
        const wait = failedLogins.take(ctx.ip);
        if (wait > 0) {
          await refusals.refused(services.db, { via: "api", ip: ctx.ip, details: { path: ctx.path } });
          throw new DomainError("rate_limited", messages.common.rateLimited, { retryAfter: wait }, "rate_limited");
        }
        await refusals.settle(services.db, "api", ctx.ip);
        const reason = await tokenRefusalReason(services.db, m[1]);
        await audit.append(services.db, { actor: "anonymous", action: "auth.failed", details: { ip: ctx.ip, path: ctx.path, via: "api", reason } });
      }
    }
    return next();
  });
  app.use(api.router.routes());
  app.use(api.router.allowedMethods({ throw: true }));
  return app;
}
