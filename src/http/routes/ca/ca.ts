import { z } from "zod";
import type { ApiContext, ApiRouter } from "../../route";
import * as cas from "../../../store/cas";
import { DomainError } from "../../../errors";
import { messages } from "../../../messages";
import { sha256Hex, toPem } from "../../../ca/x509/certificate";
import * as S from "./schema";

/** CAs as integrators and relying parties see them: never the key, never a row. */
export const presentCa = (c: cas.CaRow, issuingName?: string) => ({
  name: c.name,
  role: c.role,
  isIssuing: c.name === issuingName,
  parent: c.parent_name,
  subject: c.subject_dn,
  keyAlgorithm: c.key_algorithm,
  notBefore: c.not_before,
  notAfter: c.not_after,
  development: Boolean(c.development),
  active: Boolean(c.active),
  fingerprint: sha256Hex(c.certificate),
});

async function mustGetCa(ctx: ApiContext, name: string) {
  const row = await cas.get(ctx.services.db, name);
  if (!row) throw new DomainError("ca_not_found", messages.ca.caNotFound(name), { name }, "not_found");
  return row;
}

/** RFC 5019 §6-style caching for objects that never change once published. */
function cacheForever(ctx: ApiContext, der: Buffer) {
  ctx.set("Cache-Control", "public, max-age=86400, immutable");
  ctx.set("ETag", `"${sha256Hex(der).slice(0, 32)}"`);
}

export function register(api: ApiRouter) {
  api.add({
    method: "get", path: "/api/ca", summary: "List the certificate authorities", tags: ["ca"], action: "ca.list",
    responses: { 200: { description: "Danh sách CA", schema: z.object({ items: z.array(S.CaSchema) }) } },
    handler: async (ctx) => {
      const issuing = (await cas.currentIssuing(ctx.services.db))?.name;
      ctx.body = { items: (await cas.list(ctx.services.db)).map((c) => presentCa(c, issuing)) };
    },
  });
  api.add({
    method: "get", path: "/ca/:file", summary: "A CA certificate: {name}.crt (DER) or {name}.pem", tags: ["public"],
    input: z.object({ params: z.object({ file: z.string().regex(/^[a-z0-9-]{1,64}\.(crt|cer|der|pem)$/) }) }),
    responses: { 200: { description: "Chứng thư CA", mediaType: "application/pkix-cert" } },
    handler: async (ctx, { params }) => {
      const [name, ext] = params.file.split(".");
      const row = await mustGetCa(ctx, name);
      const der = Buffer.from(row.certificate);
      cacheForever(ctx, der);
      if (ext === "pem") {
        ctx.type = "application/x-pem-file";
        ctx.body = toPem(der);
      } else {
        ctx.type = "application/pkix-cert";
        ctx.body = der;
      }
    },
  });
  api.add({
    method: "get", path: "/ca/:name/chain.pem", summary: "The CA's chain up to the root, as PEM", tags: ["public"],
    input: z.object({ params: z.object({ name: z.string().regex(/^[a-z0-9-]{1,64}$/) }) }),
    handler: async (ctx, { params }) => {
      await mustGetCa(ctx, params.name);
      const chain = await ctx.services.ca.chain(params.name);
      ctx.set("Cache-Control", "public, max-age=86400");
      ctx.type = "application/x-pem-file";
      ctx.body = chain.map((c) => toPem(c.der)).join("");
    },
  });
}
