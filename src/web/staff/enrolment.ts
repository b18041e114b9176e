import crypto from "node:crypto";
import type Koa from "koa";
import type { ApiRouter } from "../../http/route";
import { renderPage } from "../render";
import { redeemEnrolment } from "../../auth/enrolment";
import { limitedRedeem } from "../../http/routes/users/enrolment";
import { statusOfKind } from "../../http/errors";
import { DomainError } from "../../errors";
import { messages } from "../../messages";
import { cookieOptions, formOf } from "./session";

const ENROL_CSRF_COOKIE = "ct_enrol_csrf";
const TEMPLATE = "staff/enrolment.njk";

/**
 * The page the enrolment e-mail links to (/kich-hoat?u=<username>): a person types the code from
 * the mail and sets their own password; the first API token is shown once. Not signed in, so the
 * CSRF token is a double-submit cookie as on the sign-in page; failures share the API's limiter.
 */
export function registerEnrolmentPage(api: ApiRouter) {
  api.add({
    method: "get", path: "/kich-hoat", summary: "Enrolment page", docs: false,
    handler: (ctx) => {
      const k = ctx as unknown as Koa.Context;
      const csrf = crypto.randomBytes(24).toString("base64url");
      ctx.cookies.set(ENROL_CSRF_COOKIE, csrf, cookieOptions(k, 3600_000));
      ctx.set("Cache-Control", "no-store");
      const u = typeof ctx.query.u === "string" ? ctx.query.u.slice(0, 64) : "";
      renderPage(k, TEMPLATE, { csrf, username: u });
    },
  });
  api.add({
    method: "post", path: "/kich-hoat", summary: "Redeem an enrolment code", docs: false, bodyType: "application/x-www-form-urlencoded",
    handler: async (ctx) => {
      const k = ctx as unknown as Koa.Context;
      ctx.set("Cache-Control", "no-store");
      const form = formOf(k);
      const csrf = ctx.cookies.get(ENROL_CSRF_COOKIE) ?? "";
      const username = String(form.username ?? "").trim().slice(0, 64);
      const page = (status: number, error: string, errorCode?: string) => renderPage(k, TEMPLATE, { csrf, username, error, errorCode }, status);
      if (!csrf || csrf !== form._csrf) return page(403, messages.web.csrfFailed, "csrf_failed");
      const password = String(form.password ?? "");
      if (password !== String(form.password2 ?? "")) return page(400, messages.users.passwordMismatch, "password_mismatch");
      if (password.length < 12 || password.length > 200) return page(400, messages.users.passwordTooShort, "password_too_short");
      try {
        const out = await limitedRedeem(ctx.services, ctx.ip, () =>
          redeemEnrolment(ctx.services.db, { username, code: String(form.code ?? "").slice(0, 64), password, ip: ctx.ip, via: "web" }));
        ctx.cookies.set(ENROL_CSRF_COOKIE, "", { ...cookieOptions(k), maxAge: 0 });
        renderPage(k, TEMPLATE, { username: out.user.username, token: out.token.secret });
      } catch (err) {
        if (!(err instanceof DomainError)) throw err;
        if (err.kind === "rate_limited" && typeof err.details.retryAfter === "number") ctx.set("Retry-After", String(err.details.retryAfter));
        page(statusOfKind[err.kind], err.message, err.code);
      }
    },
  });
}
