import type Koa from "koa";
import { DomainError } from "../../errors";
import { scrubbed, statusOfKind } from "../../http/errors";
import { RateLimiter } from "../../http/rateLimit";
import { messages } from "../../messages";
import type { Config } from "../../config";
import type { ApiContext } from "../../http/route";
import { renderPage } from "../render";
import { certificateView, type CertificateView } from "./certificateView";
import type { PublishedCertificateRow } from "../../store/publicCertificates";

/** Shared parts of the public pages: per-client limits, HTML error pages, cache headers. */
const m = messages.publicSite;

/** Cache-Control of each kind of public answer, by how often its data changes. */
export const cache = {
  /** Search results and the certificate page: status can change on revocation. */
  short: "public, max-age=60",
  /** The repository page: CRL dates change a few times a day. */
  repository: "public, max-age=300",
  /** A miss: may be published any minute. */
  revalidate: "no-cache",
  /** The check page answers about an uploaded file: never kept anywhere. */
  none: "no-store",
};

const limiters = new WeakMap<Config, { search: RateLimiter; check: RateLimiter }>();
function limitersOf(config: Config) {
  let l = limiters.get(config);
  if (!l) {
    const n = config.PUBLIC_RATE_LIMIT_PER_MINUTE;
    l = { search: new RateLimiter(n, n), check: new RateLimiter(n, n) };
    limiters.set(config, l);
  }
  return l;
}

/** Takes one search or check from the client's allowance; over it, throws the 429 error. */
export function limit(ctx: ApiContext, what: "search" | "check"): void {
  limitersOf(ctx.services.config)[what].check(ctx.ip);
}

/**
 * Wraps a page handler: a domain error becomes a Vietnamese HTML page with its status (429 with
 * Retry-After), never a JSON body or a 500, and is never cached.
 */
export function page(
  handler: (ctx: ApiContext) => Promise<void> | void,
  /** The form to show again with the message (the check page), instead of the bare error page. */
  form?: { template: string; data: Record<string, unknown> },
): (ctx: ApiContext) => Promise<void> {
  return async (ctx) => {
    try {
      await handler(ctx);
    } catch (err) {
      ctx.set("Cache-Control", cache.none);
      if (!(err instanceof DomainError)) {
        // Logged without the request body (an uploaded certificate is never kept, not even in logs).
        ctx.services.log.error({ err: scrubbed(err), path: ctx.path, method: ctx.method }, "public page failed");
        renderPage(ctx as unknown as Koa.Context, "public/error.njk", { title: m.errorTitle, message: messages.common.internal, code: "internal_error" }, 500);
        return;
      }
      if (err.kind === "rate_limited") {
        const wait = Number(err.details.retryAfter ?? 60);
        ctx.set("Retry-After", String(wait));
        renderPage(ctx as unknown as Koa.Context, "public/error.njk", { title: m.rateLimitedTitle, message: m.rateLimited(wait), code: err.code }, 429);
        return;
      }
      if (form) {
        renderPage(ctx as unknown as Koa.Context, form.template, { ...form.data, error: err.message, errorCode: err.code }, statusOfKind[err.kind]);
        return;
      }
      renderPage(ctx as unknown as Koa.Context, "public/error.njk", { title: m.errorTitle, message: err.message, code: err.code }, statusOfKind[err.kind]);
    }
  };
}

/** The view of a published row: parsed from its DER, with its status now. */
export const publishedView = (row: PublishedCertificateRow): CertificateView & { links: { der: string; pem: string } } => ({
  ...certificateView(row.der, row),
  // The public PKI endpoints of the ca capability (design.md §3).
  links: { der: `/certificates/${row.serial}`, pem: `/certificates/${row.serial}.pem` },
});

export const render = (ctx: ApiContext, template: string, data: Record<string, unknown>, status = 200) =>
  renderPage(ctx as unknown as Koa.Context, template, data, status);
