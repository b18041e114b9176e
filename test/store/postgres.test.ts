import { expect } from "chai";
import { startTestService, type TestService } from "../support/service";
import { hasPostgres, startPostgres, type TestPostgres } from "../support/postgres";
import { requirePeer } from "../support/peers";
import { verifyChain } from "../../src/audit/audit";
import { enqueue } from "../../src/outbox/outbox";

/** The same service on a real PostgreSQL: migrations and SQL stay portable. */
describe("PostgreSQL through DATABASE_URL", function () {
  let pg: TestPostgres;
  let svc: TestService;
  before(async function () {
    requirePeer(this, "PostgreSQL (initdb, pg_ctl)", hasPostgres(), "apt-get install postgresql");
    pg = await startPostgres();
    svc = await startTestService({ DATABASE_URL: pg.url });
  });
  after(async () => {
    await svc?.stop();
    pg?.stop();
  });

  it("migrates, bootstraps the admin and reports pg in /healthz", async () => {
    const h = await (await svc.request("GET", "/healthz")).json();
    expect(h.checks.database).to.include({ status: "ok", client: "pg" });
    expect((await svc.request("GET", "/api/me", { token: svc.adminToken })).status).to.equal(200);
  });

  it("keeps the audit chain and the outbox working", async () => {
    await svc.userWithRoles("pgclerk", ["clerk"]);
    expect((await verifyChain(svc.services.db)).ok).to.equal(true);
    let ran = 0;
    svc.services.worker.register({ kind: "test.noop", perform: async () => void ran++ });
    await enqueue(svc.services.db, { kind: "test.noop", payload: {}, dedupeKey: "once" });
    await enqueue(svc.services.db, { kind: "test.noop", payload: {}, dedupeKey: "once" });
    await svc.drainOutbox();
    expect(ran).to.equal(1);
  });
});
