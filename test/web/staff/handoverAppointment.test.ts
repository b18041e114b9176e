import fs from "node:fs";
import path from "node:path";
import { expect } from "chai";
import { startTestService, type TestService } from "../../support/service";
import { sampleDossier } from "../../support/dossiers";
import { httpSession, staffUser } from "./support";

/** The device officer appoints the handover from the dossier page: the agency is e-mailed the time and place. */
describe("staff web: handover appointment", () => {
  let svc: TestService;
  let officer: Awaited<ReturnType<typeof httpSession>>;
  let dossierId: string;

  before(async () => {
    svc = await startTestService();
    officer = await httpSession(svc, await staffUser(svc, "wappoint", "Hà Văn Hẹn", ["device_officer"]));
    const clerk = await svc.userWithRoles("wappoint-clerk", ["clerk"]);
    const c = await svc.request("POST", "/api/requests", { token: clerk, json: sampleDossier("individual", 2) });
    dossierId = ((await c.json()) as { id: string }).id;
  });
  after(() => svc?.stop());

  it("refuses an appointment while the dossier is a draft, with a 409 page, and sends nothing", async () => {
    expect(await (await officer.get(`/quan-tri/ho-so/${dossierId}`)).text()).not.to.contain("Hẹn lịch bàn giao thiết bị");
    const r = await officer.post(`/quan-tri/ho-so/${dossierId}/hen-ban-giao`, { handoverAt: "2026-12-01T09:30", place: "Hà Nội" });
    expect(r.status).to.equal(409);
    expect(await r.text()).to.contain("Không thực hiện được");
    expect(await svc.services.db("outbox").where("dedupe_key", "like", "mail:handover:%")).to.have.length(0);
  });

  it("appoints from the dossier page once certificates are issued: the e-mail gives the time (Hà Nội) and place", async () => {
    // The issuance itself is covered by the CA tests; here the dossier only needs to be past it.
    await svc.services.db("dossiers").where({ id: dossierId }).update({ status: "issued" });
    expect(await (await officer.get(`/quan-tri/ho-so/${dossierId}`)).text()).to.contain("Hẹn lịch bàn giao thiết bị");
    const place = "Phòng 204, số 23 Ngụy Như Kon Tum, Thanh Xuân, Hà Nội";
    const r = await officer.post(`/quan-tri/ho-so/${dossierId}/hen-ban-giao`, { handoverAt: "2026-12-01T14:15", place, note: "Mang theo giấy giới thiệu" });
    expect(r.status).to.equal(303);
    expect(r.headers.get("location")).to.contain("tb=handoverScheduled");
    expect(await svc.services.db("audit_log").where({ action: "handover.scheduled", object_id: dossierId })).to.have.length(1);
    await svc.drainOutbox();
    const mailDir = path.join(svc.dataDir, "mail");
    const { simpleParser } = await import("mailparser");
    const texts = await Promise.all(fs.readdirSync(mailDir).filter((f) => f.endsWith(".eml")).map(async (f) => (await simpleParser(fs.readFileSync(path.join(mailDir, f)))).text ?? ""));
    const mail = texts.find((t) => t.includes("Phòng 204"));
    expect(mail, texts.join("\n---\n")).to.be.a("string");
    expect(mail).to.match(/14[: giờh]+15/).and.include("01/12/2026");
  });

  it("answers a missing time or place with a 400 page naming the field, and a clerk with 403", async () => {
    const r = await officer.post(`/quan-tri/ho-so/${dossierId}/hen-ban-giao`, { handoverAt: "", place: "" });
    expect(r.status).to.equal(400);
    const html = await r.text();
    expect(html).to.contain("handoverAt").and.contain("place");
    const clerk = await httpSession(svc, await staffUser(svc, "wappoint-clerk2", "Lê Thị Nhận", ["clerk"]));
    expect((await clerk.post(`/quan-tri/ho-so/${dossierId}/hen-ban-giao`, { handoverAt: "2026-12-01T09:30", place: "Hà Nội" })).status).to.equal(403);
  });
});
