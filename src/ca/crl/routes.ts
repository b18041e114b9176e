import { z } from "zod";
import type { ApiRouter, ApiContext } from "../../http/route";
import { DomainError } from "../../errors";
import { messages } from "../../messages";
import { sendCacheable } from "../../status/httpCache";

async function serve(ctx: ApiContext, ca: string, kind: "full" | "delta") {
  const crl = await ctx.services.status.crl.current(ca, kind);
  if (!crl) throw new DomainError("crl_not_found", messages.status.crlNotFound(ca), { ca }, "not_found");
  sendCacheable(ctx as any, { body: crl.der, type: "application/pkix-crl", etag: crl.etag, lastModified: crl.thisUpdate, expires: crl.nextUpdate });
}

/** Public CRL distribution points: GET /crl/{ca}.crl (complete) and GET /crl/{ca}/delta.crl. */
export function registerCrlRoutes(api: ApiRouter) {
  api.add({
    method: "get", path: "/crl/:ca/delta.crl", summary: "Delta CRL of a CA (DER, RFC 5280 §5.2.4)", tags: ["pki"],
    input: z.object({ params: z.object({ ca: z.string().min(1).max(64) }) }),
    responses: { 200: { description: "DER CRL", mediaType: "application/pkix-crl" }, 304: { description: "Not modified" }, 404: { description: "No CRL" } },
    handler: (ctx, { params }) => serve(ctx, params.ca, "delta"),
  });
  api.add({
    method: "get", path: "/crl/:file", summary: "Complete CRL of a CA (DER, RFC 5280 §5)", tags: ["pki"],
    input: z.object({ params: z.object({ file: z.string().regex(/^.{1,64}\.crl$/) }) }),
    responses: { 200: { description: "DER CRL", mediaType: "application/pkix-crl" }, 304: { description: "Not modified" }, 404: { description: "No CRL" } },
    handler: (ctx, { params }) => serve(ctx, params.file.slice(0, -4), "full"),
  });
}
