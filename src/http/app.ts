import Koa from "koa";
import helmet from "koa-helmet";
import { helmetOptions } from "./securityHeaders";
import type { Services } from "../service";
import { authenticate } from "../auth/users";
import { bodyParser } from "./body";
import { errorHandler } from "./errors";
import type { ApiRouter } from "./route";
import { RateLimiter } from "./rateLimit";
import * as audit from "../audit/audit";
import { renderPage } from "../web/render";
import { messages } from "../messages";

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
      if (!ctx.state.actor) {
        // Failed logins are limited per client and each one is an audit row.
        failedLogins.check(ctx.ip);
        await audit.append(services.db, { actor: "anonymous", action: "auth.failed", details: { ip: ctx.ip, path: ctx.path } });
      }
    }
    return next();
  });
  app.use(api.router.routes());
  app.use(api.router.allowedMethods({ throw: true }));
  return app;
}
