import crypto from "node:crypto";
import type Koa from "koa";
import type { Module, Services } from "../../service";
import type { ApiContext } from "../../http/route";
import { renderPage } from "../render";
import { checkPassword } from "../../auth/users";
import { createSession, destroySession, SESSION_HOURS } from "../../auth/sessions";
import { RateLimiter } from "../../http/rateLimit";
import * as audit from "../../audit/audit";
import { messages } from "../../messages";
import { DomainError } from "../../errors";
import { passwordRefusalReason, rateLimitedRefusalsOf } from "../../auth/refusals";
import { SESSION_COOKIE, cookieOptions, formOf } from "./session";
import { staffPage } from "./page";
import { registerStaffPages } from "./pages";

const LOGIN_CSRF_COOKIE = "ct_login_csrf";
/** Failed sign-ins per client address, per running service: 10 at once, then 5 a minute. */
const failedSignInsOf = new WeakMap<object, RateLimiter>();
const failedSignIns = (services: object) => {
  let l = failedSignInsOf.get(services);
  if (!l) failedSignInsOf.set(services, (l = new RateLimiter(10, 5)));
  return l;
};

const safeNext = (v: unknown) => (typeof v === "string" && /^\/[A-Za-z0-9\-._~/?=&%]*$/.test(v) && !v.startsWith("//") ? v : "/quan-tri");

/** Staff sign-in and sign-out (session cookie: HttpOnly, SameSite=Strict, Secure behind TLS). */
export const staffAuth: Module = {
  name: "staff-auth",
  routes(api) {
    api.add({
      method: "get", path: "/dang-nhap", summary: "Sign-in page", docs: false,
      handler: (ctx) => {
        const csrf = crypto.randomBytes(24).toString("base64url");
        ctx.cookies.set(LOGIN_CSRF_COOKIE, csrf, cookieOptions(ctx as unknown as Koa.Context, 3600_000));
        ctx.set("Cache-Control", "no-store");
        renderPage(ctx as unknown as Koa.Context, "staff/sign-in.njk", { csrf, next: safeNext(ctx.query.tiep) });
      },
    });
    api.add({
      method: "post", path: "/dang-nhap", summary: "Sign in", docs: false, bodyType: "application/x-www-form-urlencoded",
      handler: async (ctx) => {
        const k = ctx as unknown as Koa.Context;
        const form = formOf(k);
        const cookieCsrf = ctx.cookies.get(LOGIN_CSRF_COOKIE) ?? "";
        const next = safeNext(form.tiep);
        if (!cookieCsrf || cookieCsrf !== form._csrf) {
          renderPage(k, "staff/sign-in.njk", { csrf: cookieCsrf, error: messages.web.csrfFailed, next }, 403);
          return;
        }
        const username = String(form.username ?? "").trim().slice(0, 64);
        const limiter = failedSignIns(ctx.services);
        const refusals = rateLimitedRefusalsOf(ctx.services);
        const wait = limiter.peek(ctx.ip);
        if (wait > 0) {
          // Refused without checking the password; counted in an aggregated audit row (src/auth/refusals.ts).
          await refusals.refused(ctx.services.db, { via: "web", ip: ctx.ip, username });
          throw new DomainError("rate_limited", messages.common.rateLimited, { retryAfter: wait }, "rate_limited");
        }
        const actor = await checkPassword(ctx.services.db, username, String(form.password ?? "").slice(0, 200));
        await refusals.settle(ctx.services.db, "web", ctx.ip);
        if (!actor) {
          limiter.take(ctx.ip);
          const reason = await passwordRefusalReason(ctx.services.db, username);
          await audit.append(ctx.services.db, { actor: "anonymous", action: "auth.failed", details: { ip: ctx.ip, username, via: "web", reason } });
          renderPage(k, "staff/sign-in.njk", { csrf: cookieCsrf, error: messages.web.signInFailed, username, next }, 401);
          return;
        }
        const s = await createSession(ctx.services.db, actor.id);
        await audit.append(ctx.services.db, { actor, action: "auth.signed_in", objectType: "user", objectId: actor.id, details: { ip: ctx.ip } });
        ctx.cookies.set(SESSION_COOKIE, s.secret, cookieOptions(k, SESSION_HOURS * 3600_000));
        ctx.cookies.set(LOGIN_CSRF_COOKIE, "", { ...cookieOptions(k), maxAge: 0 });
        ctx.redirect(next);
      },
    });
    api.add({
      method: "post", path: "/dang-xuat", summary: "Sign out", docs: false, bodyType: "application/x-www-form-urlencoded",
      handler: staffPage(async (ctx) => {
        const secret = ctx.cookies.get(SESSION_COOKIE);
        if (secret) await destroySession(ctx.services.db, secret);
        ctx.cookies.set(SESSION_COOKIE, "", { ...cookieOptions(ctx as unknown as Koa.Context), maxAge: 0 });
        ctx.redirect("/dang-nhap");
      }),
    });
    registerStaffPages(api);
  },
  /** Writes the pending counts of rate-limited sign-ins (web and API) before the database closes. */
  async stop(s: Services) {
    await rateLimitedRefusalsOf(s).flush(s.db).catch((err) => s.log.error({ err }, "audit append failed"));
  },
};
