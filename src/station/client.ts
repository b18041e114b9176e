/**
 * The station talks to the service over HTTP only, with a device officer's API token.
 */
export class ServiceError extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly details: unknown = {}) {
    super(message);
  }
}

export class ServiceClient {
  constructor(readonly baseUrl: string, private readonly token: string) {}

  async call<T = any>(method: string, path: string, json?: unknown): Promise<T> {
    const headers: Record<string, string> = { authorization: `Bearer ${this.token}`, accept: "application/json" };
    if (json !== undefined) headers["content-type"] = "application/json";
    const r = await fetch(this.baseUrl.replace(/\/$/, "") + path, { method, headers, body: json === undefined ? undefined : JSON.stringify(json) });
    const text = await r.text();
    let body: any = text;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      /* not JSON (PEM) */
    }
    if (!r.ok) {
      const e = body?.error;
      throw new ServiceError(r.status, e?.code ?? `http_${r.status}`, `${method} ${path}: ${r.status} ${e?.message ?? text}`, e?.details);
    }
    return body as T;
  }

  async text(path: string): Promise<string> {
    const r = await fetch(this.baseUrl.replace(/\/$/, "") + path, { headers: { authorization: `Bearer ${this.token}` } });
    if (!r.ok) throw new ServiceError(r.status, `http_${r.status}`, `GET ${path}: ${r.status} ${await r.text()}`);
    return r.text();
  }
}

/** PEM blocks of a bundle → DER buffers, in order. */
export function pemBlocks(pem: string, type = "CERTIFICATE"): Buffer[] {
  const re = new RegExp(`-----BEGIN ${type}-----([\\s\\S]*?)-----END ${type}-----`, "g");
  return [...pem.matchAll(re)].map((m) => Buffer.from(m[1].replace(/\s+/g, ""), "base64"));
}
