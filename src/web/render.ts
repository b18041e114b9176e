import path from "node:path";
import nunjucks from "nunjucks";
import type Koa from "koa";

/**
 * Server-rendered pages: nunjucks templates under templates/web, output escaped by default
 * (autoescape), one layout shared by the public site and the staff interface.
 */
export const templatesDir = path.resolve(__dirname, "../../templates");

const TZ = "Asia/Ho_Chi_Minh";
const pad = (n: number) => String(n).padStart(2, "0");
function vnParts(d: Date) {
  const s = new Intl.DateTimeFormat("en-GB", {
    timeZone: TZ, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23",
  }).formatToParts(d);
  const get = (t: string) => Number(s.find((p) => p.type === t)!.value);
  return { y: get("year"), m: get("month"), d: get("day"), h: get("hour"), min: get("minute") };
}

/** 05/03/2026 (Asia/Ho_Chi_Minh). */
export function vnDate(v: string | Date | null | undefined): string {
  if (!v) return "";
  const d = typeof v === "string" ? new Date(v.length === 10 ? `${v}T00:00:00+07:00` : v) : v;
  if (Number.isNaN(d.getTime())) return String(v);
  const p = vnParts(d);
  return `${pad(p.d)}/${pad(p.m)}/${p.y}`;
}

/** 14:30 05/03/2026 (Asia/Ho_Chi_Minh). */
export function vnDateTime(v: string | Date | null | undefined): string {
  if (!v) return "";
  const d = typeof v === "string" ? new Date(v) : v;
  if (Number.isNaN(d.getTime())) return String(v);
  const p = vnParts(d);
  return `${pad(p.h)}:${pad(p.min)} ${pad(p.d)}/${pad(p.m)}/${p.y}`;
}

/** Shows only the last 3 characters of an identity number: CCCD:*********123. */
export function maskIdentity(v: string | null | undefined): string {
  if (!v) return "";
  const m = /^([A-Z]+:)?(.*)$/.exec(v)!;
  const prefix = m[1] ?? "";
  const body = m[2];
  return prefix + "*".repeat(Math.max(0, body.length - 3)) + body.slice(-3);
}

let env: nunjucks.Environment | undefined;
export function webEnv(): nunjucks.Environment {
  if (env) return env;
  env = new nunjucks.Environment(new nunjucks.FileSystemLoader(path.join(templatesDir, "web"), { noCache: false }), {
    autoescape: true,
    throwOnUndefined: false,
    trimBlocks: true,
    lstripBlocks: true,
  });
  env.addFilter("vnDate", vnDate);
  env.addFilter("vnDateTime", vnDateTime);
  env.addFilter("maskIdentity", maskIdentity);
  env.addFilter("hexColons", (s: string) => (s ?? "").toUpperCase().replace(/(..)(?=.)/g, "$1:"));
  return env;
}

/** Renders a page into ctx with HTML content type; `status` defaults to 200. */
export function renderPage(ctx: Koa.Context, template: string, data: Record<string, unknown>, status = 200): void {
  ctx.status = status;
  ctx.type = "text/html; charset=utf-8";
  ctx.body = webEnv().render(template, { ...data, now: new Date(), path: ctx.path });
}
