import { expect } from "chai";
import { startTestService, type TestService } from "../../support/service";
import { httpSession, staffUser } from "./support";

/** The device officer's bulk intake from a supplier CSV on the staff web (same command as the API). */
describe("staff web: device CSV import", () => {
  let svc: TestService;
  let officer: Awaited<ReturnType<typeof httpSession>>;

  const upload = (s: Awaited<ReturnType<typeof httpSession>>, csv: string, extra: Record<string, string> = {}) => {
    const form = new FormData();
    form.set("_csrf", s.csrf);
    for (const [k, v] of Object.entries(extra)) form.set(k, v);
    form.set("csv", new Blob([csv], { type: "text/csv" }), "lo-thiet-bi.csv");
    return fetch(`${svc.url}/quan-tri/thiet-bi/nhap-csv`, { method: "POST", body: form, headers: { cookie: s.cookie }, redirect: "manual" });
  };
  const serials = async () => (await svc.services.db("devices").orderBy("serial").pluck("serial")) as string[];

  before(async () => {
    svc = await startTestService();
    officer = await httpSession(svc, await staffUser(svc, "wimport", "Vũ Văn Kho", ["device_officer"]));
  });
  after(() => svc?.stop());

  it("imports every row of a good file and lists the devices", async () => {
    const csv = "Số sê-ri;Mẫu thiết bị;Nhà sản xuất;Nhãn token;Loại\nTK-0001;ePass2003;Feitian;BCY-01;USB token\nTK-0002;ePass2003;Feitian;;usb_token\n";
    const r = await upload(officer, csv);
    expect(r.status).to.equal(201);
    const html = await r.text();
    expect(html).to.contain("Kết quả nhập tệp lo-thiet-bi.csv").and.contain("Đã nhập 2 thiết bị vào kho");
    expect(await serials()).to.deep.equal(["TK-0001", "TK-0002"]);
    expect(await svc.services.db("audit_log").where("action", "like", "device.%")).to.have.length.greaterThan(0);
  });

  it("refuses a file with a bad row as a whole by default, naming the row and reason; valid-only takes the good rows", async () => {
    const csv = "Số sê-ri,Mẫu thiết bị,Nhà sản xuất,Loại\nTK-0003,ePass2003,Feitian,USB token\nTK-0001,ePass2003,Feitian,USB token\nTK-0004,ePass2003,Feitian,máy fax\n";
    const all = await upload(officer, csv);
    expect(all.status).to.equal(400);
    const html = await all.text();
    expect(html).to.contain("Đã nhập 0 thiết bị").and.contain("2 dòng không nhập được");
    expect(html).to.match(/<td>3<\/td><td>TK-0001<\/td>/).and.match(/<td>4<\/td><td>TK-0004<\/td><td>[^<]*máy fax/);
    expect(await serials()).to.deep.equal(["TK-0001", "TK-0002"]);
    const some = await upload(officer, csv, { validOnly: "1" });
    expect(some.status).to.equal(201);
    expect(await some.text()).to.contain("Đã nhập 1 thiết bị");
    expect(await serials()).to.deep.equal(["TK-0001", "TK-0002", "TK-0003"]);
  });

  it("answers a missing header, an empty upload, a clerk and a missing CSRF token with 4xx and imports nothing", async () => {
    const noHeader = await upload(officer, "Số sê-ri,Nhà sản xuất\nTK-0009,Feitian\n");
    expect(noHeader.status).to.equal(400);
    expect(await noHeader.text()).to.contain("Không nhập được tệp CSV").and.contain("Mẫu thiết bị");
    expect((await upload(officer, "")).status).to.equal(400);
    const clerk = await httpSession(svc, await staffUser(svc, "wimport-clerk", "Lê Thị Văn", ["clerk"]));
    expect((await upload(clerk, "Số sê-ri,Mẫu thiết bị,Nhà sản xuất,Loại\nTK-0010,a,b,USB token\n")).status).to.equal(403);
    const forged = new FormData();
    forged.set("csv", new Blob(["Số sê-ri,Mẫu thiết bị,Nhà sản xuất,Loại\nTK-0011,a,b,USB token\n"]), "x.csv");
    const r = await fetch(`${svc.url}/quan-tri/thiet-bi/nhap-csv`, { method: "POST", body: forged, headers: { cookie: officer.cookie }, redirect: "manual" });
    expect(r.status).to.equal(403);
    expect(await serials()).to.deep.equal(["TK-0001", "TK-0002", "TK-0003"]);
  });

  it("answers a single device with an empty serial with the form and a 400, not a 500", async () => {
    const r = await officer.post("/quan-tri/thiet-bi", { serial: "", model: "ePass2003", manufacturer: "Feitian", kind: "usb_token" });
    expect(r.status).to.equal(400);
    expect(await r.text()).to.contain("Nhập nhiều thiết bị từ tệp CSV").and.contain("Số sê-ri");
  });

  it("shows the import form to a device officer and not to an auditor", async () => {
    expect(await (await officer.get("/quan-tri/thiet-bi")).text()).to.contain("Nhập nhiều thiết bị từ tệp CSV");
    const auditor = await httpSession(svc, await staffUser(svc, "wimport-aud", "Trịnh Văn Soát", ["auditor"]));
    expect(await (await auditor.get("/quan-tri/thiet-bi")).text()).not.to.contain("Nhập nhiều thiết bị từ tệp CSV");
  });
});
