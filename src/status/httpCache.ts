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
 * Pure: the status and headers for the request's conditional headers.
 */
export function cacheableReply(c: Cacheable, ifNoneMatch: string | undefined, ifModifiedSince: string | undefined, now = Date.now()) {
  const maxAge = Math.max(0, Math.floor((c.expires.getTime() - now) / 1000));
  const headers: Record<string, string> = {
    "Cache-Control": `public, max-age=${maxAge}, no-transform, must-revalidate`,
    ETag: c.etag,
    "Last-Modified": c.lastModified.toUTCString(),
    Expires: c.expires.toUTCString(),
  };
  let notModified = false;
  if (ifNoneMatch) {
    notModified = ifNoneMatch.split(",").some((t) => {
      const v = t.trim().replace(/^W\//, "");
      return v === "*" || v === c.etag;
    });
  } else if (ifModifiedSince) {
    const t = Date.parse(ifModifiedSince);
    notModified = !Number.isNaN(t) && Math.floor(c.lastModified.getTime() / 1000) * 1000 <= t;
  }
  if (notModified) return { status: 304, headers, body: null };
  headers["Content-Type"] = c.type;
  return { status: 200, headers, body: c.body };
}

export function sendCacheable(ctx: Koa.Context, c: Cacheable, now = Date.now()) {
  const r = cacheableReply(c, ctx.get("if-none-match") || undefined, ctx.get("if-modified-since") || undefined, now);
  for (const [k, v] of Object.entries(r.headers)) if (k !== "Content-Type") ctx.set(k, v);
  ctx.status = r.status;
  if (r.body) {
    ctx.type = c.type;
    ctx.body = r.body;
  } else {
    ctx.body = null;
  }
}
