import Koa from "koa";
import helmet from "koa-helmet";
import type { Services } from "../service";
import { authenticate } from "../auth/users";
import { bodyParser } from "./body";
import { errorHandler } from "./errors";
import type { ApiRouter } from "./route";

/** The Koa application: security headers, errors, bodies, bearer authentication, routes. */
export function buildApp(services: Services, api: ApiRouter): Koa {
  const app = new Koa({ proxy: false });
  app.context.services = services;
  app.silent = true;
  app.use(errorHandler(services.log));
  app.use(
    helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"], imgSrc: ["'self'", "data:"], styleSrc: ["'self'"], scriptSrc: ["'self'"],
          frameAncestors: ["'none'"], formAction: ["'self'"], baseUri: ["'none'"], objectSrc: ["'none'"],
        },
      },
      crossOriginEmbedderPolicy: false,
      strictTransportSecurity: false,
    }),
  );
  app.use(bodyParser(services.config.BODY_LIMIT));
  app.use(async (ctx, next) => {
    const header = ctx.get("authorization");
    const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (m) ctx.state.actor = await authenticate(services.db, m[1]);
    return next();
  });
  app.use(api.router.routes());
  app.use(api.router.allowedMethods({ throw: true }));
  return app;
}
