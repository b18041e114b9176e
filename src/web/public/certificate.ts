import { DomainError } from "../../errors";
import type { ApiRouter } from "../../http/route";
import { messages } from "../../messages";
import * as store from "../../store/publicCertificates";
import { cache, page, publishedView, render } from "./pages";

const m = messages.publicSite;

/**
 * The page of one published certificate, /chung-thu/{serial} (hex, colons allowed). Its DER and
 * PEM downloads are the ca capability's public endpoints /certificates/{serial}[.pem].
 */
export function certificateRoutes(api: ApiRouter): void {
  api.add({
    method: "get", path: "/chung-thu/:serial", summary: "Published certificate page", docs: false,
    handler: page(async (ctx) => {
      const raw = String(ctx.params.serial);
      if (!/^[0-9a-fA-F:]{1,96}$/.test(raw)) throw new DomainError("bad_serial", m.badSerial, {}, "not_found");
      const serial = raw.replace(/:/g, "").toLowerCase().replace(/^0+(?=.)/, "");
      const row = await store.getPublished(ctx.services.db, serial);
      if (!row) throw new DomainError("certificate_not_found", m.certificateNotFound, { serial }, "not_found");
      ctx.set("Cache-Control", cache.short);
      const view = publishedView(row);
      render(ctx, "public/certificate.njk", { title: `Chứng thư số ${view.holder}`, cert: view });
    }),
  });
}
