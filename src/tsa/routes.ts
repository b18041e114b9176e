import type { ApiRouter } from "../http/route";
import type { FastRoute } from "../http/fastPath";
import type { Services } from "../service";

/** POST /tsa: RFC 3161 §3.4 over HTTP, application/timestamp-query → application/timestamp-reply. */
export function registerTsaRoutes(api: ApiRouter) {
  api.add({
    method: "post", path: "/tsa", summary: "Timestamp request (RFC 3161)", tags: ["pki"], bodyType: "application/timestamp-query",
    responses: { 200: { description: "TimeStampResp (DER)", mediaType: "application/timestamp-reply" } },
    handler: async (ctx) => {
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
    method: "POST", path: "/tsa",
    handle: async (_req, body) => ({ status: 200, body: await s.status.tsa.respond(body), headers: { "Content-Type": "application/timestamp-reply", "Cache-Control": "no-store" } }),
  }];
}
