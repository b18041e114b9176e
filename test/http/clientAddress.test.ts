import { expect } from "chai";
import { startTestService, type TestService } from "../support/service";
import { loadConfig } from "../../src/config";

/** Which address is the client: the socket's, or (behind N trusted proxies) the N-th from the right of X-Forwarded-For. */
describe("client address behind reverse proxies (TRUST_PROXY_HOPS)", () => {
  const search = (svc: TestService, xff: string) => svc.request("GET", "/tra-cuu?q=nguyen", { headers: { "x-forwarded-for": xff } });

  describe("no proxy trusted (default)", () => {
    let svc: TestService;
    before(async () => (svc = await startTestService({ PUBLIC_RATE_LIMIT_PER_MINUTE: "2" })));
    after(() => svc?.stop());

    it("ignores X-Forwarded-For: a client cannot pick a fresh address to escape its limit", async () => {
      expect((await search(svc, "10.0.0.1")).status).to.equal(200);
      expect((await search(svc, "10.0.0.2")).status).to.equal(200);
      const third = await search(svc, "10.0.0.3");
      expect(third.status).to.equal(429);
      expect(third.headers.get("retry-after")).to.match(/^\d+$/);
    });
  });

  describe("one trusted proxy", () => {
    let svc: TestService;
    before(async () => (svc = await startTestService({ PUBLIC_RATE_LIMIT_PER_MINUTE: "2", TRUST_PROXY_HOPS: "1" })));
    after(() => svc?.stop());

    it("limits each client the proxy names separately, and a forged leftmost address changes nothing", async () => {
      expect((await search(svc, "10.0.0.1")).status).to.equal(200);
      expect((await search(svc, "10.0.0.1")).status).to.equal(200);
      expect((await search(svc, "10.0.0.1")).status).to.equal(429);
      // The client wrote its own X-Forwarded-For; the proxy appended the real address.
      expect((await search(svc, "203.0.113.9, 10.0.0.1")).status).to.equal(429);
      expect((await search(svc, "10.0.0.2")).status).to.equal(200);
    });

    it("records the proxied client's address in the audit row of a failed bearer token", async () => {
      const r = await svc.request("GET", "/api/me", { token: "khong-hop-le", headers: { "x-forwarded-for": "198.51.100.7, 10.0.0.9" } });
      expect(r.status).to.equal(401);
      const row = await svc.services.db("audit_log").where({ action: "auth.failed" }).orderBy("seq", "desc").first();
      expect(JSON.parse(row.details).ip).to.equal("10.0.0.9");
    });
  });

  it("refuses an invalid TRUST_PROXY_HOPS at start, naming the variable", () => {
    expect(() => loadConfig({ TRUST_PROXY_HOPS: "-1" })).to.throw(/TRUST_PROXY_HOPS/);
  });
});
