import { expect } from "chai";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import type { TestService } from "../support/service";
import { startStatusService, type IssuingCa } from "../support/status";

/** POST /ocsp, GET /ocsp/*, POST /tsa are served in front of Koa: they must answer exactly as Koa would. */
describe("HTTP fast path for OCSP and TSA", () => {
  let svc: TestService;
  let ca: IssuingCa;
  let dir: string;
  let req: Buffer;

  const headersOf = (r: Response) => {
    const h: Record<string, string> = {};
    r.headers.forEach((v, k) => {
      if (!["date", "connection", "keep-alive", "content-length", "transfer-encoding"].includes(k)) h[k] = v;
    });
    return h;
  };

  before(async () => {
    ({ svc, ca, dir } = await startStatusService());
    const leaf = await ca.issue("Đỗ Thị Nhanh");
    fs.writeFileSync(path.join(dir, "fast.pem"), leaf.pem);
    execFileSync("openssl", ["ocsp", "-issuer", "issuing.pem", "-cert", "fast.pem", "-no_nonce", "-reqout", "fast.req"], { cwd: dir, stdio: "pipe" });
    req = fs.readFileSync(path.join(dir, "fast.req"));
  });
  after(async () => svc?.stop());

  it("GET /ocsp/{request} has the same headers as Koa's answer (HEAD), security headers included, and honours If-None-Match", async () => {
    const p = "/ocsp/" + encodeURIComponent(req.toString("base64"));
    const fast = await svc.request("GET", p);
    expect(fast.status).to.equal(200);
    const body = Buffer.from(await fast.arrayBuffer());
    expect(body.length).to.equal(Number(fast.headers.get("content-length")));
    const koa = await svc.request("HEAD", p);
    expect(koa.status).to.equal(200);
    const fh = headersOf(fast);
    expect(fh).to.deep.equal(headersOf(koa));
    expect(fh["content-security-policy"]).to.include("default-src 'self'");
    expect(fh["x-content-type-options"]).to.equal("nosniff");
    expect(fh["content-type"]).to.equal("application/ocsp-response");
    const again = await svc.request("GET", p, { headers: { "if-none-match": fh.etag } });
    expect(again.status).to.equal(304);
    expect((await again.arrayBuffer()).byteLength).to.equal(0);
  });

  it("POST /ocsp and POST /tsa carry the security headers; a body over the limit is Koa's 413 in JSON", async () => {
    const r = await svc.request("POST", "/ocsp", { body: new Uint8Array(req), headers: { "content-type": "application/ocsp-request" } });
    expect(r.status).to.equal(200);
    expect(r.headers.get("cache-control")).to.equal("no-store");
    expect(r.headers.get("x-frame-options")).to.equal("SAMEORIGIN");
    const t = await svc.request("POST", "/tsa", { body: new Uint8Array([0x30, 0x00]), headers: { "content-type": "application/timestamp-query" } });
    expect(t.status).to.equal(200);
    expect(t.headers.get("content-type")).to.equal("application/timestamp-reply");
    expect(t.headers.get("x-content-type-options")).to.equal("nosniff");
    const big = await svc.request("POST", "/ocsp", { body: new Uint8Array(svc.services.config.BODY_LIMIT + 1), headers: { "content-type": "application/ocsp-request" } });
    expect(big.status).to.equal(413);
    expect(((await big.json()) as { error: { code: string } }).error.code).to.equal("body_too_large");
  });

  it("refuses another media type on POST /ocsp and /tsa with a Vietnamese 415, as Koa does", async () => {
    for (const [p, type] of [["/ocsp", "application/ocsp-request"], ["/tsa", "application/timestamp-query"]]) {
      const r = await svc.request("POST", p, { body: new Uint8Array(req), headers: { "content-type": "application/octet-stream" } });
      expect(r.status, p).to.equal(415);
      const b = await r.json();
      expect(b.error.code).to.equal("unsupported_media_type");
      expect(b.error.message).to.contain(type);
    }
  });
});
