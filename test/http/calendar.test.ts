import { expect } from "chai";
import { startTestService, type TestService } from "../support/service";

describe("calendar API", () => {
  let svc: TestService;
  let clerk: string;
  before(async () => {
    svc = await startTestService();
    clerk = await svc.userWithRoles("clerk1", ["clerk"]);
  });
  after(() => svc.stop());

  it("GET /api/calendar/deadline answers the deadline, its 24:00 instant, the 3 days and what was skipped", async () => {
    const r = await svc.request("GET", "/api/calendar/deadline?receivedAt=2026-02-12", { token: clerk });
    expect(r.status).to.equal(200);
    const b = await r.json();
    expect(b.deadline).to.equal("2026-02-24");
    expect(b.deadlineAt).to.equal("2026-02-24T17:00:00.000Z");
    expect(b.workingDays).to.deep.equal(["2026-02-13", "2026-02-23", "2026-02-24"]);
    expect(b.skipped).to.have.length(9);
    expect(b.skipped[2]).to.deep.equal({ date: "2026-02-16", reason: "Tết Âm lịch (ngày cuối năm âm lịch)" });
  });

  it("takes an instant and uses the Vietnamese day it falls on", async () => {
    // 17:30 UTC Thursday = 00:30 Friday in Hà Nội: due Wednesday.
    const r = await svc.request("GET", "/api/calendar/deadline?receivedAt=2025-03-13T17:30:00Z", { token: clerk });
    expect((await r.json()).deadline).to.equal("2025-03-19");
  });

  it("answers a bad date with 400 and a Vietnamese message", async () => {
    for (const q of ["2025-02-30", "hôm qua", "1800-01-01"]) {
      const r = await svc.request("GET", `/api/calendar/deadline?receivedAt=${encodeURIComponent(q)}`, { token: clerk });
      expect(r.status, q).to.equal(400);
      const b = await r.json();
      expect(b.error.code).to.be.oneOf(["invalid_date", "calendar_year_out_of_range", "validation_failed"]);
      expect(b.error.message).to.match(/[ạảãàáâậầấẩẫăắằặẳẵêếềệểễôốồộổỗơớờợởỡưứừựửữđ]/i);
    }
    const none = await svc.request("GET", "/api/calendar/deadline", { token: clerk });
    expect(none.status).to.equal(400);
  });

  it("shows a year's exceptions and where they come from", async () => {
    const r = await svc.request("GET", "/api/calendar/2025", { token: clerk });
    const b = await r.json();
    expect(b.origin).to.equal("file");
    expect(b.exceptions).to.deep.include({ date: "2025-04-26", working: true, reason: "Làm bù cho thứ Sáu 02/5/2025" });
    expect((await (await svc.request("GET", "/api/calendar/2031", { token: clerk })).json()).origin).to.equal("labour_code");
  });

  it("lets an admin replace a year (PUT, audited) and revert to the file (DELETE); a clerk may not", async () => {
    const body = {
      note: "Thử nghiệm: nghỉ thêm thứ Hai 16/3/2026",
      nationalDayAdjacent: "2026-09-01",
      daysOff: [{ date: "2026-03-16", reason: "Nghỉ theo quyết định của Thủ tướng" }],
      workingDays: [],
    };
    const denied = await svc.request("PUT", "/api/calendar/2026", { token: clerk, json: body });
    expect(denied.status).to.equal(403);

    const before = await (await svc.request("GET", "/api/calendar/deadline?receivedAt=2026-03-13", { token: clerk })).json();
    expect(before.deadline).to.equal("2026-03-18");
    const put = await svc.request("PUT", "/api/calendar/2026", { token: svc.adminToken, json: body });
    expect(put.status).to.equal(200);
    const view = await put.json();
    expect(view.origin).to.equal("database");
    expect(view.updatedBy).to.equal("admin");
    const after = await (await svc.request("GET", "/api/calendar/deadline?receivedAt=2026-03-13", { token: clerk })).json();
    expect(after.deadline).to.equal("2026-03-19");
    expect(after.skipped).to.deep.include({ date: "2026-03-16", reason: "Nghỉ theo quyết định của Thủ tướng" });

    const audit = await svc.services.db("audit_log").where({ action: "calendar.edited", object_id: "2026" });
    expect(audit).to.have.length(1);

    const del = await svc.request("DELETE", "/api/calendar/2026", { token: svc.adminToken });
    expect(del.status).to.equal(200);
    expect((await del.json()).origin).to.equal("file");
    const reverted = await (await svc.request("GET", "/api/calendar/deadline?receivedAt=2026-03-13", { token: clerk })).json();
    expect(reverted.deadline).to.equal("2026-03-18");
  });

  it("refuses overrides outside the year or contradicting themselves (400)", async () => {
    const outside = await svc.request("PUT", "/api/calendar/2026", {
      token: svc.adminToken, json: { daysOff: [{ date: "2027-01-04", reason: "x" }], workingDays: [] },
    });
    expect(outside.status).to.equal(400);
    expect((await outside.json()).error.code).to.equal("calendar_date_outside_year");
    const both = await svc.request("PUT", "/api/calendar/2026", {
      token: svc.adminToken,
      json: { daysOff: [{ date: "2026-03-16", reason: "a" }], workingDays: [{ date: "2026-03-16", reason: "b" }] },
    });
    expect((await both.json()).error.code).to.equal("calendar_date_conflict");
    const bad = await svc.request("PUT", "/api/calendar/2026", { token: svc.adminToken, json: { daysOff: [{ date: "16/3/2026" }] } });
    expect(bad.status).to.equal(400);
    expect((await bad.json()).error.code).to.equal("validation_failed");
  });
});
