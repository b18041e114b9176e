import { expect } from "chai";
import { startTestService, type TestService } from "../support/service";
import { issueToken } from "../../src/auth/users";
import { cliActor } from "../../src/auth/actor";

describe("users, tokens and audit API", () => {
  let svc: TestService;
  before(async () => (svc = await startTestService()));
  after(() => svc.stop());

  it("revoked tokens stop working at once (the user issues their own; the admin lists and revokes)", async () => {
    const create = await svc.request("POST", "/api/users", { token: svc.adminToken, json: { username: "aud1", fullName: "Kiểm toán viên", roles: ["auditor"] } });
    expect(create.status).to.equal(201);
    const { id } = await create.json();
    // The first credential comes from the CLI on the CA host (or enrolment); the user then issues their own.
    const first = (await issueToken(svc.services.db, cliActor, id, { label: "cli" })).secret;
    const issued = await svc.request("POST", `/api/users/${id}/tokens`, { token: first, json: { label: "x" } });
    expect(issued.status).to.equal(201);
    expect(issued.headers.get("cache-control")).to.equal("no-store");
    const t = await issued.json();
    expect((await svc.request("GET", "/api/me", { token: t.token })).status).to.equal(200);
    const del = await svc.request("DELETE", `/api/users/${id}/tokens/${t.id}`, { token: svc.adminToken });
    expect(del.status).to.equal(204);
    expect((await svc.request("GET", "/api/me", { token: t.token })).status).to.equal(401);
    const list = await (await svc.request("GET", `/api/users/${id}/tokens`, { token: svc.adminToken })).json();
    expect(list.items.find((x: { id: string }) => x.id === t.id).revokedAt).to.be.a("string");
    expect(JSON.stringify(list)).to.not.contain(t.token);
  });

  it("records when a token was last used (at most one write a minute per token)", async () => {
    const create = await svc.request("POST", "/api/users", { token: svc.adminToken, json: { username: "aud-last-used", fullName: "Kiểm toán viên hai", roles: ["auditor"] } });
    const { id } = await create.json();
    const t = await issueToken(svc.services.db, cliActor, id, { label: "dùng thử" });
    const lastUsed = async () => (await svc.services.db("api_tokens").where({ id: t.id }).first()).last_used_at as string | null;
    expect(await lastUsed()).to.equal(null);
    const before = Date.now();
    expect((await svc.request("GET", "/api/me", { token: t.secret })).status).to.equal(200);
    const first = await lastUsed();
    expect(Date.parse(first!)).to.be.at.least(before - 1000);
    expect((await svc.request("GET", "/api/me", { token: t.secret })).status).to.equal(200);
    expect(await lastUsed()).to.equal(first);
    // A minute later (the clock moved for the row), the next use is written again.
    await svc.services.db("api_tokens").where({ id: t.id }).update({ last_used_at: new Date(Date.now() - 120_000).toISOString() });
    await svc.request("GET", "/api/me", { token: t.secret });
    expect(Date.parse((await lastUsed())!)).to.be.at.least(before - 1000);
    const list = await (await svc.request("GET", `/api/users/${id}/tokens`, { token: svc.adminToken })).json();
    expect(list.items[0].lastUsedAt).to.be.a("string");
  });

  it("an admin cannot give themself a role", async () => {
    const me = await (await svc.request("GET", "/api/me", { token: svc.adminToken })).json();
    const r = await svc.request("PUT", `/api/users/${me.id}/roles`, { token: svc.adminToken, json: { roles: ["admin", "ca_operator"] } });
    expect(r.status).to.equal(403);
    expect((await r.json()).error.code).to.equal("self_role_change");
  });

  it("records failed logins in the audit log, and auditors can read it; clerks cannot", async () => {
    await svc.request("GET", "/api/me", { token: "ct_wrong" });
    const auditor = await svc.userWithRoles("aud2", ["auditor"]);
    const r = await svc.request("GET", "/api/audit?action=auth.failed", { token: auditor });
    expect(r.status).to.equal(200);
    const body = await r.json();
    expect(body.total).to.be.greaterThan(0);
    expect(body.items[0].action).to.equal("auth.failed");
    const clerk = await svc.userWithRoles("clerk2", ["clerk"]);
    expect((await svc.request("GET", "/api/audit", { token: clerk })).status).to.equal(403);
    const v = await (await svc.request("GET", "/api/audit/verify", { token: auditor })).json();
    expect(v.ok).to.equal(true);
  });

  it("limits failed logins per client with a 429 and Retry-After", async () => {
    let last: Response | undefined;
    for (let i = 0; i < 30; i++) {
      last = await svc.request("GET", "/api/me", { token: `ct_guess${i}` });
      if (last.status === 429) break;
    }
    expect(last!.status).to.equal(429);
    expect(Number(last!.headers.get("retry-after"))).to.be.greaterThan(0);
    expect((await last!.json()).error.message).to.match(/Quá nhiều/);
  });
});
