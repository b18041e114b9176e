import { DomainError } from "../../errors";
import type { ApiRouter } from "../../http/route";
import { messages } from "../../messages";
import * as store from "../../store/publicCertificates";
import { cache, page, publishedView, render } from "./pages";

const m = messages.publicSite;

/**
 * The page of one published certificate, /chung-thu/{serial}, and its downloads
 * /chung-thu/{serial}.cer (DER, application/pkix-cert, RFC 2585) and .pem (RFC 7468).
 */
export function certificateRoutes(api: ApiRouter): void {
  api.add({
    method: "get", path: "/chung-thu/:file", summary: "Published certificate page and downloads", docs: false,
    handler: page(async (ctx) => {
      const file = String(ctx.params.file);
      const match = /^([0-9a-fA-F:]{1,96})(?:\.(cer|der|crt|pem))?$/.exec(file);
      if (!match) throw new DomainError("bad_serial", m.badSerial, {}, "not_found");
      const serial = match[1].replace(/:/g, "").toLowerCase().replace(/^0+(?=.)/, "");
      const row = await store.getPublished(ctx.services.db, serial);
      if (!row) throw new DomainError("certificate_not_found", m.certificateNotFound, { serial }, "not_found");
      const ext = match[2];
      if (ext === "pem") {
        ctx.set("Cache-Control", cache.certificate);
        ctx.set("Content-Disposition", `attachment; filename="${serial}.pem"`);
        ctx.type = "application/x-pem-file";
        ctx.body = toPem(row.der);
        return;
      }
      if (ext) {
        ctx.set("Cache-Control", cache.certificate);
        ctx.set("Content-Disposition", `attachment; filename="${serial}.cer"`);
        ctx.type = "application/pkix-cert";
        ctx.body = Buffer.from(row.der);
        return;
      }
      ctx.set("Cache-Control", cache.short);
      const view = publishedView(row);
      render(ctx, "public/certificate.njk", { title: `Chứng thư số ${view.holder}`, cert: view });
    }),
  });
}

/** RFC 7468 textual encoding, 64 characters a line. */
export function toPem(der: Uint8Array, label = "CERTIFICATE"): string {
  const b64 = Buffer.from(der).toString("base64").replace(/(.{64})/g, "$1\n").replace(/\n$/, "");
  return `-----BEGIN ${label}-----\n${b64}\n-----END ${label}-----\n`;
}
