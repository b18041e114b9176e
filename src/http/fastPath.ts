import type http from "node:http";
import type { Logger } from "../log";
import { securityHeaders } from "./securityHeaders";
import { errorBody } from "./errors";
import { messages } from "../messages";

/** What a fast route answers: a status, a body (null for 304) and its own headers. */
export interface FastReply {
  status: number;
  body: Buffer | null;
  headers: Record<string, string>;
}

/**
 * A reply whose whole header list is already written out, security headers and Content-Length
 * included (made with `fastHeaders`): sent with one writeHead, nothing built per request.
 */
export interface PreparedReply {
  status: number;
  body: Buffer;
  flat: (string | number)[];
}

let base: [string, string][] | undefined;
/** The complete flat header list of a reply: the security headers, `headers`, Content-Length. */
export function fastHeaders(headers: Record<string, string>, body: Buffer | null): (string | number)[] {
  base ??= securityHeaders();
  const h: (string | number)[] = base.flat();
  for (const k in headers) h.push(k, headers[k]);
  if (body) h.push("Content-Length", body.length);
  return h;
}

/**
 * A public, unauthenticated route that speaks its own protocol (OCSP, TSA) and is served straight
 * from node:http, in front of the Koa middleware stack: the same answers, security headers and
 * body limit, a tenth of the work per request. `path` matches exactly, or as a prefix when it ends
 * with "/".
 */
export interface FastRoute {
  method: "GET" | "POST";
  path: string;
  /** The media type a POST body must have; another one falls through to Koa (415 there). */
  contentType?: string;
  handle(req: http.IncomingMessage, body: Buffer | undefined, url: string): Promise<FastReply>;
  /**
   * Optional, tried before `handle`: the reply when it is at hand in memory (a pre-signed OCSP
   * response), without a promise or a header object per request; undefined otherwise.
   */
  prepared?(req: http.IncomingMessage, body: Buffer | undefined, url: string): PreparedReply | undefined;
}

type Listener = (req: http.IncomingMessage, res: http.ServerResponse) => void;

/**
 * Wraps the Koa listener: a request for a fast route is answered here; anything the fast path
 * does not handle exactly as Koa would (HEAD, an Authorization header, a body without a
 * Content-Length or over the limit, chunked bodies) falls through to Koa unchanged.
 */
export function withFastRoutes(opts: { bodyLimit: number; log: Logger }, routes: FastRoute[], koa: Listener): Listener {
  if (routes.length === 0) return koa;
  const exact = new Map<string, FastRoute>();
  const prefixes: FastRoute[] = [];
  for (const r of routes) (r.path.endsWith("/") ? prefixes.push(r) : exact.set(`${r.method} ${r.path}`, r));
  const limit = opts.bodyLimit;
  const log = opts.log;

  const send = (res: http.ServerResponse, reply: FastReply) => {
    // One writeHead with a flat [name, value, …] list: cheaper than a setHeader per header.
    res.writeHead(reply.status, fastHeaders(reply.headers, reply.body) as unknown as http.OutgoingHttpHeaders);
    res.end(reply.body ?? undefined);
  };
  const run = (route: FastRoute, req: http.IncomingMessage, res: http.ServerResponse, url: string, body: Buffer | undefined) => {
    let ready: PreparedReply | undefined;
    try {
      ready = route.prepared?.(req, body, url);
    } catch (err) {
      log.error({ err, path: url.split("?")[0], method: req.method }, "prepared reply failed; answering through handle");
    }
    if (ready) {
      res.writeHead(ready.status, ready.flat as unknown as http.OutgoingHttpHeaders);
      res.end(ready.body);
      return;
    }
    route.handle(req, body, url).then(
      (reply) => send(res, reply),
      (err) => {
        log.error({ err, path: url.split("?")[0], method: req.method }, "unhandled error");
        send(res, { status: 500, body: Buffer.from(JSON.stringify(errorBody("internal_error", messages.common.internal))), headers: { "Content-Type": "application/json; charset=utf-8" } });
      },
    );
  };

  return (req, res) => {
    const url = req.url ?? "/";
    const method = req.method;
    if ((method !== "GET" && method !== "POST") || req.headers.authorization !== undefined) return koa(req, res);
    const q = url.indexOf("?");
    const p = q < 0 ? url : url.slice(0, q);
    let route = exact.get(`${method} ${p}`);
    if (!route) {
      for (const r of prefixes) if (r.method === method && p.startsWith(r.path) && p.length > r.path.length) route = r;
    }
    if (!route) return koa(req, res);
    if (method === "GET") return run(route, req, res, url, undefined);
    if (route.contentType && (req.headers["content-type"] ?? "").split(";")[0].trim().toLowerCase() !== route.contentType) return koa(req, res);
    const lengthHeader = req.headers["content-length"];
    if (req.headers["transfer-encoding"] !== undefined) return koa(req, res);
    if (lengthHeader === undefined) return run(route, req, res, url, undefined); // Koa reads no body either
    const length = Number(lengthHeader);
    if (!Number.isSafeInteger(length) || length < 0 || length > limit) return koa(req, res);
    if (length === 0) return run(route, req, res, url, undefined);
    const body = Buffer.allocUnsafe(length);
    let got = 0;
    let failed = false;
    req.on("data", (chunk: Buffer) => {
      if (failed) return;
      if (got + chunk.length > length) {
        failed = true;
        return;
      }
      chunk.copy(body, got);
      got += chunk.length;
    });
    req.on("end", () => {
      if (failed || got !== length) {
        send(res, { status: 400, body: Buffer.from(JSON.stringify(errorBody("body_unreadable", messages.common.malformedJson))), headers: { "Content-Type": "application/json; charset=utf-8" } });
        return;
      }
      run(route!, req, res, url, body);
    });
    req.on("error", () => res.destroy());
  };
}
