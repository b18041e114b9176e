import { expect } from "chai";
import { startTestService, type TestService } from "../support/service";
import { sampleDossier } from "../support/dossiers";
import { DOSSIER_STATUSES } from "../../src/ra/dossiers/schema";
import { dossierStatusNames } from "../../src/messages/dossiers";
import { verifyChain } from "../../src/audit/audit";

/**
 * Dossiers reach their final status when the work is really done: an issuance dossier "published"
 * (every certificate handed over and in the directory), a Mẫu 05 revocation dossier "completed"
 * (every listed certificate revoked), a Mẫu 06 recovery dossier "completed" (every listed device
 * recovered). Through the API, with the audit rows.
 */
describe("dossier final statuses", () => {
  let svc: TestService;
  const tok: Record<string, string> = {};
  before(async () => {
    svc = await startTestService();
    for (const role of ["clerk", "reviewer", "ca_operator", "device_officer"] as const) tok[role] = await svc.userWithRoles(`fin-${role}`, [role]);
  });
  after(() => svc?.stop());

  const api = async (role: string, method: string, p: string, json?: unknown, expected = [200, 201, 204]) => {
    const r = await svc.request(method, p, { token: tok[role], json });
    const text = await r.text();
    expect(expected, `${method} ${p} → ${r.status} ${text.slice(0, 400)}`).to.include(r.status);
    return text ? JSON.parse(text) : undefined;
  };
  const accepted = async (body: Record<string, unknown>) => {
    const { id } = await api("clerk", "POST", "/api/requests", body);
    await api("clerk", "POST", `/api/requests/${id}/submit`, {});
    await api("reviewer", "POST", `/api/requests/${id}/review`, { action: "start" });
    await api("reviewer", "POST", `/api/requests/${id}/review`, { action: "accept" });
    return id as string;
  };
  const status = async (id: string) => (await api("clerk", "GET", `/api/requests/${id}`)).status;
  const history = async (id: string) => (await api("clerk", "GET", `/api/requests/${id}/history`)).items as any[];
  const auditOf = async (id: string, action: string) =>
    (await svc.services.db("audit_log").where({ object_type: "dossier", object_id: id, action })).map((r) => ({ ...r, details: JSON.parse(r.details) }));
  let deviceNo = 0;
  const deviceWith = async (serial: string) => {
    const d = await api("device_officer", "POST", "/api/devices", { serial: `TK-FIN-${++deviceNo}`, model: "ePass3003", manufacturer: "Feitian", kind: "usb_token" });
    await api("device_officer", "POST", `/api/devices/${d.id}/transition`, { to: "initialized", reason: "Khởi tạo token" });
    await api("device_officer", "POST", `/api/devices/${d.id}/certificates`, { serial });
    return d as { id: string; serial: string };
  };
  const handOver = (items: Array<{ deviceId: string; certificateSerial: string }>) => api("device_officer", "POST", "/api/handovers", {
    place: { kind: "provider", address: "Số 23 Ngụy Như Kon Tum, Thanh Xuân, Hà Nội" }, handedAt: new Date().toISOString(),
    handingOfficer: { name: "Lê Văn Giao", position: "Chuyên viên", agency: "Cục Chứng thực số và Bảo mật thông tin" }, items,
  });
  const issue = async (dossierId: string, subscriber: number) =>
    (await api("ca_operator", "POST", `/api/requests/${dossierId}/certificates`, { subscriber, keyGeneration: "server", pkcs12Password: "mật-khẩu-rất-dài-123" })).serial as string;

  it("every status has a Vietnamese label", () => {
    for (const s of DOSSIER_STATUSES) expect(dossierStatusNames[s], s).to.be.a("string").and.not.equal("");
    expect(dossierStatusNames.completed).to.equal("đã hoàn thành");
    expect(dossierStatusNames.published).to.equal("đã công bố");
  });

  it("an issuance dossier becomes published only when all its certificates are handed over and in the directory", async () => {
    const id = await accepted(sampleDossier("individual", 2));
    const [s0, s1] = [await issue(id, 0), await issue(id, 1)];
    expect(await status(id)).to.equal("issued");
    const [d0, d1] = [await deviceWith(s0), await deviceWith(s1)];

    // The first certificate handed over and published: the dossier is not done.
    await handOver([{ deviceId: d0.id, certificateSerial: s0 }]);
    await svc.drainOutbox();
    expect((await svc.services.db("certificates").where({ serial: s0 }).first()).published_at).to.be.a("string");
    expect(await status(id)).to.equal("issued");

    // The second: handed over (handed_over), then published by the directory job (published).
    await handOver([{ deviceId: d1.id, certificateSerial: s1 }]);
    expect(await status(id)).to.equal("handed_over");
    await svc.drainOutbox();
    expect(await status(id)).to.equal("published");
    const last = (await history(id)).at(-1);
    expect(last).to.include({ action: "published", fromStatus: "handed_over", toStatus: "published", actor: "system" });
    expect(last.note).to.equal("Đã bàn giao và công bố toàn bộ 2 chứng thư số của hồ sơ.");
    const rows = await auditOf(id, "dossier.published");
    expect(rows).to.have.length(1);
    expect(rows[0].details).to.include({ from: "handed_over", to: "published", certificates: 2 });

    // A repeated publish job (idempotent) moves nothing and writes nothing.
    await svc.services.db("outbox").where({ kind: "directory.publish" }).update({ status: "pending", next_attempt_at: new Date(0).toISOString() });
    await svc.drainOutbox();
    expect(await auditOf(id, "dossier.published")).to.have.length(1);
    expect(await status(id)).to.equal("published");
  });

  it("a Mẫu 05 revocation dossier is completed when every listed certificate is revoked, not before", async () => {
    const issuance = await accepted(sampleDossier("individual", 3));
    const [a, b, c] = [await issue(issuance, 0), await issue(issuance, 1), await issue(issuance, 2)];

    // One listed serial does not exist: carried out, but not completed.
    const partial = await accepted({ ...sampleDossier("revocation"), quantity: 2, certificates: [{ serial: a }, { serial: "0a1b2c3d" }], reason: "cessationOfOperation" });
    const r1 = await api("ca_operator", "POST", `/api/requests/${partial}/execute`);
    expect(r1.succeeded).to.equal(1);
    expect(await status(partial)).to.equal("accepted");
    expect(await auditOf(partial, "dossier.revocation_completed")).to.have.length(0);

    // b revoked here, c already revoked before (it counts): completed.
    await api("ca_operator", "POST", `/api/certificates/${c}/revoke`, { reason: "superseded" });
    const full = await accepted({ ...sampleDossier("revocation"), quantity: 2, certificates: [{ serial: b.toUpperCase() }, { serial: c }], reason: "affiliationChanged" });
    const r2 = await api("ca_operator", "POST", `/api/requests/${full}/execute`);
    expect(r2.items.map((i: any) => i.ok)).to.deep.equal([true, false]);
    expect(await status(full)).to.equal("completed");
    const last = (await history(full)).at(-1);
    expect(last).to.include({ action: "revocation_completed", fromStatus: "accepted", toStatus: "completed", actor: "fin-ca_operator" });
    expect(last.note).to.equal("Đã thu hồi toàn bộ 2 chứng thư số nêu trong hồ sơ (Mẫu 05).");
    expect((await auditOf(full, "dossier.revocation_completed"))[0].details).to.include({ from: "accepted", to: "completed", certificates: 2 });
    // A completed dossier is not carried out again.
    await api("ca_operator", "POST", `/api/requests/${full}/execute`, undefined, [409]);
  });

  it("a Mẫu 04 renewal/change dossier is completed when every listed certificate has its successor, and is not carried out twice", async () => {
    const issuance = await accepted(sampleDossier("individual", 2));
    const [a, b] = [await issue(issuance, 0), await issue(issuance, 1)];
    const change = (serials: string[]) => ({ ...sampleDossier("renewal_change"), quantity: serials.length, certificates: serials.map((serial) => ({ serial })) });

    // One listed serial does not exist: a is re-issued with the new position, the dossier stays open.
    const partial = await accepted(change([a, "0a1b2c3d"]));
    const r1 = await api("ca_operator", "POST", `/api/requests/${partial}/execute`);
    expect(r1.items.map((i: any) => i.ok)).to.deep.equal([true, false]);
    expect(await status(partial)).to.equal("accepted");
    expect(await auditOf(partial, "dossier.renewal_change_completed")).to.have.length(0);
    // Carried out again, a is not re-issued a second time (it already has its successor).
    const again = await api("ca_operator", "POST", `/api/requests/${partial}/execute`);
    expect(again.items[0]).to.include({ ok: false });
    expect(await svc.services.db("certificates").where({ replaces_serial: a })).to.have.length(1);

    const full = await accepted(change([b]));
    const r2 = await api("ca_operator", "POST", `/api/requests/${full}/execute`);
    expect(r2.items.map((i: any) => i.ok)).to.deep.equal([true]);
    expect(await status(full)).to.equal("completed");
    const last = (await history(full)).at(-1);
    expect(last).to.include({ action: "renewal_change_completed", fromStatus: "accepted", toStatus: "completed" });
    expect(last.note).to.equal("Đã gia hạn, thay đổi thông tin toàn bộ 1 chứng thư số nêu trong hồ sơ (Mẫu 04).");
    expect((await auditOf(full, "dossier.renewal_change_completed"))[0].details).to.include({ certificates: 1 });
    await api("ca_operator", "POST", `/api/requests/${full}/execute`, undefined, [409]);
  });

  it("a Mẫu 06 recovery dossier is completed when every device it lists is recovered", async () => {
    const issuance = await accepted(sampleDossier("individual", 2));
    const serials = [await issue(issuance, 0), await issue(issuance, 1)];
    const devices = [await deviceWith(serials[0]), await deviceWith(serials[1])];
    await handOver(devices.map((d, i) => ({ deviceId: d.id, certificateSerial: serials[i] })));
    for (const d of devices) await api("device_officer", "POST", `/api/devices/${d.id}/lock`, { failedAttempts: 5, reason: "Người dùng nhập sai mã PIN" });
    const body = sampleDossier("device_recovery");
    body.quantity = 2;
    body.devices = devices.map((d) => ({ serial: d.serial, model: "ePass3003" }));
    const id = await accepted(body);

    await api("device_officer", "POST", `/api/devices/${devices[0].id}/recover`, { dossierId: id, method: "unblock" });
    expect(await status(id)).to.equal("accepted");
    await api("device_officer", "POST", `/api/devices/${devices[1].id}/recover`, { dossierId: id, method: "unblock" });
    expect(await status(id)).to.equal("completed");
    const last = (await history(id)).at(-1);
    expect(last).to.include({ action: "recovery_completed", fromStatus: "accepted", toStatus: "completed" });
    expect(last.note).to.equal("Đã khôi phục toàn bộ 2 thiết bị lưu khóa bí mật nêu trong hồ sơ (Mẫu 06).");
    expect((await auditOf(id, "dossier.recovery_completed"))[0].details).to.include({ devices: 2 });
    // Still once per device and dossier.
    await api("device_officer", "POST", `/api/devices/${devices[0].id}/lock`, { failedAttempts: 5, reason: "Lại nhập sai" });
    const again = await svc.request("POST", `/api/devices/${devices[0].id}/recover`, { token: tok.device_officer, json: { dossierId: id } });
    expect(again.status).to.equal(409);
    expect((await again.json()).error.code).to.equal("recovery_dossier_used");
    expect((await verifyChain(svc.services.db)).ok).to.equal(true);
  });
});
