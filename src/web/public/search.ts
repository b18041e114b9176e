import { DomainError } from "../../errors";
import type { ApiRouter } from "../../http/route";
import * as store from "../../store/publicCertificates";
import { messages } from "../../messages";
import { cache, limit, page, publishedView, render } from "./pages";
import { parseLookupQuery } from "./query";

/** Results shown at most; one more is read to know that there are more. */
export const SEARCH_CAP = 50;

/** Tra cứu chứng thư số: by serial, official e-mail, or holder / agency name. */
export function searchRoutes(api: ApiRouter): void {
  api.add({
    method: "get", path: "/tra-cuu", summary: "Public certificate lookup", docs: false,
    handler: page(async (ctx) => {
      const raw = typeof ctx.query.q === "string" ? ctx.query.q : "";
      const base = { title: "Tra cứu chứng thư số", q: raw };
      let query;
      try {
        query = parseLookupQuery(raw);
      } catch (err) {
        // A refused query shows the form again with the message, as a 400.
        if (!(err instanceof DomainError)) throw err;
        ctx.set("Cache-Control", cache.none);
        // An identity number is not even echoed back into the form.
        const q = err.code === "identity_query_refused" ? "" : raw;
        render(ctx, "public/search.njk", { ...base, q, error: err.message, errorCode: err.code }, 400);
        return;
      }
      if (query.kind === "empty") {
        ctx.set("Cache-Control", cache.repository);
        render(ctx, "public/search.njk", base);
        return;
      }
      limit(ctx, "search");
      const db = ctx.services.db;
      let rows: store.PublishedCertificateRow[];
      if (query.kind === "serial") {
        const row = await store.getPublished(db, query.serial);
        rows = row ? [row] : [];
      } else if (query.kind === "email") {
        rows = await store.findPublishedByEmail(db, query.email, SEARCH_CAP + 1);
      } else {
        rows = await store.findPublishedByText(db, query.words, SEARCH_CAP + 1);
      }
      const capped = rows.length > SEARCH_CAP;
      // A miss may turn into a hit at the next handover: only hits are kept (briefly).
      ctx.set("Cache-Control", rows.length ? cache.short : cache.revalidate);
      render(ctx, "public/search.njk", {
        ...base,
        searched: true,
        results: rows.slice(0, SEARCH_CAP).map(publishedView),
        cappedNote: capped ? messages.publicSite.capped(SEARCH_CAP) : undefined,
      });
    }),
  });
}
