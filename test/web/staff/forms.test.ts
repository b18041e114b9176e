import { expect } from "chai";
import { startTestService, type TestService } from "../../support/service";
import { sampleAgency } from "../../support/dossiers";
import { httpSession, staffUser } from "./support";

const agencyFields = () => Object.fromEntries(Object.entries(sampleAgency()).map(([k, v]) => [`agency.${k}`, v]));

/**
 * The forms Mẫu 01–06 as pages: each renders its own inputs, an empty one is refused with a
 * Vietnamese message next to each required input, and a filled one creates the dossier the API
 * would (same schema, same command).
 */
describe("staff web interface: the dossier forms Mẫu 01–06", function () {
  let svc: TestService;
  let clerk: Awaited<ReturnType<typeof httpSession>>;
  before(async () => {
    svc = await startTestService();
    clerk = await httpSession(svc, await staffUser(svc, "tn-forms", "Tiếp nhận", ["clerk"]));
  });
  after(() => svc?.stop());

  const errorOf = (html: string, name: string) => {
    const id = `f-${name.replace(/\./g, "-")}`;
    const input = new RegExp(`id="${id}"[^>]*aria-invalid="true"`).test(html);
    const msg = new RegExp(`<p class="field-error" id="${id}-err">([^<]*)</p>`).exec(html)?.[1];
    return input ? msg : undefined;
  };

  it("renders each form with its own inputs", async () => {
    const expected: Record<string, string[]> = {
      "01": ["Tệp danh sách (CSV theo Mẫu 01)", "Loại chứng thư số"],
      "02": ["Tệp danh sách (CSV theo Mẫu 01)", "Mẫu 02: cần mã số thuế hoặc mã quan hệ ngân sách."],
      "03": ["Danh sách thiết bị, dịch vụ, phần mềm"],
      "04": ["Nội dung đề nghị (gia hạn hoặc thay đổi thông tin)", "Thông tin thay đổi"],
      "05": ["Chứng thư số đề nghị thu hồi", "Lộ khóa bí mật"],
      "06": ["Danh sách thiết bị lưu khóa cần khôi phục", "Người đang quản lý thiết bị"],
    };
    for (const [no, texts] of Object.entries(expected)) {
      const r = await clerk.get(`/quan-tri/ho-so/moi/${no}`);
      expect(r.status, no).to.equal(200);
      const html = await r.text();
      for (const t of texts) expect(html, `${no}: ${t}`).to.contain(t);
      // Every input has its label.
      for (const [, id] of html.matchAll(/<(?:input|select|textarea)[^>]*\sid="([^"]+)"/g)) expect(html, `${no} ${id}`).to.contain(`for="${id}"`);
    }
  });

  it("puts a Vietnamese message next to each missing or malformed field", async () => {
    const r = await clerk.post("/quan-tri/ho-so/moi/06", { buoc: "luu", "agency.email": "khong-hop-le", devices: "TK-1\nTK-2 | ePass" });
    expect(r.status).to.equal(400);
    const html = await r.text();
    expect(errorOf(html, "agency.name")).to.equal("Tên cơ quan, tổ chức: bắt buộc phải nhập.");
    expect(errorOf(html, "agency.email")).to.contain("Thư điện tử của cơ quan: không đúng định dạng");
    expect(errorOf(html, "holder.fullName")).to.equal("Người đang quản lý thiết bị: bắt buộc phải nhập.");
    expect(errorOf(html, "reason")).to.contain("Lý do");
    expect(errorOf(html, "commitment")).to.contain("cam kết");
    // What was typed is shown again.
    expect(html).to.contain(">TK-1\nTK-2 | ePass</textarea>");
    expect(await svc.services.db("dossiers").count({ n: "*" }).first()).to.deep.equal({ n: 0 });
    // The API answers the same missing holder with a 400 too (it was a 500 before the page found it).
    const token = await svc.userWithRoles("api-forms", ["clerk"]);
    const api = await svc.request("POST", "/api/requests", { token, json: { kind: "device_recovery", agency: sampleAgency(), channel: "post", commitment: true, quantity: 1, devices: [{ serial: "TK-1" }], reason: "Khóa" } });
    expect(api.status).to.equal(400);
    expect(JSON.stringify(await api.json())).to.contain("holder");
  });

  it("creates a Mẫu 03 dossier from its lines, and reports a bad line by its number", async () => {
    const base = { buoc: "luu", ...agencyFields(), channel: "post", certificateType: "Chứng thư số cho dịch vụ", commitment: "on" };
    const bad = await clerk.post("/quan-tri/ho-so/moi/03", { ...base, assets: "Cổng dịch vụ công | dịch vụ | dvc.mof.gov.vn\nMáy chủ | không rõ | srv1" });
    expect(bad.status).to.equal(400);
    expect(errorOf(await bad.text(), "assets")).to.match(/^Dòng 2: Loại tài sản kỹ thuật/);
    const ok = await clerk.post("/quan-tri/ho-so/moi/03", { ...base, assets: "Cổng dịch vụ công | dịch vụ | dvc.mof.gov.vn\nMáy chủ thư | thiết bị | mail.mof.gov.vn" });
    expect(ok.status).to.equal(303);
    const d = await (await svc.request("GET", ok.headers.get("location")!.replace("/quan-tri/ho-so/", "/api/requests/").split("?")[0], { token: svc.adminToken })).json() as Record<string, any>;
    expect(d.kind).to.equal("device");
    expect(d.quantity).to.equal(2);
    expect(d.assets).to.deep.equal([
      { name: "Cổng dịch vụ công", kind: "service", identifier: "dvc.mof.gov.vn" },
      { name: "Máy chủ thư", kind: "device", identifier: "mail.mof.gov.vn" },
    ]);
    expect(d.channel).to.equal("post");
  });

  it("creates a Mẫu 05 revocation request with its serials and reason", async () => {
    const ok = await clerk.post("/quan-tri/ho-so/moi/05", {
      buoc: "luu", ...agencyFields(), channel: "in_person", commitment: "on", certificates: "0A:1B:2C | Nguyễn Văn A\n0a1b2d", reason: "keyCompromise",
    });
    expect(ok.status, await ok.clone().text()).to.equal(303);
    const d = await (await svc.request("GET", ok.headers.get("location")!.replace("/quan-tri/ho-so/", "/api/requests/").split("?")[0], { token: svc.adminToken })).json() as Record<string, any>;
    expect(d.certificates).to.deep.equal([{ serial: "a1b2c", holderName: "Nguyễn Văn A" }, { serial: "a1b2d", holderName: null }]);
    expect(d.reason).to.equal("keyCompromise");
  });
});
