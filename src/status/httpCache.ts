import type Koa from "koa";

export interface Cacheable {
  body: Buffer;
  type: string;
  etag: string;
  lastModified: Date;
  /** When the content stops being valid (CRL/OCSP nextUpdate). */
  expires: Date;
}

/**
 * RFC 5019 §6.2 / RFC 9111 caching for public PKI objects: max-age up to nextUpdate, ETag,
 * Last-Modified, Expires, and 304 Not Modified on If-None-Match / If-Modified-Since.
 */
export function sendCacheable(ctx: Koa.Context, c: Cacheable, now = Date.now()) {
  const maxAge = Math.max(0, Math.floor((c.expires.getTime() - now) / 1000));
  ctx.set("Cache-Control", `public, max-age=${maxAge}, no-transform, must-revalidate`);
  ctx.set("ETag", c.etag);
  ctx.set("Last-Modified", c.lastModified.toUTCString());
  ctx.set("Expires", c.expires.toUTCString());
  const inm = ctx.get("if-none-match");
  const ims = ctx.get("if-modified-since");
  let notModified = false;
  if (inm) {
    notModified = inm.split(",").some((t) => {
      const v = t.trim().replace(/^W\//, "");
      return v === "*" || v === c.etag;
    });
  } else if (ims) {
    const t = Date.parse(ims);
    notModified = !Number.isNaN(t) && Math.floor(c.lastModified.getTime() / 1000) * 1000 <= t;
  }
  if (notModified) {
    ctx.status = 304;
    ctx.body = null;
    return;
  }
  ctx.status = 200;
  ctx.type = c.type;
  ctx.body = c.body;
}
