import type { ApiRouter } from "../../route";
import * as S from "./schema";
import { redeemEnrolment } from "../../../auth/enrolment";
import { RateLimiter } from "../../rateLimit";
import { DomainError } from "../../../errors";
import { messages } from "../../../messages";

/** Failed redemptions per client address (API and page together): 10 at once, then 5 a minute. */
const limiters = new WeakMap<object, RateLimiter>();
export function enrolmentLimiter(services: object): RateLimiter {
  let l = limiters.get(services);
  if (!l) limiters.set(services, (l = new RateLimiter(10, 5)));
  return l;
}

/** Throws 429 while the client is over its failures; runs redeem and counts a failure. */
export async function limitedRedeem<T>(services: object, ip: string, redeem: () => Promise<T>): Promise<T> {
  const limiter = enrolmentLimiter(services);
  const wait = limiter.peek(ip);
  if (wait > 0) throw new DomainError("rate_limited", messages.common.rateLimited, { retryAfter: wait }, "rate_limited");
  try {
    return await redeem();
  } catch (err) {
    if (err instanceof DomainError) limiter.take(ip);
    throw err;
  }
}

export function registerEnrolmentRoutes(api: ApiRouter) {
  api.add({
    method: "post", path: "/api/enrolment", tags: ["users"], input: S.RedeemEnrolmentSchema,
    summary: "Redeem an enrolment code (public, rate-limited): sets one's password and returns a first API token once",
    responses: { 201: { description: "Đã kích hoạt; mã truy cập chỉ hiển thị một lần", schema: S.RedeemedSchema } },
    handler: async (ctx, { body }) => {
      ctx.set("Cache-Control", "no-store");
      const out = await limitedRedeem(ctx.services, ctx.ip, () =>
        redeemEnrolment(ctx.services.db, { username: body.username, code: body.code, password: body.password, ip: ctx.ip, via: "api" }));
      ctx.status = 201;
      ctx.body = { user: out.user, id: out.token.id, token: out.token.secret, expiresAt: out.token.expiresAt };
    },
  });
}
