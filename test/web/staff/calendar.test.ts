import fs from "node:fs";
import path from "node:path";
import { expect } from "chai";
import { startTestService, type TestService } from "../../support/service";
import { httpSession, staffUser } from "./support";

/** The working-day calendar page: read by every role, edited by an admin (audited, deadlines recomputed). */
describe("staff web: working-day calendar page", () => {
  let svc: TestService;
  let clerk: Awaited<ReturnType<typeof httpSession>>;
  let admin: Awaited<ReturnType<typeof httpSession>>;

  before(async () => {
    svc = await startTestService();
    clerk = await httpSession(svc, await staffUser(svc, "lclerk", "Đặng Thị Lịch", ["clerk"]));
    admin = await httpSession(svc, { username: "admin", password: fs.readFileSync(path.join(svc.dataDir, "admin.password"), "utf8").trim() });
  });
  after(() => svc?.stop());

  it("shows a year's holidays, the uncertain entries and a deadline equal to the API's, without the edit form for a clerk", async () => {
    const html = await (await clerk.get("/quan-tri/lich-lam-viec?nam=2026&tiep-nhan=2026-02-13")).text();
    expect(html).to.contain("Lịch ngày làm việc năm 2026");
    // Tết Bính Ngọ: mùng 1 is Tuesday 17/02/2026, a holiday on a weekday.
    expect(html).to.match(/17\/02\/2026<\/td><td>Thứ Ba<\/td><td>Ngày nghỉ/);
    // Giỗ Tổ falls on Sunday 26/4: the Monday after is the day off in lieu.
    expect(html).to.match(/27\/04\/2026<\/td><td>Thứ Hai<\/td><td>Ngày nghỉ/);
    // The make-up Saturday of the New Year swap is a working day.
    expect(html).to.match(/10\/01\/2026<\/td><td>Thứ Bảy<\/td><td>Ngày làm việc/);
    expect(html).to.contain("Cần đối chiếu với văn bản chính thức").and.contain("Ngày nghỉ liền kề Quốc khánh 02/9");
    const api = await svc.request("GET", "/api/calendar/deadline?receivedAt=2026-02-13", { token: svc.adminToken });
    const { deadline } = (await api.json()) as { deadline: string };
    expect(deadline > "2026-02-22").to.equal(true);
    const short = `${deadline.slice(8, 10)}/${deadline.slice(5, 7)}/${deadline.slice(0, 4)}`;
    expect(html).to.match(new RegExp(`kiểm duyệt xong trong ngày <strong>Thứ [^<]* ${short}</strong>`));
    expect(html).not.to.contain("Điều chỉnh theo văn bản");
    expect((await clerk.post("/quan-tri/lich-lam-viec/2027", { daysOff: "2027-01-04 | thử" })).status).to.equal(403);
  });

  it("lets an admin replace a year: the day appears, the audit row is written, and reset restores the file", async () => {
    const r = await admin.post("/quan-tri/lich-lam-viec/2027", {
      source: "Công văn thử nghiệm số 1/VPCP", nationalDayAdjacent: "2027-09-03", nationalDayAdjacentCertain: "1",
      daysOff: "2027-02-12 | Nghỉ hoán đổi dịp Tết Đinh Mùi (chưa chắc chắn)", workingDays: "2027-02-20 | Làm bù cho thứ Sáu 12/02/2027",
    });
    expect(r.status).to.equal(303);
    expect(r.headers.get("location")).to.contain("tb=calendarSaved");
    const html = await (await admin.get("/quan-tri/lich-lam-viec?nam=2027")).text();
    expect(html).to.contain("Theo văn bản do quản trị viên nhập").and.contain("Công văn thử nghiệm số 1/VPCP");
    expect(html).to.match(/12\/02\/2027<\/td><td>Thứ Sáu<\/td><td>Ngày nghỉ<\/td><td>Nghỉ hoán đổi dịp Tết Đinh Mùi/);
    expect(html).to.match(/20\/02\/2027<\/td><td>Thứ Bảy<\/td><td>Ngày làm việc/);
    expect(html).to.match(/03\/09\/2027<\/td><td>Thứ Sáu<\/td><td>Ngày nghỉ/);
    // The uncertain mark survives a round trip through the edit box, and is listed for checking.
    expect(html).to.contain("2027-02-12 | Nghỉ hoán đổi dịp Tết Đinh Mùi (chưa chắc chắn)");
    expect(html).to.match(/12\/02\/2027: Nghỉ hoán đổi dịp Tết Đinh Mùi<\/li>/);
    const audit = await svc.services.db("audit_log").where({ action: "calendar.edited", object_id: "2027" });
    expect(audit).to.have.length(1);
    const api = await svc.request("GET", "/api/calendar/2027", { token: svc.adminToken });
    expect(((await api.json()) as { origin: string }).origin).to.equal("database");

    const reset = await admin.post("/quan-tri/lich-lam-viec/2027/dat-lai", {});
    expect(reset.headers.get("location")).to.contain("tb=calendarReset");
    const after = await (await admin.get("/quan-tri/lich-lam-viec?nam=2027")).text();
    expect(after).not.to.contain("Công văn thử nghiệm số 1/VPCP");
    expect(await svc.services.db("audit_log").where({ action: "calendar.reset", object_id: "2027" })).to.have.length(1);
  });

  it("answers a malformed line or a date outside the year with a 400 page naming the problem, and changes nothing", async () => {
    const bad = await admin.post("/quan-tri/lich-lam-viec/2027", { daysOff: "12/02/2027 nghỉ" });
    expect(bad.status).to.equal(400);
    expect(await bad.text()).to.contain("dòng 1").and.contain("YYYY-MM-DD | lý do");
    const foreign = await admin.post("/quan-tri/lich-lam-viec/2027", { daysOff: "2028-01-03 | sai năm" });
    expect(foreign.status).to.equal(400);
    expect(await foreign.text()).to.contain("2028-01-03");
    const impossible = await admin.post("/quan-tri/lich-lam-viec/2027", { daysOff: "2027-02-30 | không có ngày này" });
    expect(impossible.status).to.equal(400);
    expect(await svc.services.db("calendar_years").where({ year: 2027 })).to.have.length(0);
    expect((await admin.post("/quan-tri/lich-lam-viec/2027", { daysOff: "2027-01-04 | x" }, false)).status).to.equal(403);
  });
});
