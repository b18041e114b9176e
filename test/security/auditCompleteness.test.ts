import { expect } from "chai";
import { startTestService, type TestService } from "../support/service";
import { enqueue } from "../../src/outbox/outbox";

describe("audit completeness", function () {
  this.timeout(30_000);
  let svc: TestService;
  before(async () => {
    svc = await startTestService();
  });
  after(() => svc.stop());
  const last = async () => svc.services.db("audit_log").orderBy("seq", "desc").first();

  it("records an operator's outbox replay", async () => {
    await svc.services.db.transaction((trx) => enqueue(trx, { kind: "test.nothing", payload: {} }));
    const job = await svc.services.db("outbox").orderBy("id", "desc").first();
    const r = await svc.request("POST", `/api/outbox/${job.id}/replay`, { token: svc.adminToken });
    expect(r.status).to.equal(200);
    expect(await last()).to.include({ action: "outbox.replayed", object_id: String(job.id), actor: "admin" });
  });

  it("records a token issued, with its expiry", async () => {
    await svc.userWithRoles("auditor7", ["auditor"]);
    const row = await last();
    expect(row.action).to.equal("token.issued");
  });

  it("records a signed-in user's request refused for its media type or its size", async () => {
    const t = await svc.userWithRoles("clerk7", ["clerk"]);
    const r = await svc.request("POST", "/api/requests", { token: t, body: "<x/>", headers: { "content-type": "application/xml" } });
    expect(r.status).to.equal(415);
    expect(await last()).to.include({ action: "request.rejected", actor: "clerk7" });
  });

  it("records a failed sign-in with a bad token", async () => {
    const r = await svc.request("GET", "/api/me", { token: "not-a-token" });
    expect(r.status).to.equal(401);
    expect(await last()).to.include({ action: "auth.failed", actor: "anonymous" });
  });
});
