import type Koa from "koa";
import type { z } from "zod";
import { validationError, type ApiContext, type ApiRouter } from "../../http/route";
import type { Actor } from "../../auth/actor";
import { DomainError } from "../../errors";
import { statusOfKind } from "../../http/errors";
import { can, authorize } from "../../policy/policy";
import { parseMultipart } from "../../http/multipart";
import { renderPage } from "../render";
import { loadSession, checkCsrf, formOf } from "./session";
import type { Services } from "../../service";
import { staffMessages } from "../../messages/staff";
import { dossierStatusNames } from "../../messages/dossiers";

/** A staff form: text fields by name (name[] collects a list) and uploaded files by name. */
export interface StaffForm {
  fields: Record<string, string | string[]>;
  files: Record<string, { filename: string; text: string }>;
}

/** Reads an urlencoded or multipart form (files decoded as UTF-8 text; they are CSV/PEM). */
export function readForm(ctx: Koa.Context): StaffForm {
  const cached = (ctx.state as { staffForm?: StaffForm }).staffForm;
  if (cached) return cached;
  let form: StaffForm = { fields: formOf(ctx), files: {} };
  if (ctx.is("multipart/form-data") && Buffer.isBuffer(ctx.request.body)) {
    const parts = parseMultipart(ctx.request.body, ctx.get("content-type")) ?? [];
    const fields: Record<string, string | string[]> = Object.create(null);
    const files: StaffForm["files"] = Object.create(null);
    for (const p of parts) {
      if (["__proto__", "constructor", "prototype"].includes(p.name)) continue;
      if (p.filename !== undefined) {
        if (p.filename !== "" || p.data.length) files[p.name] = { filename: p.filename, text: p.data.toString("utf8") };
      } else if (p.name.endsWith("[]")) ((fields[p.name.slice(0, -2)] ??= []) as string[]).push(p.data.toString("utf8"));
      else fields[p.name] = p.data.toString("utf8");
    }
    form = { fields, files };
  }
  (ctx.state as { staffForm?: StaffForm }).staffForm = form;
  return form;
}

/** One text field of a form ("" when absent), trimmed. */
export const field = (f: StaffForm, name: string): string => {
  const v = f.fields[name];
  return (Array.isArray(v) ? v[v.length - 1] : v ?? "").trim();
};

export const actorOf = (ctx: ApiContext): Actor => ctx.state.actor!;

/** Renders a staff template with who is signed in, the CSRF token and `can(action)` for the menus. */
export function view(ctx: ApiContext, template: string, data: Record<string, unknown> = {}, status = 200): void {
  const actor = actorOf(ctx);
  const notice = typeof ctx.query.tb === "string" ? (staffMessages.notices as Record<string, string>)[ctx.query.tb] : undefined;
  renderPage(ctx as unknown as Koa.Context, template, {
    actor, fullName: ctx.state.fullName, csrf: ctx.state.csrf, notice,
    can: (action: string, object?: unknown) => can(actor, action, object),
    m: staffMessages, statusNames: dossierStatusNames, ...data,
  }, status);
}

/** Redirect after a successful POST, with a notice code shown on the next page. */
export function done(ctx: ApiContext, to: string, notice?: keyof typeof staffMessages.notices): void {
  ctx.status = 303;
  ctx.redirect(notice ? `${to}${to.includes("?") ? "&" : "?"}tb=${notice}` : to);
}

/** Runs a staff page: loads the session; without one, redirects to the sign-in page. */
export function staffPage(handler: (ctx: ApiContext) => Promise<void> | void) {
  return async (ctx: ApiContext) => {
    await loadSession(ctx as unknown as Koa.Context, ctx.services as Services);
    if (!ctx.state.actor) {
      ctx.redirect(`/dang-nhap?tiep=${encodeURIComponent(ctx.originalUrl)}`);
      return;
    }
    ctx.set("Cache-Control", "no-store");
    if (ctx.method === "POST") checkCsrf(ctx as unknown as Koa.Context, readForm(ctx as unknown as Koa.Context).fields);
    await handler(ctx);
  };
}

/**
 * A staff page: signed in (else redirect to sign-in), CSRF on POST, the policy action checked
 * first (a page for an action the role may not do is a 403 page), and domain errors shown as an
 * HTML page with the Vietnamese message instead of the API's JSON.
 */
export function page(action: string | string[] | null, handler: (ctx: ApiContext) => Promise<void> | void) {
  return staffPage(async (ctx) => {
    try {
      for (const a of action === null ? [] : ([] as string[]).concat(action)) authorize(actorOf(ctx), a);
      await handler(ctx);
    } catch (err) {
      if (!(err instanceof DomainError) || err.code === "csrf_failed") throw err;
      errorPage(ctx, err);
    }
  });
}

export function errorPage(ctx: ApiContext, err: DomainError): void {
  const status = statusOfKind[err.kind];
  view(ctx, "staff/error.njk", {
    title: status === 403 ? staffMessages.forbiddenTitle : status === 404 ? staffMessages.notFoundTitle : staffMessages.errorTitle,
    message: err.message, code: err.code, status,
    fields: (err.details as { fields?: { field: string; message: string }[] }).fields ?? [],
  }, status);
}

/** Field errors of a DomainError (details.fields) by path, for messages next to the inputs. */
export function fieldErrors(err: unknown): Record<string, string> | null {
  if (!(err instanceof DomainError)) return null;
  const fields = (err.details as { fields?: { field: string; message: string }[] }).fields;
  if (!Array.isArray(fields)) return null;
  const out: Record<string, string> = {};
  for (const f of fields) if (!(f.field in out)) out[f.field] = f.message;
  return out;
}

/** Registers a GET or POST page. */
export function addPage(api: ApiRouter, method: "get" | "post", path: string, action: string | string[] | null, handler: (ctx: ApiContext) => Promise<void> | void) {
  api.add({
    method, path, summary: `Staff page ${path}`, docs: false,
    ...(method === "post" ? { bodyType: "application/x-www-form-urlencoded" } : {}),
    handler: page(action, handler),
  });
}

/** Sends bytes as a file (PDF inline for the preview frame, others as attachment). */
export function sendFile(ctx: ApiContext, bytes: Buffer, type: string, filename: string, inline = false): void {
  ctx.type = type;
  ctx.set("Content-Disposition", `${inline ? "inline" : "attachment"}; filename="${filename.replace(/[^A-Za-z0-9._-]/g, "-")}"`);
  ctx.body = bytes;
}

/**
 * Validates a page's input with the API route's own schema (the edge validation the commands rely
 * on), raising the same 400 with one Vietnamese message per field path.
 */
export function validated<S extends z.ZodType>(schema: S, candidate: unknown): z.infer<S> {
  const parsed = schema.safeParse(candidate);
  if (!parsed.success) throw validationError(parsed.error);
  return parsed.data;
}
