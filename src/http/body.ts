import type Koa from "koa";
import getRawBody from "raw-body";
import { DomainError } from "../errors";
import { messages } from "../messages";

declare module "koa" {
  interface Request {
    /** Parsed JSON, text (CSV, forms) or raw bytes, depending on the content type. */
    body?: unknown;
    rawBody?: Buffer;
  }
}

const decoder = new TextDecoder("utf-8", { fatal: true });

/**
 * Reads request bodies with a hard size limit (413) and strict decoding: malformed JSON and
 * invalid UTF-8 are 400s. JSON is parsed without prototype pollution (__proto__ keys dropped).
 */
export function bodyParser(limit: number): Koa.Middleware {
  return async (ctx, next) => {
    if (!["POST", "PUT", "PATCH", "DELETE"].includes(ctx.method) || !ctx.request.length && !ctx.get("transfer-encoding")) {
      return next();
    }
    let raw: Buffer;
    try {
      raw = await getRawBody(ctx.req, { length: ctx.request.length, limit });
    } catch (err) {
      const e = err as { type?: string; status?: number };
      if (e.type === "entity.too.large" || e.status === 413) {
        throw new DomainError("body_too_large", messages.common.bodyTooLarge(limit), { limit }, "too_large");
      }
      throw new DomainError("body_unreadable", messages.common.malformedJson, {}, "invalid");
    }
    ctx.request.rawBody = raw;
    if (ctx.is("application/json", "application/*+json")) {
      let text: string;
      try {
        text = decoder.decode(raw);
      } catch {
        throw new DomainError("invalid_encoding", messages.common.invalidEncoding);
      }
      try {
        ctx.request.body = text.trim() === "" ? undefined : JSON.parse(text, (k, v) => (k === "__proto__" || k === "constructor" && typeof v === "object" ? undefined : v));
      } catch {
        throw new DomainError("malformed_json", messages.common.malformedJson);
      }
    } else if (ctx.is("text/*", "application/x-www-form-urlencoded")) {
      try {
        ctx.request.body = decoder.decode(raw);
      } catch {
        throw new DomainError("invalid_encoding", messages.common.invalidEncoding);
      }
    } else {
      ctx.request.body = raw;
    }
    return next();
  };
}
