import { expect } from "chai";
import { execFileSync } from "node:child_process";
import path from "node:path";
import { startTestService, type TestService } from "../support/service";
import { issueToken, setPassword } from "../../src/auth/users";
import { cliActor, systemActor } from "../../src/auth/actor";
import { RateLimitedRefusals } from "../../src/auth/refusals";
import { verifyChain } from "../../src/audit/audit";

const cookieOf = (r: Response, name: string) => {
  const c = r.headers.getSetCookie().find((h) => h.startsWith(`${name}=`));
  return c ? c.split(";")[0].slice(name.length + 1) : undefined;
};

describe("refused logins are audit rows", () => {
  let svc: TestService;
  beforeEach(async () => {
    svc = await startTestService();
  });
  afterEach(() => svc.stop());

  const rows = async (action: string) =>
    (await svc.services.db("audit_log").where({ action }).orderBy("seq")).map((r) => ({ ...r, raw: r.details as string, details: JSON.parse(r.details) }));

  async function signIn(username: string, password: string) {
    const page = await svc.request("GET", "/dang-nhap");
    const csrf = /name="_csrf" value="([^"]+)"/.exec(await page.text())![1];
    return fetch(svc.url + "/dang-nhap", {
      method: "POST", redirect: "manual", body: new URLSearchParams({ _csrf: csrf, username, password }).toString(),
      headers: { "content-type": "application/x-www-form-urlencoded", cookie: `ct_login_csrf=${cookieOf(page, "ct_login_csrf")}` },
    });
  }

  it("web sign-in: one row per refusal with the reason, then 429 with an aggregated rate_limited row; the chain verifies", async () => {
    // An inactive user with a (correct) password.
    const db = svc.services.db;
    const r = await svc.request("POST", "/api/users", { token: svc.adminToken, json: { username: "nghi.viec", fullName: "Nghỉ Việc", roles: ["clerk"] } });
    const { id } = (await r.json()) as { id: string };
    await setPassword(db, systemActor, id, "Mat-khau-dung-1");
    await db("users").where({ id }).update({ active: false });

    const attempts: Array<[string, string, string]> = [
      ["admin", "sai-mat-khau-1", "wrong_password"],
      ["admin", "sai-mat-khau-2", "wrong_password"],
      ["khong.ton.tai", "x", "unknown_user"],
      ["nghi.viec", "Mat-khau-dung-1", "inactive_user"],
    ];
    for (const [u, p] of attempts) expect((await signIn(u, p)).status).to.equal(401);
    let failed = await rows("auth.failed");
    expect(failed.map((f) => [f.details.username, f.details.reason])).to.deep.equal(attempts.map(([u, , why]) => [u, why]));
    for (const f of failed) {
      expect(f.details).to.include({ via: "web", ip: "127.0.0.1" });
      expect(f.details).to.not.have.property("password");
      expect(f.raw).to.not.contain("sai-mat-khau").and.not.contain("Mat-khau-dung");
    }

    // 10 failures fill the bucket; 6 more go on to the limit.
    for (let i = 0; i < 6; i++) expect((await signIn("admin", `sai-${i}`)).status).to.equal(401);
    failed = await rows("auth.failed");
    expect(failed).to.have.length(10);
    expect(await rows("auth.rate_limited")).to.have.length(0);

    // Over the limit: 429 (even with the right password) and one aggregated row, not one per attempt.
    const limited = [await signIn("admin", "sai-x"), await signIn("quan.tri", "y"), await signIn("admin", "z")];
    expect(limited.map((l) => l.status)).to.deep.equal([429, 429, 429]);
    expect(limited[0].headers.get("retry-after")).to.match(/^\d+$/);
    const rl = await rows("auth.rate_limited");
    expect(rl).to.have.length(1);
    expect(rl[0].actor).to.equal("anonymous");
    expect(rl[0].details).to.include({ via: "web", ip: "127.0.0.1", count: 1 });
    expect(rl[0].details.usernames).to.deep.equal(["admin"]);
    expect(await rows("auth.failed")).to.have.length(10);

    // The two counted refusals are written when the service stops.
    const dir = svc.dataDir;
    await svc.stop();
    svc = await startTestService({}, dir);
    const after = await rows("auth.rate_limited");
    expect(after).to.have.length(2);
    expect(after[1].details).to.include({ via: "web", count: 2 });
    expect(after[1].details.usernames).to.have.members(["quan.tri", "admin"]);

    expect((await verifyChain(svc.services.db)).ok).to.equal(true);
    const bin = path.resolve(__dirname, "../../bin/chungthu.js");
    const out = execFileSync(process.execPath, [bin, "audit", "verify"], { env: { ...process.env, DATA_DIR: svc.dataDir }, encoding: "utf8" });
    expect(out).to.contain("Chuỗi nhật ký toàn vẹn");
  });

  it("API bearer tokens: unknown, revoked and expired tokens are one row each with the reason; past the limit 429 and an aggregated row", async () => {
    const r = await svc.request("POST", "/api/users", { token: svc.adminToken, json: { username: "ke.toan", fullName: "Kế Toán", roles: ["auditor"] } });
    const { id } = (await r.json()) as { id: string };
    // Tokens for another user come from the CLI path (an admin cannot mint them over the API).
    const issue = async (opts: { expiresAt?: Date } = {}) => {
      const t = await issueToken(svc.services.db, cliActor, id, opts);
      return { id: t.id, token: t.secret };
    };
    const revoked = await issue();
    expect((await svc.request("DELETE", `/api/users/${id}/tokens/${revoked.id}`, { token: svc.adminToken })).status).to.be.oneOf([200, 204]);
    const expired = await issue({ expiresAt: new Date(Date.now() + 86400_000) });
    await svc.services.db("api_tokens").where({ id: expired.id }).update({ expires_at: "2020-01-01T00:00:00.000Z" });

    const tries: Array<[string, string]> = [
      ["ct_khong-ton-tai", "unknown_token"],
      [revoked.token, "revoked_token"],
      [expired.token, "expired_token"],
    ];
    for (const [t] of tries) expect((await svc.request("GET", "/api/users", { token: t })).status).to.equal(401);
    let failed = await rows("auth.failed");
    expect(failed.map((f) => f.details.reason)).to.deep.equal(tries.map(([, why]) => why));
    for (const f of failed) {
      expect(f.details).to.include({ via: "api", ip: "127.0.0.1", path: "/api/users" });
      for (const [t] of tries) expect(JSON.stringify(f.details)).to.not.contain(t);
    }
    // The API allows 20 at once: 17 more, then over the limit.
    for (let i = 0; i < 17; i++) expect((await svc.request("GET", "/api/users", { token: `ct_sai-${i}` })).status).to.equal(401);
    failed = await rows("auth.failed");
    expect(failed).to.have.length(20);
    for (let i = 0; i < 5; i++) expect((await svc.request("GET", "/api/users", { token: `ct_qua-${i}` })).status).to.equal(429);
    const rl = await rows("auth.rate_limited");
    expect(rl).to.have.length(1);
    expect(rl[0].details).to.include({ via: "api", ip: "127.0.0.1", count: 1, path: "/api/users" });
    expect((await verifyChain(svc.services.db)).ok).to.equal(true);
  });

  it("the aggregator writes at most one row per source per window and counts every refusal once", async () => {
    const agg = new RateLimitedRefusals(60_000);
    const db = svc.services.db;
    const t0 = Date.parse("2026-11-25T00:00:00Z");
    for (let i = 0; i < 100; i++) await agg.refused(db, { via: "web", ip: "10.0.0.1", username: `u${i % 3}` }, t0 + i * 1000);
    await agg.refused(db, { via: "web", ip: "10.0.0.2", username: "khac" }, t0 + 5000);
    await agg.settle(db, "web", "10.0.0.2");
    await agg.flush(db);
    const rl = await rows("auth.rate_limited");
    // 10.0.0.1: rows at t0 (1), t0+60s (60: 2..61), flush (39); 10.0.0.2: one row.
    const one = rl.filter((r) => r.details.ip === "10.0.0.1").map((r) => r.details.count);
    expect(one).to.deep.equal([1, 60, 39]);
    expect(one.reduce((a, b) => a + b, 0)).to.equal(100);
    expect(rl.filter((r) => r.details.ip === "10.0.0.2").map((r) => r.details.count)).to.deep.equal([1]);
  });
});
