import type Koa from "koa";
import crypto from "node:crypto";
import { sessionActor } from "../../auth/sessions";
import { DomainError } from "../../errors";
import { messages } from "../../messages";
import type { Services } from "../../service";

export const SESSION_COOKIE = "ct_session";

declare module "koa" {
  interface DefaultState {
    csrf?: string;
    fullName?: string;
  }
}

/** Reads the staff session cookie into ctx.state (actor, csrf) on page routes. */
export async function loadSession(ctx: Koa.Context, services: Services): Promise<void> {
  const secret = ctx.cookies.get(SESSION_COOKIE);
  if (!secret || ctx.state.actor) return;
  const s = await sessionActor(services.db, secret);
  if (s) {
    ctx.state.actor = s.actor;
    ctx.state.csrf = s.csrf;
    ctx.state.fullName = s.fullName;
  }
}

/** Parses an urlencoded form body into a plain object (last value wins; arrays for name[]). */
export function formOf(ctx: Koa.Context): Record<string, string | string[]> {
  const raw = typeof ctx.request.body === "string" ? ctx.request.body : "";
  const out: Record<string, string | string[]> = Object.create(null);
  for (const [k, v] of new URLSearchParams(raw)) {
    if (k === "__proto__" || k === "constructor" || k === "prototype") continue;
    if (k.endsWith("[]")) ((out[k.slice(0, -2)] ??= []) as string[]).push(v);
    else out[k] = v;
  }
  return out;
}

/** Constant-time check of the form's CSRF token against the session's (synchronizer token). */
export function checkCsrf(ctx: Koa.Context, form: Record<string, unknown>): void {
  const sent = Buffer.from(String(form._csrf ?? ""));
  const expected = Buffer.from(String(ctx.state.csrf ?? ""));
  if (!expected.length || sent.length !== expected.length || !crypto.timingSafeEqual(sent, expected)) {
    throw new DomainError("csrf_failed", messages.web.csrfFailed, {}, "forbidden");
  }
}

export const cookieOptions = (ctx: Koa.Context, maxAgeMs?: number) => ({
  httpOnly: true, sameSite: "strict" as const, secure: ctx.secure, path: "/", overwrite: true, ...(maxAgeMs ? { maxAge: maxAgeMs } : {}),
});
