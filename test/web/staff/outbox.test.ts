import { expect } from "chai";
import { startTestService, type TestService } from "../../support/service";
import * as outbox from "../../../src/outbox/outbox";
import { httpSession, staffUser } from "./support";

/** The work-queue page: operators see what waits and what failed, and replay a failed job. */
describe("staff web: work queue (outbox) page", () => {
  let svc: TestService;
  let operator: Awaited<ReturnType<typeof httpSession>>;
  let auditor: Awaited<ReturnType<typeof httpSession>>;
  let deadId: number;

  before(async () => {
    svc = await startTestService();
    operator = await httpSession(svc, await staffUser(svc, "wqop", "Trần Văn Hàng", ["ca_operator"]));
    auditor = await httpSession(svc, await staffUser(svc, "wqaud", "Phan Thị Đợi", ["auditor"]));
    await svc.drainOutbox();
    // A CRL job for a CA that does not exist fails at every attempt; once its attempts are used up
    // it is dead. (Time is skipped: each retry is made due at once instead of after its backoff.)
    const db = svc.services.db;
    await outbox.enqueue(db, { kind: "crl.regenerate", payload: { ca: "khong-ton-tai" }, dedupeKey: "test:dead-crl" });
    for (let i = 0; i < 50; i++) {
      const r = await db("outbox").where({ dedupe_key: "test:dead-crl" }).first();
      if (r.status === "dead") break;
      await db("outbox").where({ id: r.id }).update({ next_attempt_at: new Date(Date.now() - 1000).toISOString() });
      await svc.services.worker.runOnce();
    }
    const row = await db("outbox").where({ dedupe_key: "test:dead-crl" }).first();
    expect(row.status, JSON.stringify(row)).to.equal("dead");
    deadId = Number(row.id);
  });
  after(() => svc?.stop());

  it("shows the failed job with its Vietnamese label, attempts and last error, and a replay button for an operator", async () => {
    const html = await (await operator.get("/quan-tri/hang-doi?trang-thai=dead")).text();
    expect(html).to.contain("Hàng đợi công việc").and.contain("Thất bại: 1");
    expect(html).to.contain("Lập lại danh sách thu hồi (CRL)").and.contain("thất bại, cần xử lý").and.contain("khong-ton-tai");
    const dead = await svc.services.db("outbox").where({ id: deadId }).first();
    expect(dead.attempts).to.be.greaterThan(1);
    expect(html).to.contain(`<td>thất bại, cần xử lý</td><td>${dead.attempts}</td>`);
    expect(html).to.contain(`/quan-tri/hang-doi/${deadId}/chay-lai`);
    const all = await (await operator.get("/quan-tri/hang-doi")).text();
    const [{ n }] = await svc.services.db("outbox").where({ status: "done" }).count({ n: "*" });
    expect(all).to.contain(`Đã xong: ${Number(n)}`);
  });

  it("replays it: back to pending, audited; an auditor sees the page without the button and cannot replay; a clerk gets 403", async () => {
    const audHtml = await (await auditor.get("/quan-tri/hang-doi")).text();
    expect(audHtml).to.contain("Lập lại danh sách thu hồi (CRL)").and.not.contain("/chay-lai");
    expect((await auditor.post(`/quan-tri/hang-doi/${deadId}/chay-lai`, {})).status).to.equal(403);
    const clerk = await httpSession(svc, await staffUser(svc, "wqclerk", "Lý Văn Nhận", ["clerk"]));
    expect((await clerk.get("/quan-tri/hang-doi")).status).to.equal(403);

    const r = await operator.post(`/quan-tri/hang-doi/${deadId}/chay-lai`, {});
    expect(r.status).to.equal(303);
    expect(r.headers.get("location")).to.contain("tb=jobReplayed");
    const row = await svc.services.db("outbox").where({ id: deadId }).first();
    expect(row.status).to.equal("pending");
    expect(row.attempts).to.equal(0);
    expect(await svc.services.db("audit_log").where({ action: "outbox.replayed", object_id: String(deadId) })).to.have.length(1);
    expect((await operator.post("/quan-tri/hang-doi/999999/chay-lai", {})).status).to.equal(404);
    expect((await operator.post("/quan-tri/hang-doi/abc/chay-lai", {})).status).to.equal(404);
  });
});
