import { expect } from "chai";
import { startTestService, type TestService } from "../support/service";
import { sampleDossier, sampleSubscriber, subscriberCsv } from "../support/dossiers";
import { transitionDossier } from "../../src/ra/dossiers/transition";
import * as store from "../../src/store/dossiers";
import type { Actor } from "../../src/auth/actor";

const KINDS = ["individual", "organization", "device", "renewal_change", "revocation", "device_recovery"];

describe("request dossiers API", () => {
  let svc: TestService;
  let clerk: string;
  let reviewer: string;
  const reviewerActor: Actor = { id: "system", username: "reviewer-test", roles: ["reviewer"] };

  before(async () => {
    svc = await startTestService();
    clerk = await svc.userWithRoles("clerk1", ["clerk"]);
    reviewer = await svc.userWithRoles("reviewer1", ["reviewer"]);
  });
  after(() => svc.stop());

  const post = async (body: unknown, token = clerk) => {
    const r = await svc.request("POST", "/api/requests", { token, json: body });
    return { status: r.status, body: await r.json(), headers: r.headers };
  };
  const call = async (method: string, path: string, opts: { json?: unknown; body?: string; headers?: Record<string, string>; token?: string } = {}) => {
    const r = await svc.request(method, path, { token: clerk, ...opts });
    return { status: r.status, body: await r.json() };
  };
  const fieldsOf = (body: any): Record<string, any> =>
    Object.fromEntries(body.error.details.fields.map((f: any) => [f.field, f]));

  describe("authentication and roles", () => {
    it("refuses without a token (401)", async () => {
      const r = await svc.request("POST", "/api/requests", { json: sampleDossier() });
      expect(r.status).to.equal(401);
      expect((await svc.request("GET", "/api/requests")).status).to.equal(401);
    });
    it("lets a reviewer read but not create or edit (403, in Vietnamese)", async () => {
      const r = await post(sampleDossier(), reviewer);
      expect(r.status).to.equal(403);
      expect(r.body.error.message).to.match(/không có quyền/);
      const created = await post(sampleDossier());
      expect((await call("GET", `/api/requests/${created.body.id}`, { token: reviewer })).status).to.equal(200);
      expect((await call("GET", "/api/requests", { token: reviewer })).status).to.equal(200);
      expect((await call("PATCH", `/api/requests/${created.body.id}`, { token: reviewer, json: { note: "x" } })).status).to.equal(403);
    });
    it("lets the other roles read", async () => {
      for (const role of ["ca_operator", "device_officer", "auditor"] as const) {
        const t = await svc.userWithRoles(`reader-${role.replace("_", "-")}`, [role]);
        expect((await call("GET", "/api/requests", { token: t })).status, role).to.equal(200);
      }
      expect((await call("GET", "/api/requests", { token: svc.adminToken })).status).to.equal(200);
    });
  });

  describe("POST /api/requests", () => {
    it("creates a draft of every kind with its number, 201, top-level", async () => {
      const year = new Date(Date.now() + 7 * 3600_000).getUTCFullYear();
      for (const kind of KINDS) {
        const input = sampleDossier(kind);
        const r = await post(input);
        expect(r.status, JSON.stringify(r.body)).to.equal(201);
        expect(r.headers.get("location")).to.equal(`/api/requests/${r.body.id}`);
        expect(r.body.id).to.match(/^[0-9a-f-]{36}$/);
        expect(r.body.number).to.match(new RegExp(`^\\d{4}/${year}/HS$`));
        expect(r.body).to.include({ kind, status: "draft", version: 1, validSince: null, deadline: null, receivedAt: null, quantity: input.quantity, commitment: true, channel: "in_person" });
        expect(r.body.createdAt).to.equal(r.body.updatedAt);
        expect(r.body.agency.name).to.equal("Bộ Tài chính");
        expect(r.body.agency.phone).to.equal("02422202828");
        expect(r.body.receiver.fullName).to.equal("Trần Thị Nhận");
      }
    });

    it("echoes every field of the form, absent ones as null", async () => {
      const r = await post({ ...sampleDossier("individual", 2), receivedAt: "2026-11-20T08:15:00+07:00" });
      const s = r.body.subscribers[1];
      expect(Object.keys(s)).to.have.members([
        "fullName", "dateOfBirth", "idType", "idNumber", "idIssueDate", "idIssuePlace", "email", "workplace", "province", "position", "mobile", "previousCertificateSerial",
      ]);
      expect(s).to.include({ fullName: "Nguyễn Văn Thử 2", idNumber: "031085100001", previousCertificateSerial: null });
      expect(r.body.receivedAt).to.equal("2026-11-20T01:15:00.000Z");
      expect(r.body.assets).to.deep.equal([]);
      expect(r.body.note).to.equal(null);
      const dev = await post(sampleDossier("device", 2));
      expect(dev.body.assets[1]).to.deep.equal({ name: "Cổng dịch vụ công 2", kind: "service", identifier: "dvc2.mof.gov.vn" });
      const rev = await post(sampleDossier("revocation"));
      expect(rev.body).to.include({ reason: "keyCompromise", requestedAt: "2026-11-20T01:00:00.000Z" });
      expect(rev.body.certificates).to.deep.equal([{ serial: "a1b2c", holderName: null }, { serial: "a1b2d", holderName: null }]);
    });

    it("numbers dossiers uniquely and consecutively under concurrent creation", async () => {
      const results = await Promise.all(Array.from({ length: 12 }, () => post(sampleDossier("individual", 1))));
      const seqs = results.map((r) => Number(r.body.number.slice(0, 4))).sort((a, b) => a - b);
      expect(new Set(seqs).size).to.equal(12);
      expect(seqs[11] - seqs[0]).to.equal(11);
    });

    it("answers invalid input with 400 and a Vietnamese message per field path", async () => {
      const d = sampleDossier("individual", 4);
      d.subscribers[3].idNumber = "999085000001";
      d.subscribers[2].email = "nguoi3@@btc";
      d.subscribers[1].mobile = "0123456789";
      d.agency.taxCode = "123";
      d.quantity = 5;
      d.commitment = false;
      const r = await post(d);
      expect(r.status).to.equal(400);
      expect(r.body.error.code).to.equal("validation_failed");
      expect(r.body.error.message).to.match(/Dữ liệu không hợp lệ/);
      const f = fieldsOf(r.body);
      expect(f["subscribers.3.idNumber"].message).to.match(/"999" không phải mã tỉnh/);
      expect(f["subscribers.2.email"].message).to.match(/Thư điện tử công vụ: không đúng định dạng/);
      expect(f["subscribers.1.mobile"].message).to.match(/di động Việt Nam/);
      expect(f["agency.taxCode"].message).to.match(/Mã số thuế/);
      expect(f["quantity"].message).to.match(/không khớp/);
      expect(f["commitment"].message).to.match(/cam kết/);
    });

    it("refuses a duplicate identity number within the dossier", async () => {
      const d = sampleDossier("individual", 3);
      d.subscribers[2].idNumber = ` ${d.subscribers[0].idNumber.slice(0, 6)} ${d.subscribers[0].idNumber.slice(6)} `;
      const r = await post(d);
      expect(r.status).to.equal(400);
      expect(fieldsOf(r.body)["subscribers.2.idNumber"].message).to.match(/trùng với người ở dòng 1/);
    });

    it("stores NFD input as NFC", async () => {
      const d = sampleDossier("individual", 1);
      d.subscribers[0].fullName = "  Phạm Thị Ngọc Ánh ".normalize("NFD");
      d.agency.name = "Sở Thông tin và Truyền thông Đà Nẵng".normalize("NFD");
      const r = await post(d);
      expect(r.status).to.equal(201);
      expect(r.body.subscribers[0].fullName).to.equal("Phạm Thị Ngọc Ánh".normalize("NFC"));
      expect(r.body.agency.name).to.equal("Sở Thông tin và Truyền thông Đà Nẵng".normalize("NFC"));
      const row = await svc.services.db("dossier_subscribers").where({ dossier_id: r.body.id }).first();
      expect(row.full_name).to.equal("Phạm Thị Ngọc Ánh".normalize("NFC"));
    });

    it("refuses a body that is not a dossier, and an unknown kind, at `kind`", async () => {
      const r = await post({ kind: "personal" });
      expect(r.status).to.equal(400);
      expect(fieldsOf(r.body).kind.message).to.match(/Loại hồ sơ phải là một trong/);
      const csv = await svc.request("POST", "/api/requests", { token: clerk, body: "a,b", headers: { "content-type": "text/csv" } });
      expect(csv.status).to.equal(415);
    });

    it("keeps one list row per person and records creation in history and audit without personal data", async () => {
      const r = await post(sampleDossier("individual", 3));
      const rows = await svc.services.db("dossier_subscribers").where({ dossier_id: r.body.id }).orderBy("idx");
      expect(rows.map((x) => x.id_number)).to.deep.equal(["001085100000", "031085100001", "048085100002"]);
      const audit = await svc.services.db("audit_log").where({ object_id: r.body.id });
      expect(audit.map((a) => a.action)).to.deep.equal(["dossier.created"]);
      expect(audit[0].details).to.not.match(/001085100000|0912345678|Nguyễn/);
      expect(JSON.parse(audit[0].details)).to.include({ number: r.body.number, kind: "individual", quantity: 3 });
    });
  });

  describe("GET /api/requests/:id", () => {
    it("returns the dossier as created", async () => {
      const created = await post(sampleDossier("organization", 2));
      const r = await call("GET", `/api/requests/${created.body.id}`);
      expect(r.status).to.equal(200);
      expect(r.body).to.deep.equal(created.body);
    });
    it("answers 404 for an unknown id and 400 for a malformed one", async () => {
      const nf = await call("GET", "/api/requests/00000000-0000-4000-8000-000000000000");
      expect(nf.status).to.equal(404);
      expect(nf.body.error.code).to.equal("dossier_not_found");
      expect(nf.body.error.message).to.match(/Không tìm thấy hồ sơ/);
      expect((await call("GET", "/api/requests/abc")).status).to.equal(400);
    });
  });

  describe("GET /api/requests (filters, pagination)", () => {
    let local: TestService;
    let token: string;
    const ids: Record<string, string> = {};
    before(async () => {
      local = await startTestService();
      token = await local.userWithRoles("clerk2", ["clerk"]);
      const make = async (name: string, body: Record<string, any>) => {
        const r = await local.request("POST", "/api/requests", { token, json: body });
        const b = await r.json();
        if (r.status !== 201) throw new Error(JSON.stringify(b));
        ids[name] = b.id;
      };
      await make("mof1", { ...sampleDossier("individual", 2), receivedAt: "2026-11-02T10:00:00+07:00" });
      await make("mof2", { ...sampleDossier("device", 1), receivedAt: "2026-11-10" });
      const dn = sampleDossier("individual", 1);
      dn.agency.name = "Sở Thông tin và Truyền thông thành phố Đà Nẵng";
      dn.subscribers[0].fullName = "Đặng Thị Hồng Nhung";
      await make("danang", { ...dn, receivedAt: "2026-11-15T23:30:00+07:00" });
      await make("hcm", { ...sampleDossier("revocation"), agency: { ...sampleDossier().agency, name: "Ủy ban nhân dân Thành phố Hồ Chí Minh" } });
      for (let i = 0; i < 6; i++) await make(`extra${i}`, sampleDossier("organization", 1));
      await transitionDossier(local.services.db, reviewerActor, ids.mof2, { action: "received", to: "received" });
    });
    after(() => local.stop());
    const list = async (qs: string) => {
      const r = await local.request("GET", `/api/requests?${qs}`, { token });
      const b = await r.json();
      expect(r.status, JSON.stringify(b)).to.equal(200);
      return b;
    };

    it("pages with total, limit and offset, newest first", async () => {
      const p1 = await list("limit=4&offset=0");
      const p2 = await list("limit=4&offset=4");
      const p3 = await list("limit=4&offset=8");
      expect(p1).to.include({ total: 10, limit: 4, offset: 0 });
      expect(p1.items).to.have.length(4);
      expect(p3.items).to.have.length(2);
      const all = [...p1.items, ...p2.items, ...p3.items].map((i: any) => i.id);
      expect(new Set(all).size).to.equal(10);
      expect(p3.items[1].id).to.equal(ids.mof1);
      expect(Object.keys(p1.items[0])).to.include.members(["id", "number", "kind", "status", "agencyName", "quantity", "receivedAt", "version"]);
      expect(p1.items[0]).to.not.have.property("subscribers");
    });
    it("filters by kind and status (one or several)", async () => {
      expect((await list("kind=device")).items.map((i: any) => i.id)).to.deep.equal([ids.mof2]);
      expect((await list("status=received")).items.map((i: any) => i.id)).to.deep.equal([ids.mof2]);
      expect((await list("status=received,draft")).total).to.equal(10);
      expect((await list("kind=revocation&status=draft")).items.map((i: any) => i.id)).to.deep.equal([ids.hcm]);
    });
    it("filters by agency regardless of case and diacritics", async () => {
      expect((await list(`agency=${encodeURIComponent("da nang")}`)).items.map((i: any) => i.id)).to.deep.equal([ids.danang]);
      expect((await list(`agency=${encodeURIComponent("ĐÀ NẴNG")}`)).total).to.equal(1);
      expect((await list(`agency=${encodeURIComponent("hồ chí minh")}`)).items.map((i: any) => i.id)).to.deep.equal([ids.hcm]);
      expect((await list(`agency=${encodeURIComponent("tai chinh")}`)).total).to.equal(8);
      expect((await list(`agency=${encodeURIComponent("100%_")}`)).total).to.equal(0);
    });
    it("filters by received period (days in Viet Nam, inclusive)", async () => {
      expect((await list("receivedFrom=2026-11-01&receivedTo=2026-11-10")).items.map((i: any) => i.id)).to.have.members([ids.mof1, ids.mof2]);
      expect((await list("receivedFrom=2026-11-11")).items.map((i: any) => i.id)).to.deep.equal([ids.danang]);
      expect((await list("receivedTo=2026-11-15")).total).to.equal(3);
      expect((await list("receivedTo=2026-11-14")).total).to.equal(2);
    });
    it("searches free text over number, agency and people's names", async () => {
      expect((await list(`q=${encodeURIComponent("hong nhung")}`)).items.map((i: any) => i.id)).to.deep.equal([ids.danang]);
      const one = await local.request("GET", `/api/requests/${ids.hcm}`, { token });
      const number = (await one.json()).number;
      expect((await list(`q=${encodeURIComponent(number.toLowerCase())}`)).items.map((i: any) => i.id)).to.deep.equal([ids.hcm]);
      expect((await list(`q=${encodeURIComponent("Thử 2")}`)).items.map((i: any) => i.id)).to.deep.equal([ids.mof1]);
    });
    it("refuses bad filters with Vietnamese messages", async () => {
      const r = await local.request("GET", "/api/requests?kind=x&status=open&receivedFrom=hôm-qua&limit=0", { token });
      expect(r.status).to.equal(400);
      const f = fieldsOf(await r.json());
      expect(Object.keys(f)).to.include.members(["kind", "status.0", "receivedFrom", "limit"]);
      expect(f.kind.message).to.match(/Loại hồ sơ/);
    });
  });

  describe("PATCH /api/requests/:id", () => {
    it("merges top-level fields, validates the whole, bumps the version and records the change", async () => {
      const c = await post(sampleDossier("individual", 2));
      const agency = { ...c.body.agency, phone: "024 3822 9999", fax: null };
      const r = await call("PATCH", `/api/requests/${c.body.id}`, { json: { agency, note: "Bổ sung số điện thoại", version: 1 } });
      expect(r.status, JSON.stringify(r.body)).to.equal(200);
      expect(r.body.version).to.equal(2);
      expect(r.body.agency.phone).to.equal("02438229999");
      expect(r.body.agency.fax).to.equal(null);
      expect(r.body.note).to.equal("Bổ sung số điện thoại");
      expect(r.body.subscribers).to.have.length(2);
      expect(r.body.updatedAt >= r.body.createdAt).to.equal(true);
      const h = await call("GET", `/api/requests/${c.body.id}/history`);
      expect(h.status).to.equal(200);
      expect(h.body.items.map((i: any) => [i.version, i.action, i.actor])).to.deep.equal([[1, "created", "clerk1"], [2, "updated", "clerk1"]]);
      const changes = h.body.items[1].changes;
      expect(changes).to.deep.include({ field: "agency.phone", from: "02422202828", to: "02438229999" });
      expect(changes).to.deep.include({ field: "agency.fax", from: "02422208091", to: null });
      expect(changes).to.deep.include({ field: "note", from: null, to: "Bổ sung số điện thoại" });
      const audit = await svc.services.db("audit_log").where({ object_id: c.body.id, action: "dossier.updated" }).first();
      expect(JSON.parse(audit.details).fields).to.deep.equal(["agency.fax", "agency.phone", "note"]);
    });

    it("replaces a list whole and keeps quantity honest", async () => {
      const c = await post(sampleDossier("individual", 2));
      const three = [sampleSubscriber(5), sampleSubscriber(6), sampleSubscriber(7)];
      const bad = await call("PATCH", `/api/requests/${c.body.id}`, { json: { subscribers: three } });
      expect(bad.status).to.equal(400);
      expect(fieldsOf(bad.body).quantity.message).to.match(/\(2\).*\(3\)/);
      const good = await call("PATCH", `/api/requests/${c.body.id}`, { json: { subscribers: three, quantity: 3 } });
      expect(good.status).to.equal(200);
      expect(good.body.subscribers.map((s: any) => s.fullName)).to.deep.equal(["Nguyễn Văn Thử 6", "Nguyễn Văn Thử 7", "Nguyễn Văn Thử 8"]);
      const rows = await svc.services.db("dossier_subscribers").where({ dossier_id: c.body.id });
      expect(rows).to.have.length(3);
      const h = await call("GET", `/api/requests/${c.body.id}/history`);
      const listChange = h.body.items[1].changes.find((x: any) => x.field === "subscribers");
      expect(listChange.list).to.include({ before: 2, after: 3, added: 1 });
    });

    it("reports field paths of the merged dossier, refuses a kind change and a stale version", async () => {
      const c = await post(sampleDossier("individual", 2));
      const r = await call("PATCH", `/api/requests/${c.body.id}`, { json: { receiver: { fullName: "A", idNumber: "1", mobile: "1" } } });
      expect(r.status).to.equal(400);
      expect(Object.keys(fieldsOf(r.body))).to.include.members(["receiver.idNumber", "receiver.mobile"]);
      const k = await call("PATCH", `/api/requests/${c.body.id}`, { json: { kind: "device" } });
      expect(k.status).to.equal(400);
      expect(k.body.error.code).to.equal("dossier_kind_immutable");
      const stale = await call("PATCH", `/api/requests/${c.body.id}`, { json: { note: "x", version: 7 } });
      expect(stale.status).to.equal(409);
      expect(stale.body.error.message).to.match(/người khác cập nhật/);
      const st = await call("PATCH", `/api/requests/${c.body.id}`, { json: { status: "accepted", note: "x" } });
      expect(st.status).to.equal(400);
      expect(st.body.error.message).to.match(/Không sửa trực tiếp trạng thái/);
      const badVersion = await call("PATCH", `/api/requests/${c.body.id}`, { json: { note: "x", version: "1" } });
      expect(badVersion.status).to.equal(400);
      expect(badVersion.body.error.details.fields[0].field).to.equal("version");
      const arr = await call("PATCH", `/api/requests/${c.body.id}`, { json: [1] });
      expect(arr.status).to.equal(400);
      const empty = await call("PATCH", `/api/requests/${c.body.id}`, { json: { id: "x" } });
      expect(empty.status).to.equal(400);
      expect(empty.body.error.code).to.equal("patch_empty");
    });

    it("takes back the dossier as GET returned it, changing only what was edited", async () => {
      for (const kind of KINDS) {
        const c = await post(sampleDossier(kind));
        const got = (await call("GET", `/api/requests/${c.body.id}`)).body;
        const r = await call("PATCH", `/api/requests/${c.body.id}`, { json: { ...got, channel: "post" } });
        expect(r.status, `${kind}: ${JSON.stringify(r.body)}`).to.equal(200);
        expect(r.body).to.deep.equal({ ...got, channel: "post", version: 2, updatedAt: r.body.updatedAt });
        const h = await call("GET", `/api/requests/${c.body.id}/history`);
        expect(h.body.items[1].changes).to.deep.equal([{ field: "channel", from: "in_person", to: "post" }]);
      }
    });

    it("names a field that is not on the form instead of ignoring it", async () => {
      const c = await post(sampleDossier("individual", 1));
      const r = await call("PATCH", `/api/requests/${c.body.id}`, { json: { subcribers: [] } });
      expect(r.status).to.equal(400);
      expect(r.body.error.details.fields[0].message).to.match(/không có trong mẫu hồ sơ.*subcribers/);
    });

    it("removes an optional field with null", async () => {
      const c = await post(sampleDossier("individual", 1));
      const r = await call("PATCH", `/api/requests/${c.body.id}`, { json: { receiver: null } });
      expect(r.status).to.equal(200);
      expect(r.body.receiver).to.equal(null);
    });

    it("changes nothing and keeps the version when the patch equals the dossier", async () => {
      const c = await post(sampleDossier("individual", 1));
      const r = await call("PATCH", `/api/requests/${c.body.id}`, { json: { channel: "in_person" } });
      expect(r.body.version).to.equal(1);
    });

    it("is refused with 409 once received, and allowed again while awaiting correction", async () => {
      const c = await post(sampleDossier("individual", 1));
      const db = svc.services.db;
      const received = await db.transaction((trx) => transitionDossier(trx, reviewerActor, c.body.id, { action: "received", to: "received", receivedAt: "2026-11-25T02:00:00.000Z" }));
      expect(received.version).to.equal(2);
      expect(received.receivedAt).to.equal("2026-11-25T02:00:00.000Z");
      const r = await call("PATCH", `/api/requests/${c.body.id}`, { json: { note: "muộn" } });
      expect(r.status).to.equal(409);
      expect(r.body.error.code).to.equal("dossier_not_editable");
      expect(r.body.error.message).to.match(/trạng thái "đã tiếp nhận".*bản nháp hoặc đang chờ bổ sung/);
      const put = await svc.request("PUT", `/api/requests/${c.body.id}/subscribers`, { token: clerk, json: [sampleSubscriber(1)] });
      expect(put.status).to.equal(409);
      await db.transaction((trx) => transitionDossier(trx, reviewerActor, c.body.id, { action: "returned", to: "needs_correction", note: "Thiếu số fax" }));
      const ok = await call("PATCH", `/api/requests/${c.body.id}`, { json: { note: "Đã bổ sung" } });
      expect(ok.status).to.equal(200);
      // The edit answers the request for correction (review: needs_correction → corrected).
      expect(ok.body).to.include({ version: 4, status: "corrected", receivedAt: "2026-11-25T02:00:00.000Z", note: "Đã bổ sung" });
      const h = await call("GET", `/api/requests/${c.body.id}/history`);
      expect(h.body.items.map((i: any) => `${i.version}:${i.action}:${i.fromStatus}->${i.toStatus}`)).to.deep.equal([
        "1:created:null->draft", "2:received:draft->received", "3:returned:received->needs_correction", "4:updated:needs_correction->corrected",
      ]);
      expect(h.body.items[2].note).to.equal("Thiếu số fax");
    });

    it("answers 404 for an unknown dossier", async () => {
      const r = await call("PATCH", "/api/requests/00000000-0000-4000-8000-000000000000", { json: { note: "x" } });
      expect(r.status).to.equal(404);
    });
  });

  describe("PUT /api/requests/:id/subscribers", () => {
    const putCsv = (id: string, csv: string, qs = "") =>
      svc.request("PUT", `/api/requests/${id}/subscribers${qs}`, { token: clerk, body: csv, headers: { "content-type": "text/csv; charset=utf-8" } });

    it("replaces the list from a Mẫu 01 CSV with Vietnamese headers and updates quantity", async () => {
      const c = await post(sampleDossier("individual", 1));
      const people = [sampleSubscriber(10), sampleSubscriber(11), sampleSubscriber(12)];
      const r = await putCsv(c.body.id, subscriberCsv(people));
      const b = await r.json();
      expect(r.status, JSON.stringify(b)).to.equal(200);
      expect(b).to.include({ quantity: 3, version: 2 });
      expect(b.subscribers[2]).to.include({ fullName: "Nguyễn Văn Thử 13", dateOfBirth: "1985-03-05", idIssueDate: "2021-06-15", idNumber: people[2].idNumber });
      const n = await svc.services.db("dossier_subscribers").where({ dossier_id: c.body.id }).count({ n: "*" }).first();
      expect(Number(n!.n)).to.equal(3);
      const h = await call("GET", `/api/requests/${c.body.id}/history`);
      expect(h.body.items[1].action).to.equal("subscribers_replaced");
      expect(h.body.items[1].changes.map((x: any) => x.field)).to.have.members(["quantity", "subscribers"]);
    });

    it("reports every problem by row and column, in Vietnamese, and changes nothing", async () => {
      const c = await post(sampleDossier("individual", 1));
      const people = [sampleSubscriber(20), sampleSubscriber(21), sampleSubscriber(22), sampleSubscriber(23)];
      people[1].idNumber = "123456789012"; // province 123 does not exist
      people[2].email = "khong-phai-email";
      people[3].idNumber = people[0].idNumber;
      const csv = subscriberCsv(people).replace("05/03/1985", "31/02/1985");
      const r = await putCsv(c.body.id, csv);
      expect(r.status).to.equal(400);
      const { error } = await r.json();
      expect(error.code).to.equal("validation_failed");
      expect(error.message).to.match(/Danh sách có 4 lỗi/);
      const byRow = error.details.fields.map((f: any) => [f.row, f.line, f.column, f.field]);
      expect(byRow).to.deep.equal([
        [1, 2, "Ngày sinh", "subscribers.0.dateOfBirth"],
        [2, 3, "Số CCCD/CMND/Hộ chiếu", "subscribers.1.idNumber"],
        [3, 4, "Thư điện tử công vụ", "subscribers.2.email"],
        [4, 5, "Số CCCD/CMND/Hộ chiếu", "subscribers.3.idNumber"],
      ]);
      expect(error.details.fields[1].message).to.match(/"123" không phải mã tỉnh/);
      expect(error.details.fields[3].message).to.match(/trùng với người ở dòng 1/);
      const after = await call("GET", `/api/requests/${c.body.id}`);
      expect(after.body).to.include({ version: 1, quantity: 1 });
    });

    it("names a missing column and an unreadable file", async () => {
      const c = await post(sampleDossier("individual", 1));
      const r = await putCsv(c.body.id, subscriberCsv([sampleSubscriber(0)]).replace("Họ và tên", "Tên"));
      expect(r.status).to.equal(400);
      expect((await r.json()).error.message).to.match(/thiếu cột bắt buộc "Họ và tên"/);
      const broken = await putCsv(c.body.id, 'Họ và tên\n"không đóng ngoặc\n');
      expect(broken.status).to.equal(400);
      const xml = await svc.request("PUT", `/api/requests/${c.body.id}/subscribers`, { token: clerk, body: "<a/>", headers: { "content-type": "application/xml" } });
      expect(xml.status).to.equal(415);
    });

    it("accepts the list as a JSON array, with JSON field paths and rows", async () => {
      const c = await post(sampleDossier("organization", 1));
      const people = [sampleSubscriber(30), { ...sampleSubscriber(31), mobile: "12" }];
      const bad = await svc.request("PUT", `/api/requests/${c.body.id}/subscribers`, { token: clerk, json: people });
      expect(bad.status).to.equal(400);
      const f = (await bad.json()).error.details.fields[0];
      expect(f).to.include({ field: "subscribers.1.mobile", row: 2 });
      expect(f.message).to.match(/Số điện thoại di động/);
      people[1].mobile = "0355123456";
      const ok = await svc.request("PUT", `/api/requests/${c.body.id}/subscribers?version=1`, { token: clerk, json: people });
      expect(ok.status).to.equal(200);
      expect((await ok.json()).quantity).to.equal(2);
      const stale = await svc.request("PUT", `/api/requests/${c.body.id}/subscribers?version=1`, { token: clerk, json: people });
      expect(stale.status).to.equal(409);
    });

    it("takes a 2,000-person list", async () => {
      const c = await post(sampleDossier("individual", 1));
      const people = Array.from({ length: 2000 }, (_, i) => sampleSubscriber(1000 + i));
      const csv = subscriberCsv(people);
      const r = await putCsv(c.body.id, csv);
      const b = await r.json();
      expect(r.status, JSON.stringify(b).slice(0, 500)).to.equal(200);
      expect(b.quantity).to.equal(2000);
      expect(b.subscribers).to.have.length(2000);
      expect(b.subscribers[1999]).to.include({ fullName: "Nguyễn Văn Thử 3000", idNumber: people[1999].idNumber });
      const n = await svc.services.db("dossier_subscribers").where({ dossier_id: c.body.id }).count({ n: "*" }).first();
      expect(Number(n!.n)).to.equal(2000);
      const got = await call("GET", `/api/requests/${c.body.id}`);
      expect(got.body.subscribers).to.have.length(2000);
      const found = await call("GET", `/api/requests?q=${encodeURIComponent("thu 2999")}`);
      expect(found.body.items.map((i: any) => i.id)).to.include(c.body.id);
      // One error among 2,000 rows is found and placed.
      people[1500].idNumber = people[3].idNumber;
      const dup = await putCsv(c.body.id, subscriberCsv(people));
      expect(dup.status).to.equal(400);
      const fields = (await dup.json()).error.details.fields;
      expect(fields).to.have.length(1);
      expect(fields[0]).to.include({ row: 1501, line: 1502, field: "subscribers.1500.idNumber" });
    });

    it("offers an empty CSV template that reads back with the same headers", async () => {
      const r = await svc.request("GET", "/api/requests/templates/subscribers.csv", { token: clerk });
      expect(r.status).to.equal(200);
      expect(r.headers.get("content-type")).to.match(/^text\/csv/);
      const bytes = Buffer.from(await r.arrayBuffer());
      expect([...bytes.subarray(0, 3)]).to.deep.equal([0xef, 0xbb, 0xbf]); // BOM, so Excel reads UTF-8
      const text = bytes.toString("utf8");
      expect(text.startsWith("\uFEFFSTT,Họ và tên,Ngày sinh,Loại giấy tờ,Số CCCD/CMND/Hộ chiếu")).to.equal(true);
      const row = subscriberCsv([sampleSubscriber(0)], { bom: false }).split("\r\n")[1];
      const c = await post(sampleDossier("individual", 2));
      const put = await putCsv(c.body.id, text + row + "\r\n");
      expect(put.status).to.equal(200);
      expect((await put.json()).quantity).to.equal(1);
    });

    it("takes a 2,000-person list in the JSON of POST too", async () => {
      const r = await post(sampleDossier("individual", 2000));
      expect(r.status).to.equal(201);
      expect(r.body.quantity).to.equal(2000);
      expect(r.body.subscribers[1999].fullName).to.equal("Nguyễn Văn Thử 2000");
    });

    it("finds the same identity number across dossiers", async () => {
      const a = await post(sampleDossier("individual", 1));
      const b = await post(sampleDossier("organization", 2));
      const hits = await store.findByIdNumber(svc.services.db, sampleSubscriber(0).idNumber);
      const ids = hits.map((h) => h.dossierId);
      expect(ids).to.include.members([a.body.id, b.body.id]);
      const dup = await call("GET", `/api/requests/${b.body.id}/duplicates`);
      expect(dup.status).to.equal(200);
      const mine = dup.body.items.filter((x: any) => x.otherDossier.id === a.body.id);
      expect(mine).to.deep.equal([{
        row: 1, fullName: "Nguyễn Văn Thử 1", idNumber: sampleSubscriber(0).idNumber,
        otherDossier: { id: a.body.id, number: a.body.number, status: "draft", row: 1, fullName: "Nguyễn Văn Thử 1" },
      }]);
      expect(dup.body.items.every((x: any) => x.otherDossier.id !== b.body.id)).to.equal(true);
    });

    it("refuses a list for a kind that has none", async () => {
      const c = await post(sampleDossier("revocation"));
      const r = await svc.request("PUT", `/api/requests/${c.body.id}/subscribers`, { token: clerk, json: [sampleSubscriber(0)] });
      expect(r.status).to.equal(409);
      expect((await r.json()).error.code).to.equal("subscribers_not_supported");
    });
  });

  describe("GET /api/requests/:id/history", () => {
    it("answers 404 for an unknown dossier", async () => {
      expect((await call("GET", "/api/requests/00000000-0000-4000-8000-000000000000/history")).status).to.equal(404);
    });
  });

  it("documents the routes in OpenAPI from the same schemas", async () => {
    const doc = await (await svc.request("GET", "/api/openapi.json")).json();
    expect(doc.paths["/api/requests"].post["x-policy-action"]).to.equal("dossier.create");
    expect(doc.paths["/api/requests/{id}/subscribers"].put.requestBody.content).to.have.property("text/csv");
    expect(JSON.stringify(doc.paths["/api/requests"].post.requestBody)).to.include("subscribers");
  });
});
