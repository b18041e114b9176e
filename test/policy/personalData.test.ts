import { expect } from "chai";
import { startTestService, type TestService } from "../support/service";
import { individualDossier } from "../support/reviewDossiers";
import { maskPersonal } from "../../src/policy/personalData";

describe("confidentiality of requester data", function () {
  this.timeout(30_000);
  let svc: TestService;
  const tokens: Record<string, string> = {};
  let id: string;
  before(async () => {
    svc = await startTestService();
    for (const r of ["clerk", "reviewer", "device_officer", "ca_operator", "auditor"] as const) tokens[r] = await svc.userWithRoles(`pd-${r.replace("_", "-")}`, [r]);
    tokens.admin = svc.adminToken;
    const r = await svc.request("POST", "/api/requests", { token: tokens.clerk, json: individualDossier() });
    id = (await r.json()).id;
    await svc.request("PATCH", `/api/requests/${id}`, { token: tokens.clerk, json: { receiver: { ...individualDossier().receiver, mobile: "0912345678" } } });
  });
  after(() => svc.stop());

  const get = async (p: string, role: string) => (await svc.request("GET", p, { token: tokens[role] })).json();

  it("shows identity numbers and phones to the clerk, the reviewer and the device officer", async () => {
    for (const role of ["clerk", "reviewer", "device_officer"]) {
      const d = await get(`/api/requests/${id}`, role);
      expect(d.subscribers[0].idNumber, role).to.equal("046085000111");
      expect(d.receiver.mobile, role).to.equal("0912345678");
    }
  });

  it("masks them for the admin, the auditor and the CA operator, in the dossier and its history", async () => {
    for (const role of ["admin", "auditor", "ca_operator"]) {
      const d = await get(`/api/requests/${id}`, role);
      expect(d.subscribers[0].idNumber, role).to.equal("*********111");
      expect(d.subscribers[0].fullName, role).to.equal("Nguyễn Văn An");
      expect(d.receiver.idNumber, role).to.equal("*********333");
      expect(d.receiver.mobile, role).to.equal("*******678");
      expect(d.agency.phone, role).to.equal("02343822123"); // the office's phone is not personal
      const h = await get(`/api/requests/${id}/history`, role);
      const text = JSON.stringify(h);
      expect(text, role).to.not.include("0912345678");
      expect(text, role).to.not.include("0987654321");
    }
    const h = await get(`/api/requests/${id}/history`, "clerk");
    expect(JSON.stringify(h)).to.include("0912345678");
  });

  it("refuses the request form PDF (unmasked) to the roles that see masked values", async () => {
    for (const role of ["admin", "auditor", "ca_operator"]) {
      expect((await svc.request("GET", `/api/requests/${id}/document.pdf`, { token: tokens[role] })).status, role).to.equal(403);
    }
  });

  it("masks history changes and nested lists by field name", () => {
    const m = maskPersonal({ changes: [{ field: "receiver.idNumber", from: "001", to: "0460900003" }, { field: "note", from: "a", to: "b" }], people: [{ dateOfBirth: "1990-01-01", idNumber: null }] });
    expect(m).to.deep.equal({ changes: [{ field: "receiver.idNumber", from: "***", to: "*******003" }, { field: "note", from: "a", to: "b" }], people: [{ dateOfBirth: "***", idNumber: null }] });
  });
});
