import type { ApiRouter, ApiContext } from "../http/route";
import { cacheableReply, sendCacheable } from "../status/httpCache";
import { fastHeaders, type FastRoute, type PreparedReply } from "../http/fastPath";
import type { OcspAnswer, PresignedAnswer } from "./responder";
import { DomainError } from "../errors";
import { messages } from "../messages";

const TYPE = "application/ocsp-response";

function present(ctx: ApiContext, a: OcspAnswer, cacheable: boolean) {
  if (cacheable && a.cache) {
    sendCacheable(ctx as any, { body: a.der, type: TYPE, etag: a.cache.etag, lastModified: a.cache.thisUpdate, expires: a.cache.nextUpdate });
    return;
  }
  ctx.status = 200;
  ctx.type = TYPE;
  ctx.set("Cache-Control", "no-store");
  ctx.body = a.der;
}

/** The DER request of GET /ocsp/{url-encoded base64}; undefined when it is not base64. */
export function requestFromPath(url: string): Buffer | undefined {
  const rawPath = url.split("?")[0].slice("/ocsp/".length);
  try {
    const b64 = decodeURIComponent(rawPath).replace(/\s/g, "");
    if (/^[A-Za-z0-9+/_-]+={0,2}$/.test(b64)) return Buffer.from(b64, b64.includes("-") || b64.includes("_") ? "base64url" : "base64");
  } catch {
    return undefined;
  }
  return undefined;
}

/** Where the fast routes get their answers: the responder, or a copy of its memory (src/va/front). */
export interface OcspSource {
  answerFromMemory(request: Buffer | undefined): PresignedAnswer | undefined;
  respond(request: Buffer | undefined): Promise<OcspAnswer>;
}

/** The same endpoints served in front of Koa (src/http/fastPath.ts): identical answers and headers. */
export function ocspFastRoutes(ocsp: OcspSource): FastRoute[] {
  // The complete reply of each pre-signed response held in memory, built once: the answer object
  // is replaced when the response is re-signed or re-checked, and its reply goes with it.
  const posts = new WeakMap<PresignedAnswer, PreparedReply>();
  const gets = new WeakMap<PresignedAnswer, PreparedReply & { maxAge: number }>();
  return [
    {
      method: "POST", path: "/ocsp", contentType: "application/ocsp-request",
      prepared: (_req, body) => {
        const a = ocsp.answerFromMemory(body);
        if (!a) return undefined;
        let r = posts.get(a);
        if (!r) posts.set(a, (r = { status: 200, body: a.der, flat: fastHeaders({ "Content-Type": TYPE, "Cache-Control": "no-store" }, a.der) }));
        return r;
      },
      handle: async (_req, body) => ({ status: 200, body: (await ocsp.respond(body)).der, headers: { "Content-Type": TYPE, "Cache-Control": "no-store" } }),
    },
    {
      method: "GET", path: "/ocsp/",
      prepared: (req, _body, url) => {
        // Conditional requests (304 or not) go through handle.
        if (req.headers["if-none-match"] !== undefined || req.headers["if-modified-since"] !== undefined) return undefined;
        const a = ocsp.answerFromMemory(requestFromPath(url));
        if (!a) return undefined;
        const now = Date.now();
        const maxAge = Math.max(0, Math.floor((a.nextUpdate.getTime() - now) / 1000));
        let r = gets.get(a);
        if (!r || r.maxAge !== maxAge) {
          const c = cacheableReply({ body: a.der, type: TYPE, etag: a.etag, lastModified: a.thisUpdate, expires: a.nextUpdate }, undefined, undefined, now);
          gets.set(a, (r = { status: c.status, body: a.der, flat: fastHeaders(c.headers, c.body), maxAge }));
        }
        return r;
      },
      handle: async (req, _body, url) => {
        const a = await ocsp.respond(requestFromPath(url));
        if (!a.cache) return { status: 200, body: a.der, headers: { "Content-Type": TYPE, "Cache-Control": "no-store" } };
        const h = req.headers;
        return cacheableReply({ body: a.der, type: TYPE, etag: a.cache.etag, lastModified: a.cache.thisUpdate, expires: a.cache.nextUpdate }, h["if-none-match"], h["if-modified-since"]);
      },
    },
  ];
}

/**
 * The OCSP endpoints (RFC 6960 Appendix A.1): POST /ocsp with an application/ocsp-request body, and
 * GET /ocsp/{url-encoded base64 of the DER request}, which HTTP caches may keep (RFC 5019 §5).
 * Every answer is an OCSPResponse, errors included; never a JSON error, never a 500.
 */
export function registerOcspRoutes(api: ApiRouter) {
  api.add({
    method: "post", path: "/ocsp", summary: "OCSP request (RFC 6960)", tags: ["pki"], bodyType: "application/ocsp-request",
    responses: { 200: { description: "OCSPResponse (DER)", mediaType: TYPE } },
    handler: async (ctx) => {
      // Strict media type (RFC 6960 A.1.1): anything but an OCSP request is not ours to parse.
      if (!ctx.is("application/ocsp-request")) {
        throw new DomainError("unsupported_media_type", messages.common.unsupportedMediaType("application/ocsp-request"), {}, "unsupported_media");
      }
      present(ctx, await ctx.services.status.ocsp.respond(ctx.request.rawBody), false);
    },
  });
  api.add({
    method: "get", path: "/ocsp/*request", summary: "OCSP request in the URL (RFC 6960 A.1, RFC 5019 §5)", tags: ["pki"],
    responses: { 200: { description: "OCSPResponse (DER)", mediaType: TYPE }, 304: { description: "Not modified" } },
    handler: async (ctx) => {
      const bytes = requestFromPath(ctx.url);
      present(ctx, await ctx.services.status.ocsp.respond(bytes), true);
    },
  });
}
