import crypto from "node:crypto";
import { expect } from "chai";
import { startTestService, type TestService } from "../support/service";
import { hasPostgres, startPostgres, type TestPostgres } from "../support/postgres";
import { requirePeer } from "../support/peers";
import { sampleDossier } from "../support/dossiers";

/** Stored documents on a real PostgreSQL: bytea round trip, one row per version under concurrent renders. */
describe("stored documents on PostgreSQL", function () {
  let pg: TestPostgres;
  let svc: TestService;
  let clerk: string;
  before(async function () {
    requirePeer(this, "PostgreSQL (initdb, pg_ctl)", hasPostgres(), "apt-get install postgresql");
    pg = await startPostgres();
    svc = await startTestService({ DATABASE_URL: pg.url });
    clerk = await svc.userWithRoles("pgclerk", ["clerk"]);
  });
  after(async () => {
    await svc?.stop();
    pg?.stop();
  });

  it("stores one document per version when several requests render it at once, and serves its exact bytes", async () => {
    const c = await svc.request("POST", "/api/requests", { token: clerk, json: sampleDossier("individual", 5) });
    const { id } = await c.json();
    const rs = await Promise.all(Array.from({ length: 6 }, () => svc.request("GET", `/api/requests/${id}/document.pdf`, { token: clerk })));
    const bodies = await Promise.all(rs.map(async (r) => Buffer.from(await r.arrayBuffer())));
    expect(rs.map((r) => r.status)).to.deep.equal(Array(6).fill(200));
    const hashes = new Set(bodies.map((b) => crypto.createHash("sha256").update(b).digest("hex")));
    expect(hashes.size).to.equal(1);
    const rows = await svc.services.db("documents").where({ dossier_id: id });
    expect(rows).to.have.length(1);
    expect(Buffer.from(rows[0].bytes).equals(bodies[0])).to.equal(true);
    const list = await (await svc.request("GET", `/api/requests/${id}/documents`, { token: clerk })).json();
    expect(list.items[0]).to.include({ dossierVersion: 1, size: bodies[0].length, sha256: [...hashes][0] });
  });
});
