/**
 * Domain errors: a stable code, a Vietnamese message for people, and details for machines.
 * The kind says what went wrong in HTTP-neutral terms; src/http/errors.ts maps kinds to statuses
 * in one table (Boulder's errors/errors.go + web/probs.go split).
 */
export type ErrorKind =
  | "invalid" // 400: the input is malformed or fails validation
  | "unauthenticated" // 401
  | "forbidden" // 403
  | "not_found" // 404
  | "conflict" // 409: not allowed in the current state
  | "gone" // 410: existed, but is used up or expired for good
  | "too_large" // 413
  | "unsupported_media" // 415
  | "rate_limited" // 429
  | "unavailable"; // 503: a dependency is down

export class DomainError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
    readonly kind: ErrorKind = "invalid",
  ) {
    super(message);
    this.name = "DomainError";
  }
}

export const isDomainError = (e: unknown): e is DomainError => e instanceof DomainError;
