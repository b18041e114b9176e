import { expect } from "chai";
import { startTestService, type TestService } from "../support/service";
import { sampleDossier } from "../support/dossiers";

describe("devices API: inventory, lifecycle, CSV import", () => {
  let svc: TestService;
  let officer: string;
  let clerk: string;
  before(async () => {
    svc = await startTestService();
    officer = await svc.userWithRoles("officer1", ["device_officer"]);
    clerk = await svc.userWithRoles("clerk1", ["clerk"]);
  });
  after(() => svc?.stop());

  const newDevice = (serial: string) => ({ serial, model: "ePass2003", manufacturer: "Feitian", tokenLabel: "CT-" + serial, kind: "usb_token" });

  it("adds a device in stock, with its history", async () => {
    const r = await svc.request("POST", "/api/devices", { token: officer, json: newDevice("SN-0001") });
    expect(r.status).to.equal(201);
    const d = await r.json();
    expect(d).to.include({ serial: "SN-0001", state: "in_stock", kind: "usb_token", tokenLabel: "CT-SN-0001" });
    const g = await (await svc.request("GET", `/api/devices/${d.id}`, { token: clerk })).json();
    expect(g.events).to.have.length(1);
    expect(g.events[0]).to.include({ from: null, to: "in_stock", actor: "officer1" });
  });

  it("refuses a duplicate serial with 409", async () => {
    const r = await svc.request("POST", "/api/devices", { token: officer, json: newDevice("SN-0001") });
    expect(r.status).to.equal(409);
    expect((await r.json()).error.code).to.equal("device_serial_taken");
  });

  it("lets only the device officer manage devices", async () => {
    const r = await svc.request("POST", "/api/devices", { token: clerk, json: newDevice("SN-0002") });
    expect(r.status).to.equal(403);
    expect((await svc.request("GET", "/api/devices", { token: clerk })).status).to.equal(200);
  });

  it("records allowed transitions with who and why, and refuses forbidden ones with 409 naming both states", async () => {
    const d = await (await svc.request("POST", "/api/devices", { token: officer, json: newDevice("SN-0003") })).json();
    const bad = await svc.request("POST", `/api/devices/${d.id}/transition`, { token: officer, json: { to: "handed_over", reason: "thử" } });
    expect(bad.status).to.equal(409);
    const e = await bad.json();
    expect(e.error.code).to.equal("device_transition_forbidden");
    expect(e.error.message).to.include("trong kho").and.include("đã bàn giao");
    expect(e.error.details).to.deep.equal({ from: "in_stock", to: "handed_over" });
    const skip = await svc.request("POST", `/api/devices/${d.id}/transition`, { token: officer, json: { to: "retired", reason: "x" } });
    expect(skip.status).to.equal(200);
    const back = await svc.request("POST", `/api/devices/${d.id}/transition`, { token: officer, json: { to: "damaged", reason: "x" } });
    expect(back.status).to.equal(409);
    expect((await back.json()).error.message).to.include("ngừng sử dụng").and.include("bị hỏng");

    const d2 = await (await svc.request("POST", "/api/devices", { token: officer, json: newDevice("SN-0004") })).json();
    const viaCommand = await svc.request("POST", `/api/devices/${d2.id}/transition`, { token: officer, json: { to: "initialized", reason: "x" } });
    expect(viaCommand.status).to.equal(200);
    const issued = await svc.request("POST", `/api/devices/${d2.id}/transition`, { token: officer, json: { to: "issued", reason: "x" } });
    expect(issued.status).to.equal(409);
    expect((await issued.json()).error.code).to.equal("device_transition_needs_command");
    const ok = await svc.request("POST", `/api/devices/${d2.id}/transition`, { token: officer, json: { to: "damaged", reason: "Vỡ vỏ khi vận chuyển" } });
    expect(ok.status).to.equal(200);
    expect((await ok.json()).state).to.equal("damaged");
    const retired = await (await svc.request("POST", `/api/devices/${d2.id}/transition`, { token: officer, json: { to: "retired", reason: "Thanh lý" } })).json();
    expect(retired.allowedTransitions).to.deep.equal([]);
    const again = await svc.request("POST", `/api/devices/${d2.id}/transition`, { token: officer, json: { to: "in_stock", reason: "x" } });
    expect(again.status).to.equal(409);
    const g = await (await svc.request("GET", `/api/devices/${d2.id}`, { token: officer })).json();
    expect(g.events.map((x: any) => x.to)).to.deep.equal(["in_stock", "initialized", "damaged", "retired"]);
    expect(g.events[2]).to.include({ from: "initialized", reason: "Vỡ vỏ khi vận chuyển", actor: "officer1" });
  });

  it("imports devices from a CSV with Vietnamese headers", async () => {
    const csv = "\uFEFFSố sê-ri,Mẫu thiết bị,Nhà sản xuất,Nhãn token,Loại\nCSV-1,ePass2003,Feitian,TK1,USB token\nCSV-2,Luna 7,Thales,,HSM\nCSV-3,SIM PKI 128K,Viettel,,SIM\n";
    const r = await svc.request("POST", "/api/devices/import", { token: officer, body: csv, headers: { "content-type": "text/csv; charset=utf-8" } });
    expect(r.status).to.equal(201);
    const b = await r.json();
    expect(b.imported).to.equal(3);
    expect(b.items.map((d: any) => d.kind)).to.deep.equal(["usb_token", "hsm", "sim"]);
  });

  it("rejects a CSV with errors per row and imports nothing, or only the valid rows when asked", async () => {
    const csv = "Số sê-ri;Mẫu thiết bị;Nhà sản xuất;Nhãn token;Loại\nCSV-10;ePass;Feitian;;USB token\n;ePass;Feitian;;USB token\nCSV-11;ePass;Feitian;;đĩa mềm\nCSV-10;ePass;Feitian;;USB token\nCSV-1;ePass;Feitian;;USB token\n";
    const r = await svc.request("POST", "/api/devices/import", { token: officer, body: csv, headers: { "content-type": "text/csv" } });
    expect(r.status).to.equal(400);
    const e = await r.json();
    expect(e.error.code).to.equal("csv_rows_invalid");
    const rows = e.error.details.rows;
    expect(rows.map((x: any) => x.row)).to.deep.equal([3, 4, 5, 6]);
    expect(rows[0].errors[0]).to.include("Số sê-ri");
    expect(rows[1].errors[0]).to.include("đĩa mềm");
    expect(rows[2].errors[0]).to.include("dòng 2");
    expect(rows[3].errors[0]).to.include("đã có trong danh mục");
    const list = await (await svc.request("GET", "/api/devices?serial=CSV-10", { token: officer })).json();
    expect(list.total).to.equal(0);

    const partial = await svc.request("POST", "/api/devices/import?mode=valid-only", { token: officer, body: csv, headers: { "content-type": "text/csv" } });
    expect(partial.status).to.equal(201);
    const p = await partial.json();
    expect(p.imported).to.equal(1);
    expect(p.rejected).to.have.length(4);
  });

  it("rejects a CSV without a required header", async () => {
    const r = await svc.request("POST", "/api/devices/import", { token: officer, body: "Serial,Model\nA,B\n", headers: { "content-type": "text/csv" } });
    expect(r.status).to.equal(400);
    expect((await r.json()).error.message).to.include("Số sê-ri");
  });

  it("answers 404 for a certificate that does not exist", async () => {
    const r = await svc.request("GET", "/api/certificates/abcdef/device", { token: clerk });
    expect(r.status).to.equal(404);
  });

  it("refuses to lock a device that is not with its holder, and to recover without a fitting dossier", async () => {
    const d = await (await svc.request("POST", "/api/devices", { token: officer, json: newDevice("SN-LOCK") })).json();
    const lock = await svc.request("POST", `/api/devices/${d.id}/lock`, { token: officer, json: { failedAttempts: 5, reason: "Người dùng báo khóa" } });
    expect(lock.status).to.equal(409);
    expect((await lock.json()).error.message).to.include("trong kho").and.include("bị khóa");

    const missing = await svc.request("POST", `/api/devices/${d.id}/recover`, { token: officer, json: { dossierId: "00000000-0000-4000-8000-000000000000" } });
    expect(missing.status).to.equal(404);
    expect((await missing.json()).error.code).to.equal("recovery_dossier_not_found");

    const r = await svc.request("POST", "/api/requests", { token: clerk, json: sampleDossier("individual", 1) });
    const individual = (await r.json()).id;
    const wrongKind = await svc.request("POST", `/api/devices/${d.id}/recover`, { token: officer, json: { dossierId: individual } });
    expect(wrongKind.status).to.equal(409);
    expect((await wrongKind.json()).error.code).to.equal("recovery_dossier_wrong_kind");

    const forbidden = await svc.request("POST", `/api/devices/${d.id}/recover`, { token: clerk, json: { dossierId: individual } });
    expect(forbidden.status).to.equal(403);
  });

  it("validates a handover: a receiver is needed when no dossier names one, items must exist", async () => {
    const base = {
      place: { kind: "provider", address: "Hà Nội" }, handedAt: "2026-11-25T09:00:00+07:00",
      handingOfficer: { name: "Phạm Văn Giao", position: "Chuyên viên", agency: "Cục" },
    };
    const empty = await svc.request("POST", "/api/handovers", { token: officer, json: { ...base, items: [] } });
    expect(empty.status).to.equal(400);
    const d = await (await svc.request("POST", "/api/devices", { token: officer, json: newDevice("SN-HO") })).json();
    const noCert = await svc.request("POST", "/api/handovers", { token: officer, json: { ...base, items: [{ deviceId: d.id, certificateSerial: "abc123" }] } });
    expect(noCert.status).to.equal(404);
    expect((await noCert.json()).error.code).to.equal("certificate_not_found");
    const clerkTry = await svc.request("POST", "/api/handovers", { token: clerk, json: { ...base, items: [{ deviceId: d.id, certificateSerial: "abc123" }] } });
    expect(clerkTry.status).to.equal(403);
  });
});
