import fs from "node:fs";
import path from "node:path";
import crypto from "node:crypto";
import type { Module } from "../../service";
import { renderPage, templatesDir } from "../render";
import { searchRoutes } from "./search";
import { certificateRoutes } from "./certificate";
import { repositoryRoutes } from "./repository";
import { checkRoutes } from "./check";
import { backfillSearchIndex } from "../../store/publicSearchIndex";
import { fillPublicSearchText } from "../../store/publicCertificates";

const cssPath = path.join(templatesDir, "web/static/site.css");

/**
 * The public website (no sign-in): home page, the shared stylesheet, certificate lookup, the
 * certificate page and downloads, the repository page and the online certificate check.
 */
export const publicSite: Module = {
  name: "public-site",
  async start(s) {
    // Rows issued before issuance wrote public_search_text get it now; new rows carry it from issuance.
    await fillPublicSearchText(s.db);
    // Rows from before the word index (or written without it) get their words now.
    const indexed = await backfillSearchIndex(s.db);
    if (indexed) s.log.info({ indexed }, "public search word index filled");
  },
  routes(api) {
    const css = fs.readFileSync(cssPath);
    const etag = `"${crypto.createHash("sha256").update(css).digest("hex").slice(0, 16)}"`;
    api.add({
      method: "get", path: "/static/site.css", summary: "Stylesheet", docs: false,
      handler: (ctx) => {
        ctx.set("ETag", etag);
        ctx.set("Cache-Control", "public, max-age=3600");
        if (ctx.get("if-none-match") === etag) { ctx.status = 304; return; }
        ctx.type = "text/css; charset=utf-8";
        ctx.body = css;
      },
    });
    api.add({
      method: "get", path: "/", summary: "Home page", docs: false,
      handler: (ctx) => {
        ctx.set("Cache-Control", "public, max-age=300");
        renderPage(ctx, "public/home.njk", {});
      },
    });
    searchRoutes(api);
    certificateRoutes(api);
    repositoryRoutes(api);
    checkRoutes(api);
  },
};
