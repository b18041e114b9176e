import type { ApiRouter } from "../http/route";
import { DomainError } from "../errors";
import { messages } from "../messages";
import type { FastRoute } from "../http/fastPath";
import type { Services } from "../service";

/** POST /tsa: RFC 3161 §3.4 over HTTP, application/timestamp-query → application/timestamp-reply. */
export function registerTsaRoutes(api: ApiRouter) {
  api.add({
    method: "post", path: "/tsa", summary: "Timestamp request (RFC 3161)", tags: ["pki"], bodyType: "application/timestamp-query",
    responses: { 200: { description: "TimeStampResp (DER)", mediaType: "application/timestamp-reply" } },
    handler: async (ctx) => {
      // Strict media type (RFC 3161 §3.4): anything but a timestamp query is refused with 415.
      if (!ctx.is("application/timestamp-query")) {
        throw new DomainError("unsupported_media_type", messages.common.unsupportedMediaType("application/timestamp-query"), {}, "unsupported_media");
      }
      const reply = await ctx.services.status.tsa.respond(ctx.request.rawBody);
      ctx.status = 200;
      ctx.type = "application/timestamp-reply";
      ctx.set("Cache-Control", "no-store");
      ctx.body = reply;
    },
  });
}

/** POST /tsa served in front of Koa (src/http/fastPath.ts): the same answer and headers. */
export function tsaFastRoutes(s: Services): FastRoute[] {
  return [{
    method: "POST", path: "/tsa", contentType: "application/timestamp-query",
    handle: async (_req, body) => ({ status: 200, body: await s.status.tsa.respond(body), headers: { "Content-Type": "application/timestamp-reply", "Cache-Control": "no-store" } }),
  }];
}
