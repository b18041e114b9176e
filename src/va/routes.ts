import type { ApiRouter, ApiContext } from "../http/route";
import { sendCacheable } from "../status/httpCache";
import type { OcspAnswer } from "./responder";
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
      const rawPath = ctx.url.split("?")[0].slice("/ocsp/".length);
      let bytes: Buffer | undefined;
      try {
        const b64 = decodeURIComponent(rawPath).replace(/\s/g, "");
        if (/^[A-Za-z0-9+/_-]+={0,2}$/.test(b64)) bytes = Buffer.from(b64, b64.includes("-") || b64.includes("_") ? "base64url" : "base64");
      } catch {
        bytes = undefined;
      }
      present(ctx, await ctx.services.status.ocsp.respond(bytes), true);
    },
  });
}
