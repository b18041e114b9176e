import { expect } from "chai";
import { startTestService, type TestService } from "../support/service";
import { hasPostgres, startPostgres, type TestPostgres } from "../support/postgres";
import { requirePeer } from "../support/peers";
import { sampleDossier, sampleSubscriber, subscriberCsv } from "../support/dossiers";
import * as store from "../../src/store/dossiers";

/** Request dossiers on a real PostgreSQL: numbering under concurrency, filters, edits, list upload. */
describe("request dossiers on PostgreSQL", function () {
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
  const post = async (body: unknown) => {
    const r = await svc.request("POST", "/api/requests", { token: clerk, json: body });
    return { status: r.status, body: await r.json() };
  };

  it("numbers concurrent dossiers uniquely and consecutively", async () => {
    const rs = await Promise.all(Array.from({ length: 15 }, () => post(sampleDossier("individual", 1))));
    expect(rs.map((r) => r.status)).to.deep.equal(Array(15).fill(201));
    const seqs = rs.map((r) => Number(r.body.number.slice(0, 4))).sort((a, b) => a - b);
    expect(seqs).to.deep.equal(Array.from({ length: 15 }, (_, i) => i + 1));
  });

  it("filters by agency without accents, by free text, and pages", async () => {
    const d = sampleDossier("device", 1);
    d.agency.name = "Sở Thông tin và Truyền thông Đà Nẵng";
    const c = await post(d);
    const r = await (await svc.request("GET", `/api/requests?agency=${encodeURIComponent("DA NANG")}&limit=5`, { token: clerk })).json();
    expect(r.items.map((i: any) => i.id)).to.deep.equal([c.body.id]);
    const all = await (await svc.request("GET", "/api/requests?limit=5&offset=5&kind=individual", { token: clerk })).json();
    expect(all).to.include({ total: 15, limit: 5, offset: 5 });
    expect(all.items).to.have.length(5);
  });

  it("edits, uploads a 2,000-person CSV, keeps history and finds identity numbers", async () => {
    const c = await post(sampleDossier("individual", 1));
    const p = await svc.request("PATCH", `/api/requests/${c.body.id}`, { token: clerk, json: { note: "Sửa", version: 1 } });
    expect(p.status).to.equal(200);
    const people = Array.from({ length: 2000 }, (_, i) => sampleSubscriber(5000 + i));
    const u = await svc.request("PUT", `/api/requests/${c.body.id}/subscribers`, { token: clerk, body: subscriberCsv(people), headers: { "content-type": "text/csv" } });
    const b = await u.json();
    expect(u.status, JSON.stringify(b).slice(0, 300)).to.equal(200);
    expect(b).to.include({ quantity: 2000, version: 3 });
    const h = await (await svc.request("GET", `/api/requests/${c.body.id}/history`, { token: clerk })).json();
    expect(h.items.map((i: any) => i.action)).to.deep.equal(["created", "updated", "subscribers_replaced"]);
    const hits = await store.findByIdNumber(svc.services.db, people[1234].idNumber);
    expect(hits.map((x) => [x.dossierId, Number(x.idx)])).to.deep.equal([[c.body.id, 1234]]);
  });
});
