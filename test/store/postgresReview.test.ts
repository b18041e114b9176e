import { expect } from "chai";
import { startTestService, type TestService } from "../support/service";
import { hasPostgres, startPostgres, type TestPostgres } from "../support/postgres";
import { requirePeer } from "../support/peers";
import { individualDossier } from "../support/reviewDossiers";

/** The review's SQL (calendar overrides, clock, deficiencies, findings, queues, mail log) on a real PostgreSQL. */
describe("review on PostgreSQL", function () {
  let pg: TestPostgres;
  let svc: TestService;
  let clerk: string;
  let reviewer: string;
  before(async function () {
    requirePeer(this, "PostgreSQL (initdb, pg_ctl)", hasPostgres(), "apt-get install postgresql");
    pg = await startPostgres();
    svc = await startTestService({ DATABASE_URL: pg.url });
    clerk = await svc.userWithRoles("pgclerk", ["clerk"]);
    reviewer = await svc.userWithRoles("pgreviewer", ["reviewer"]);
  });
  after(async () => {
    await svc?.stop();
    pg?.stop();
  });

  const call = async (method: string, p: string, token: string, json?: unknown) => {
    const r = await svc.request(method, p, { token, json });
    return { status: r.status, body: await r.json() };
  };

  it("runs calendar edits, the review flow, findings, queues and mail", async () => {
    let r = await call("PUT", "/api/calendar/2026", svc.adminToken, { daysOff: [{ date: "2026-03-16", reason: "Nghỉ thử" }], workingDays: [] });
    expect(r.status).to.equal(200);
    r = await call("PUT", "/api/calendar/2026", svc.adminToken, { daysOff: [], workingDays: [] });
    expect(r.body.origin).to.equal("database");

    const a = (await call("POST", "/api/requests", clerk, individualDossier())).body;
    const b = (await call("POST", "/api/requests", clerk, individualDossier({ taxCode: "3300101234" }))).body;
    r = await call("POST", `/api/requests/${a.id}/submit`, clerk, { receivedAt: "2026-03-13T09:00:00+07:00" });
    expect(r.body).to.include({ status: "received", deadline: "2026-03-18T17:00:00.000Z" });
    await call("POST", `/api/requests/${b.id}/submit`, clerk, {});
    await call("POST", `/api/requests/${a.id}/review`, reviewer, { action: "start" });
    r = await call("POST", `/api/requests/${a.id}/review`, reviewer, {
      action: "request_correction", deficiencies: [{ field: "subscribers.email", row: 1, code: "not_official_email" }],
    });
    expect(r.status, JSON.stringify(r.body)).to.equal(200);
    expect(r.body.status).to.equal("needs_correction");

    r = await call("GET", `/api/requests/${b.id}/findings`, reviewer);
    expect(r.body.items.map((f: { code: string }) => f.code)).to.include("id_in_open_dossier");
    r = await call("GET", "/api/review/counts", reviewer);
    expect(r.body.byStatus).to.include({ needs_correction: 1, received: 1 });
    r = await call("GET", "/api/review/queue?view=overdue", reviewer);
    expect(r.status).to.equal(200);
    r = await call("GET", "/api/review/queue?view=by_reviewer", reviewer);
    expect(r.status).to.equal(200);

    await svc.drainOutbox();
    const sent = await svc.services.db("mail_sent").select("kind");
    expect(sent.map((s) => s.kind)).to.deep.equal(["mail.correction_request"]);
  });
});
