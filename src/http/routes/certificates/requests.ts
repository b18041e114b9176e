import { z } from "zod";
import type { ApiRouter } from "../../route";
import { KeyFields, IssuedSchema } from "./schema";
import { presentBatch, presentIssued } from "./present";
import { keySourceOf } from "./certificates";
import { DomainError } from "../../../errors";
import { messages } from "../../../messages";
import { issueForDossier } from "../../../ca/commands/issueForDossier";
import { issueDossierBatch } from "../../../ca/commands/issueDossierBatch";
import { executeDossier } from "../../../ca/commands/executeDossier";

const Index = z.number().int().min(0).max(100000);

export const IssueForDossierSchema = z.object({
  params: z.object({ id: z.string().min(1).max(36) }),
  body: z.object({ subscriber: Index.optional(), asset: Index.optional(), usage: z.enum(["server", "client", "both"]).optional(), ...KeyFields }),
});

export const DossierBatchSchema = z.object({
  params: z.object({ id: z.string().min(1).max(36) }),
  body: z.object({
    usage: z.enum(["server", "client", "both"]).optional(),
    keys: z.array(z.object({ subscriber: Index.optional(), asset: Index.optional(), csr: z.string().max(64 * 1024).optional(), publicKey: z.string().max(8192).optional() })).min(1).max(20000),
  }),
});

/** Issuance driven by an accepted dossier: the subject comes from the dossier's list. */
export function register(api: ApiRouter) {
  api.add({
    method: "post", path: "/api/requests/:id/certificates", summary: "Issue the certificate of one person (subscriber) or asset of an accepted dossier", tags: ["certificates", "requests"],
    action: "certificate.issue", input: IssueForDossierSchema,
    responses: { 201: { description: "Đã cấp chứng thư; pkcs12 chỉ trả về một lần", schema: IssuedSchema } },
    handler: async (ctx, { params, body }) => {
      const key = keySourceOf(body);
      if (!key) throw new DomainError("key_missing", messages.ca.keyMissing, {});
      if ((body.subscriber === undefined) === (body.asset === undefined)) throw new DomainError("holder_required", messages.ca.holderRequired, {});
      const r = await issueForDossier(ctx.services, ctx.state.actor!, { dossierId: params.id, subscriber: body.subscriber, asset: body.asset, key, usage: body.usage });
      ctx.status = 201;
      ctx.set("Cache-Control", "no-store");
      ctx.body = presentIssued(r);
    },
  });
  api.add({
    method: "post", path: "/api/requests/:id/execute", summary: "Carry out an accepted Mẫu 04 (renewal / change) or Mẫu 05 (revocation) dossier; a result per listed serial",
    tags: ["certificates", "requests"], action: "certificate.renew",
    input: z.object({ params: z.object({ id: z.string().min(1).max(36) }) }),
    handler: async (ctx, { params }) => {
      const results = await executeDossier(ctx.services, ctx.state.actor!, params.id);
      ctx.body = { items: results, total: results.length, succeeded: results.filter((r) => r.ok).length };
    },
  });
  api.add({
    method: "post", path: "/api/requests/:id/certificate-batch", summary: "Issue a whole accepted dossier as one resumable batch (progress at /api/certificate-batches/{id})",
    tags: ["certificates", "requests"], action: "certificate.batch", input: DossierBatchSchema,
    handler: async (ctx, { params, body }) => {
      const b = await issueDossierBatch(ctx.services, ctx.state.actor!, { dossierId: params.id, keys: body.keys, usage: body.usage });
      ctx.status = 202;
      ctx.set("Location", `/api/certificate-batches/${b.id}`);
      ctx.body = presentBatch(b);
    },
  });
}
