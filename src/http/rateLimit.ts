import type Koa from "koa";
import { DomainError } from "../errors";
import { messages } from "../messages";

/**
 * A per-client token bucket kept in memory: `capacity` requests at once, refilled at
 * `perMinute`. Over the limit: 429 with a Vietnamese message and Retry-After (seconds).
 * One process only; several nodes behind a balancer would share it through the database.
 */
export class RateLimiter {
  private buckets = new Map<string, { tokens: number; at: number }>();
  constructor(private capacity: number, private perMinute: number, private maxKeys = 100_000) {}

  /** Takes one token for key; returns 0 when allowed, else the seconds to wait. */
  take(key: string, now = Date.now()): number {
    const rate = this.perMinute / 60_000;
    const b = this.buckets.get(key) ?? { tokens: this.capacity, at: now };
    b.tokens = Math.min(this.capacity, b.tokens + (now - b.at) * rate);
    b.at = now;
    if (this.buckets.size >= this.maxKeys && !this.buckets.has(key)) this.buckets.clear();
    this.buckets.set(key, b);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - b.tokens) / rate / 1000));
  }

  /** Seconds to wait before key may take a token (0: allowed now), without taking one. */
  peek(key: string, now = Date.now()): number {
    const rate = this.perMinute / 60_000;
    const b = this.buckets.get(key);
    if (!b) return 0;
    const tokens = Math.min(this.capacity, b.tokens + (now - b.at) * rate);
    return tokens >= 1 ? 0 : Math.max(1, Math.ceil((1 - tokens) / rate / 1000));
  }

  middleware(keyOf: (ctx: Koa.Context) => string = (ctx) => ctx.ip): Koa.Middleware {
    return async (ctx, next) => {
      const wait = this.take(keyOf(ctx));
      if (wait > 0) throw new DomainError("rate_limited", messages.common.rateLimited, { retryAfter: wait }, "rate_limited");
      return next();
    };
  }

  /** Throws the 429 error when over the limit (for use inside handlers). */
  check(key: string): void {
    const wait = this.take(key);
    if (wait > 0) throw new DomainError("rate_limited", messages.common.rateLimited, { retryAfter: wait }, "rate_limited");
  }
}
