import { expect } from "chai";
import type { TestService } from "../support/service";
import { hasPostgres, startPostgres, type TestPostgres } from "../support/postgres";
import { requirePeer } from "../support/peers";
import { startStatusService, type IssuingCa } from "../support/status";

/** Dual control and audit checkpoints on PostgreSQL: row locks, savepoints, returning ids. */
describe("dual control and audit checkpoints on PostgreSQL", function () {
  this.timeout(120_000);
  let pg: TestPostgres;
  let svc: TestService;
  let ca: IssuingCa;

  before(async function () {
    requirePeer(this, "PostgreSQL (initdb, pg_ctl)", hasPostgres(), "apt-get install postgresql");
    pg = await startPostgres();
    ({ svc, ca } = await startStatusService({ DATABASE_URL: pg.url }));
  });
  after(async () => {
    await svc?.stop();
    pg?.stop();
  });

  it("executes an approved bulk revocation once, refuses a refused one as a whole, and signs and verifies a checkpoint", async () => {
    const op1 = await svc.userWithRoles("pg-op1", ["ca_operator"]);
    const op2 = await svc.userWithRoles("pg-op2", ["ca_operator"]);
    const auditor = await svc.userWithRoles("pg-auditor", ["auditor"]);
    const a = await ca.issue("Lý Thị Kim");
    const b = await ca.issue("Trịnh Văn Long");
    const post = async (p: string, token: string, json: unknown) => {
      const r = await svc.request("POST", p, { token, json });
      return { status: r.status, body: await r.json() };
    };
    // A list with one certificate already revoked inside the approval's transaction: nothing is revoked.
    const r1 = await post("/api/certificates/revoke-bulk", op1, { serials: [a.serial, b.serial], reason: "superseded" });
    expect(r1.status).to.equal(202);
    await svc.services.db("certificates").where({ serial: b.serial }).update({ status: "revoked", revoked_at: new Date().toISOString(), revocation_reason: 4 });
    const refused = await post(`/api/approvals/${r1.body.id}/approve`, op2, {});
    expect(refused.body.status).to.equal("approved");
    expect(refused.body.result.error.code).to.equal("already_revoked");
    const statusOf = async (s: string) => (await svc.services.db("certificates").where({ serial: s }).first()).status;
    expect(await statusOf(a.serial)).to.equal("issued");

    const r2 = await post("/api/certificates/revoke-bulk", op1, { serials: [a.serial], reason: "superseded" });
    const ok = await post(`/api/approvals/${r2.body.id}/approve`, op2, {});
    expect(ok.body.status).to.equal("executed");
    expect(await statusOf(a.serial)).to.equal("revoked");

    const cp = await post("/api/audit/checkpoints", auditor, undefined);
    expect(cp.status).to.equal(201);
    const v = await (await svc.request("GET", "/api/audit/verify", { token: auditor })).json();
    expect(v.ok).to.equal(true);
    expect(v.checkpoint.checkpoint.seq).to.equal(cp.body.seq);
  });
});
