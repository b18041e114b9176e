import { expect } from "chai";
import { startTestService, type TestService } from "../../support/service";
import { httpSession, staffUser } from "./support";

/** The approvals page: a second CA operator approves an urgent revocation from the web. */
describe("staff web: four-eyes approvals page", () => {
  let svc: TestService;
  let serial: string;
  let op1: Awaited<ReturnType<typeof httpSession>>;
  let op2: Awaited<ReturnType<typeof httpSession>>;
  const person = { commonName: "Phạm Thị Duyệt", email: "duyetpt@mof.gov.vn", identity: { type: "CCCD", number: "001190004321" }, organization: "Bộ Tài chính", province: "Hà Nội" };

  before(async () => {
    svc = await startTestService();
    const u1 = await staffUser(svc, "wop1", "Nguyễn Văn Một", ["ca_operator"]);
    const u2 = await staffUser(svc, "wop2", "Trần Văn Hai", ["ca_operator"]);
    op1 = await httpSession(svc, u1);
    op2 = await httpSession(svc, u2);
    const token = await svc.userWithRoles("wop-api", ["ca_operator"]);
    const r = await svc.request("POST", "/api/certificates", { token, json: { profile: "individual", subject: person, keyGeneration: "server", pkcs12Password: "mat-khau-giao-1-lan" } });
    expect(r.status, await r.clone().text()).to.equal(201);
    serial = ((await r.json()) as { serial: string }).serial;
    const urgent = await svc.request("POST", `/api/certificates/${serial}/revoke`, { token, json: { reason: "keyCompromise" } });
    expect(urgent.status).to.equal(202);
  });
  after(() => svc?.stop());

  it("lists the pending urgent revocation with the decision buttons for a second operator", async () => {
    const html = await (await op1.get("/quan-tri/phe-duyet")).text();
    expect(html).to.contain("Phê duyệt bốn mắt").and.contain("Đang chờ phê duyệt (1)").and.contain("Phê duyệt</button>").and.contain("Từ chối</button>");
  });

  it("approves from the page: the certificate is revoked and the decision listed", async () => {
    const html = await (await op2.get("/quan-tri/phe-duyet")).text();
    const action = /action="(\/quan-tri\/phe-duyet\/[0-9a-f-]+\/duyet)"/.exec(html)![1];
    const r = await op2.post(action, { reason: "Đã xác minh mất thiết bị" });
    expect(r.status).to.equal(303);
    expect(r.headers.get("location")).to.contain("tb=approvalApproved");
    const after = await (await op2.get("/quan-tri/phe-duyet")).text();
    expect(after).to.contain("Đang chờ phê duyệt (0)").and.contain("đã thực hiện");
    const row = await svc.services.db("certificates").where({ serial }).first();
    expect(row.status).to.equal("revoked");
  });

  it("refuses a decision without the CSRF token, and the page to a clerk", async () => {
    const clerk = await httpSession(svc, await staffUser(svc, "wclerk", "Lê Thị Ba", ["clerk"]));
    expect((await clerk.get("/quan-tri/phe-duyet")).status).to.equal(403);
    const forged = await op2.post("/quan-tri/phe-duyet/00000000-0000-0000-0000-000000000000/duyet", {}, false);
    expect(forged.status).to.equal(403);
  });
});
