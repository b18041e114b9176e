import helmet, { type HelmetOptions } from "helmet";

/** The security headers of every response (helmet), shared by Koa and the fast path (src/http/fastPath.ts). */
export const helmetOptions: HelmetOptions = {
  contentSecurityPolicy: {
    useDefaults: false,
    directives: {
      defaultSrc: ["'self'"], imgSrc: ["'self'", "data:"], styleSrc: ["'self'"], scriptSrc: ["'self'"],
      frameAncestors: ["'none'"], formAction: ["'self'"], baseUri: ["'none'"], objectSrc: ["'none'"],
    },
  },
  crossOriginEmbedderPolicy: false,
  strictTransportSecurity: false,
};

/** The headers helmet sets with these options, recorded once (they do not depend on the request). */
export function securityHeaders(): [string, string][] {
  const headers = new Map<string, string>();
  const res = {
    setHeader: (k: string, v: string | number) => headers.set(k, String(v)),
    removeHeader: (k: string) => headers.delete(k),
  };
  let done = false;
  helmet(helmetOptions)({} as never, res as never, () => {
    done = true;
  });
  if (!done) throw new Error("helmet did not finish synchronously");
  return [...headers];
}
