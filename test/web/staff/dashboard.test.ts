import { expect } from "chai";
import { startTestService, type TestService } from "../../support/service";
import { sampleDossier } from "../../support/dossiers";
import { httpSession, staffUser } from "./support";

/** The dashboard and the list read the review queue: overdue in red, due today, working days left, filters. */
describe("staff web interface: dashboard and dossier list", function () {
  let svc: TestService;
  let reviewer: Awaited<ReturnType<typeof httpSession>>;
  const ids: string[] = [];

  before(async () => {
    svc = await startTestService();
    reviewer = await httpSession(svc, await staffUser(svc, "kd-dash", "Kiểm duyệt", ["reviewer"]));
    const clerk = await svc.userWithRoles("clerk-dash", ["clerk"]);
    for (const name of ["Bộ Quá Hạn", "Bộ Đúng Hạn", "Bộ Bản Nháp"]) {
      const d = sampleDossier("individual", 1);
      d.agency.name = name;
      const r = await svc.request("POST", "/api/requests", { token: clerk, json: d });
      ids.push(((await r.json()) as { id: string }).id);
    }
    for (const id of ids.slice(0, 2)) expect((await svc.request("POST", `/api/requests/${id}/submit`, { token: clerk, json: {} })).status).to.equal(200);
    // The first one's period ended days ago (as if received last month).
    await svc.services.db("dossiers").where({ id: ids[0] }).update({ deadline: "2026-10-01T17:00:00.000Z", deadline_date: "2026-10-01" });
  });
  after(() => svc?.stop());

  it("shows the overdue dossier in red with the working days it is late, and the other with the days left", async () => {
    const html = await (await reviewer.get("/quan-tri")).text();
    const queue = html.slice(html.indexOf("Hàng đợi kiểm duyệt"));
    const overdueRow = /<tr class="row-overdue">([\s\S]*?)<\/tr>/.exec(queue)?.[1] ?? "";
    expect(html).to.match(/<tr class="row-overdue"><td>Chưa phân công<\/td><td>2<\/td><td>1<\/td>/);
    expect(overdueRow).to.contain("Bộ Quá Hạn").and.contain("01/10/2026").and.match(/quá hạn \d+ ngày làm việc/);
    expect(html).to.match(/<strong>1<\/strong> quá hạn kiểm duyệt/);
    expect(html).to.match(/Bộ Đúng Hạn[\s\S]*?(còn \d ngày làm việc|hết hạn trong hôm nay)/);
    expect(html).to.not.contain("Bộ Bản Nháp</td>"); // a draft is not under the review clock
  });

  it("filters the list by state and by text", async () => {
    const received = await (await reviewer.get("/quan-tri/ho-so?trang-thai=received")).text();
    expect(received).to.contain("Bộ Quá Hạn").and.contain("Bộ Đúng Hạn").and.not.contain("Bộ Bản Nháp");
    expect(received).to.contain("2 hồ sơ.");
    const text = await (await reviewer.get(`/quan-tri/ho-so?q=${encodeURIComponent("ban nhap")}`)).text();
    expect(text).to.contain("Bộ Bản Nháp").and.not.contain("Bộ Quá Hạn");
  });
});
