import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { execFileSync } from "node:child_process";
import { expect } from "chai";
import type { TestService } from "../support/service";
import { startServiceWithSmtp, type LoopbackSmtp } from "../support/smtp";
import { hasCommand, requirePeer } from "../support/peers";
import { individualDossier } from "../support/reviewDossiers";

describe("review workflow (HTTP, real SMTP on loopback)", () => {
  let smtp: LoopbackSmtp;
  let svc: TestService;
  let clerk: string;
  let reviewer: string;
  before(async () => {
    ({ smtp } = svc = await startServiceWithSmtp());
    clerk = await svc.userWithRoles("clerk1", ["clerk"]);
    reviewer = await svc.userWithRoles("reviewer1", ["reviewer"]);
  });
  after(async () => svc?.stop());

  const call = async (method: string, p: string, token: string, json?: unknown) => {
    const r = await svc.request(method, p, { token, json });
    const text = await r.text();
    return { status: r.status, body: text ? JSON.parse(text) : undefined };
  };
  const create = async (body = individualDossier()) => {
    const r = await call("POST", "/api/requests", clerk, body);
    expect(r.status, JSON.stringify(r.body)).to.equal(201);
    return r.body as { id: string; number: string; status: string };
  };

  it("takes a dossier from draft through correction, resubmission and acceptance, recording who, when and why", async function () {
    requirePeer(this, "pdftotext", hasCommand("pdftotext"), "apt-get install poppler-utils");
    const d = await create();
    expect(d.status).to.equal("draft");

    // Only a clerk submits; a Friday receipt is due at 24:00 on Wednesday.
    expect((await call("POST", `/api/requests/${d.id}/submit`, reviewer, {})).status).to.equal(403);
    let r = await call("POST", `/api/requests/${d.id}/submit`, clerk, { receivedAt: "2026-03-13T09:00:00+07:00" });
    expect(r.status, JSON.stringify(r.body)).to.equal(200);
    expect(r.body).to.include({
      status: "received", receivedAt: "2026-03-13T02:00:00.000Z", validSince: "2026-03-13T02:00:00.000Z",
      deadline: "2026-03-18T17:00:00.000Z", deadlineDate: "2026-03-18",
    });

    // Nobody reviews without the reviewer role: not the clerk, not the admin.
    for (const token of [clerk, svc.adminToken]) {
      const f = await call("POST", `/api/requests/${d.id}/review`, token, { action: "start" });
      expect(f.status).to.equal(403);
    }
    // A decision before the review has started is a 409 naming both states in Vietnamese.
    r = await call("POST", `/api/requests/${d.id}/review`, reviewer, { action: "accept" });
    expect(r.status).to.equal(409);
    expect(r.body.error.code).to.equal("invalid_transition");
    expect(r.body.error.message).to.include('"đã tiếp nhận"').and.include('"đã chấp thuận"');

    r = await call("POST", `/api/requests/${d.id}/review`, reviewer, { action: "start" });
    expect(r.body.status).to.equal("under_review");

    // A request for correction needs deficiencies that exist in the dossier.
    r = await call("POST", `/api/requests/${d.id}/review`, reviewer, { action: "request_correction", deficiencies: [] });
    expect(r.status).to.equal(400);
    expect(r.body.error.code).to.equal("deficiencies_required");
    r = await call("POST", `/api/requests/${d.id}/review`, reviewer, {
      action: "request_correction", deficiencies: [{ field: "subscribers.email", row: 9, reason: "x" }],
    });
    expect(r.status).to.equal(400);
    expect(r.body.error.message).to.include("không có dòng số 9");
    r = await call("POST", `/api/requests/${d.id}/review`, reviewer, {
      action: "request_correction", deficiencies: [{ field: "khong.co", reason: "x" }],
    });
    expect(r.status).to.equal(400);

    r = await call("POST", `/api/requests/${d.id}/review`, reviewer, {
      action: "request_correction",
      reason: "Hồ sơ chưa đầy đủ",
      deficiencies: [
        { field: "subscribers.email", row: 2, code: "not_official_email" },
        { field: "agency.headOfficeAddress", reason: "Thiếu số nhà và tên đường của trụ sở" },
      ],
    });
    expect(r.status, JSON.stringify(r.body)).to.equal(200);
    // The clock stops: validSince and deadline are cleared, the first receipt stays.
    expect(r.body).to.include({ status: "needs_correction", validSince: null, deadline: null, receivedAt: "2026-03-13T02:00:00.000Z" });

    // The correction mail was written with the decision and goes out through the outbox.
    const jobs = await svc.services.db("outbox").where({ kind: "mail.correction_request" });
    expect(jobs).to.have.length(1);
    await svc.drainOutbox();
    expect(smtp.received).to.have.length(1);
    const mail = smtp.received[0];
    expect(mail.envelopeTo.sort()).to.deep.equal(["lvcuong@stc.hue.gov.vn", "vanthu@stc.hue.gov.vn"]);
    expect(mail.parsed.subject).to.include(d.number).and.include("Yêu cầu bổ sung");
    expect(mail.parsed.text).to.include("Thư điện tử công vụ – dòng số 2 (Trần Thị Bình): Thư điện tử không phải thư điện tử công vụ");
    expect(mail.parsed.text).to.include("Địa chỉ trụ sở: Thiếu số nhà và tên đường của trụ sở");
    expect(mail.parsed.html).to.include("Trần Thị Bình").and.include("Thiếu số nhà và tên đường của trụ sở");
    expect(mail.parsed.attachments[0].contentType).to.equal("application/pdf");
    {
      const f = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "n-")), "n.pdf");
      fs.writeFileSync(f, mail.parsed.attachments[0].content);
      // The official notice from the documents engine, read back by poppler (cells wrap: flatten whitespace).
      const text = execFileSync("pdftotext", ["-raw", f, "-"], { encoding: "utf8" }).replace(/\s+/g, " ");
      expect(text).to.include("THÔNG BÁO").and.include(d.number);
      expect(text).to.include("Thiếu số nhà và tên đường của trụ sở");
      expect(text).to.include("dòng 2 (Trần Thị Bình)");
      // Stored as the dossier's correction notice, with its SHA-256, and the mail carries those bytes.
      const docs = await svc.services.db("documents").where({ dossier_id: d.id, kind: "correction_notice" });
      expect(docs).to.have.length(1);
      expect(docs[0].sha256).to.equal(crypto.createHash("sha256").update(mail.parsed.attachments[0].content).digest("hex"));
    }

    r = await call("GET", `/api/requests/${d.id}/deficiencies`, clerk);
    expect(r.body.total).to.equal(2);
    expect(r.body.items[0]).to.include({ round: 1, field: "subscribers.email", row: 2, rowLabel: "Trần Thị Bình", requestedBy: "reviewer1" });

    // The agency cannot resubmit unchanged; a PATCH answers the request (→ corrected); submit starts a new clock.
    r = await call("POST", `/api/requests/${d.id}/submit`, clerk, {});
    expect(r.status).to.equal(409);
    expect(r.body.error.message).to.include('"chờ bổ sung, sửa đổi"');
    const fixed = individualDossier().subscribers;
    fixed[1].email = "ttbinh@hue.gov.vn";
    r = await call("PATCH", `/api/requests/${d.id}`, clerk, { subscribers: fixed });
    expect(r.status, JSON.stringify(r.body)).to.equal(200);
    expect(r.body.status).to.equal("corrected");
    r = await call("POST", `/api/requests/${d.id}/submit`, clerk, { receivedAt: "2026-03-20T10:00:00+07:00" });
    expect(r.body).to.include({
      status: "received", receivedAt: "2026-03-13T02:00:00.000Z", validSince: "2026-03-20T03:00:00.000Z",
      deadline: "2026-03-25T17:00:00.000Z", deadlineDate: "2026-03-25",
    });

    await call("POST", `/api/requests/${d.id}/review`, reviewer, { action: "start" });
    r = await call("POST", `/api/requests/${d.id}/review`, reviewer, { action: "accept", reason: "Đủ điều kiện" });
    expect(r.body.status).to.equal("accepted");
    await svc.drainOutbox();
    expect(smtp.received).to.have.length(2);
    expect(smtp.received[1].parsed.subject).to.include("đã được chấp nhận");

    // History: every transition with actor, time and reason.
    r = await call("GET", `/api/requests/${d.id}/history`, clerk);
    const steps = (r.body.items as { action: string; actor: string; at: string; fromStatus: string; toStatus: string; note: string | null }[])
      .filter((h) => h.fromStatus !== h.toStatus || h.action !== "updated");
    expect(steps.map((h) => `${h.action}:${h.fromStatus}>${h.toStatus}:${h.actor}`)).to.include.members([
      "received:draft>received:clerk1",
      "review_started:received>under_review:reviewer1",
      "correction_requested:under_review>needs_correction:reviewer1",
      "updated:needs_correction>corrected:clerk1",
      "resubmitted:corrected>received:clerk1",
      "accepted:under_review>accepted:reviewer1",
    ]);
    expect(steps.find((h) => h.action === "correction_requested")!.note).to.equal("Hồ sơ chưa đầy đủ");
    const audit = await svc.services.db("audit_log").where({ object_id: d.id }).orderBy("seq");
    const actions = audit.map((a) => a.action);
    expect(actions).to.include.members(["dossier.received", "dossier.review_started", "dossier.correction_requested", "dossier.resubmitted", "dossier.accepted"]);
    const cr = audit.find((a) => a.action === "dossier.correction_requested");
    expect(cr.actor).to.equal("reviewer1");
    expect(JSON.parse(cr.details)).to.include({ reason: "Hồ sơ chưa đầy đủ", deficiencies: 2 });
  });

  it("rejects only with a reason, and e-mails the reason", async () => {
    const d = await create();
    await call("POST", `/api/requests/${d.id}/submit`, clerk, {});
    await call("POST", `/api/requests/${d.id}/review`, reviewer, { action: "start" });
    let r = await call("POST", `/api/requests/${d.id}/review`, reviewer, { action: "reject" });
    expect(r.status).to.equal(400);
    expect(r.body.error.code).to.equal("reason_required");
    r = await call("POST", `/api/requests/${d.id}/review`, reviewer, { action: "reject", reason: "Cơ quan không thuộc đối tượng được cấp" });
    expect(r.body.status).to.equal("rejected");
    const before = smtp.received.length;
    await svc.drainOutbox();
    const m = smtp.received.slice(before).find((x) => x.parsed.subject!.includes(d.number))!;
    expect(m.parsed.text).to.include("Lý do: Cơ quan không thuộc đối tượng được cấp");
    r = await call("POST", `/api/requests/${d.id}/review`, reviewer, { action: "start" });
    expect(r.status).to.equal(409);
    expect(r.body.error.message).to.include('"bị từ chối"');
  });

  it("serves the catalogue of common deficiency reasons", async () => {
    const r = await call("GET", "/api/review/deficiency-reasons", reviewer);
    expect(r.status).to.equal(200);
    expect(r.body.total).to.be.greaterThan(10);
    expect(r.body.items.find((x: { code: string }) => x.code === "not_official_email").reason).to.match(/thư điện tử công vụ/);
  });

  it("shows the reviewer findings: a valid certificate, an identity in another open dossier, contradicting agency data", async () => {
    const shared = { fullName: "Phạm Minh Đức", idNumber: "046085009999", email: "pmduc@sxd.hue.gov.vn" };
    const agency = "Sở Xây dựng tỉnh Thừa Thiên Huế";
    const a = await create(individualDossier({ agencyName: agency, taxCode: "3300101234", people: [shared] }));
    await call("POST", `/api/requests/${a.id}/submit`, clerk, {});
    const b = await create(individualDossier({
      agencyName: agency, taxCode: "3300109999", people: [{ fullName: "Hồ Thị Lan", idNumber: "046185008888", email: "htlan@sxd.hue.gov.vn" }, shared],
    }));
    await call("POST", `/api/requests/${b.id}/submit`, clerk, {});
    // An issued, unexpired certificate for Hồ Thị Lan (the CA capability writes these rows).
    const db = svc.services.db;
    const now = new Date().toISOString();
    await db("cas").insert({
      name: "test-ca", role: "issuing", subject_dn: "CN=Test", certificate: Buffer.from([0]), key_storage: "encrypted", key_algorithm: "ec-p256",
      not_before: now, not_after: "2036-01-01T00:00:00.000Z", created_at: now,
    });
    await db("certificates").insert({
      serial: "5a11ce", ca_name: "test-ca", status: "issued", profile: "individual", uid: "CCCD:046185008888",
      not_before: now, not_after: "2028-01-01T00:00:00.000Z", created_at: now,
    });
    // An expired one for the other person does not count.
    await db("certificates").insert({
      serial: "0ld", ca_name: "test-ca", status: "issued", profile: "individual", uid: "CCCD:046085009999",
      not_before: "2020-01-01T00:00:00.000Z", not_after: "2023-01-01T00:00:00.000Z", created_at: now,
    });

    const r = await call("GET", `/api/requests/${b.id}/findings`, reviewer);
    expect(r.status).to.equal(200);
    const byCode = (c: string) => r.body.items.filter((f: { code: string }) => f.code === c);
    expect(byCode("valid_certificate")).to.have.length(1);
    expect(byCode("valid_certificate")[0]).to.include({ field: "subscribers.idNumber", row: 1 });
    expect(byCode("valid_certificate")[0].message).to.include("Hồ Thị Lan").and.include("5a11ce");
    expect(byCode("id_in_open_dossier")).to.have.length(1);
    expect(byCode("id_in_open_dossier")[0]).to.include({ row: 2 });
    expect(byCode("id_in_open_dossier")[0].details.dossierNumber).to.equal(a.number);
    const contra = byCode("agency_contradiction");
    expect(contra).to.have.length(1);
    expect(contra[0]).to.include({ field: "agency.taxCode" });
    expect(contra[0].message).to.include("3300109999").and.include("3300101234").and.include(a.number);

    // The other direction: A is contradicted by B and shares the identity number too.
    const ra = await call("GET", `/api/requests/${a.id}/findings`, reviewer);
    expect(ra.body.items.map((f: { code: string }) => f.code).sort()).to.deep.equal(["agency_contradiction", "id_in_open_dossier"]);
  });

  it("shows a CCCD number whose encoded birth year is not the declared one as a finding", async () => {
    const d = await create(individualDossier({
      people: [
        { fullName: "Ngô Văn Khớp", idNumber: "046085004444", email: "nvkhop@hue.gov.vn" },
        { fullName: "Lý Thị Lệch", idNumber: "046190004445", email: "ltlech@hue.gov.vn" },
      ],
    }));
    const r = await call("GET", `/api/requests/${d.id}/findings`, reviewer);
    expect(r.status).to.equal(200);
    const mine = r.body.items.filter((f: { code: string }) => f.code === "id_birth_year_mismatch");
    expect(mine.map((f: { row: number }) => f.row)).to.deep.equal([2]);
    expect(mine[0].message).to.include("Lý Thị Lệch").and.include("1990").and.include("1985");
    expect(mine[0].details).to.deep.equal({ encodedYear: 1990, declaredYear: 1985 });
  });

  it("lists overdue, due-today and by-reviewer queues, and counts for the dashboard", async () => {
    const old = await create(individualDossier({ people: [{ fullName: "Đỗ Văn Hải", idNumber: "046085007777", email: "dvhai@hue.gov.vn" }] }));
    await call("POST", `/api/requests/${old.id}/submit`, clerk, { receivedAt: "2026-01-05T09:00:00+07:00" });
    await call("POST", `/api/requests/${old.id}/review`, reviewer, { action: "start" });

    // A receipt day whose deadline is today, if today is a working day.
    const today = new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Ho_Chi_Minh" }).format(new Date());
    let dueTodayId: string | undefined;
    for (let back = 1; back <= 15; back++) {
      const day = new Date(Date.parse(`${today}T00:00:00Z`) - back * 86400_000).toISOString().slice(0, 10);
      const dl = await call("GET", `/api/calendar/deadline?receivedAt=${day}`, clerk);
      if (dl.body.deadline === today) {
        const d = await create(individualDossier({ people: [{ fullName: "Vũ Thị Mai", idNumber: "046185006666", email: "vtmai@hue.gov.vn" }] }));
        await call("POST", `/api/requests/${d.id}/submit`, clerk, { receivedAt: `${day}T10:00:00+07:00` });
        dueTodayId = d.id;
        break;
      }
    }

    let r = await call("GET", "/api/review/queue?view=overdue", reviewer);
    expect(r.status).to.equal(200);
    const overdue = r.body.items.find((x: { id: string }) => x.id === old.id);
    expect(overdue).to.include({ status: "under_review", reviewer: "reviewer1", overdue: true, deadlineDate: "2026-01-08" });
    expect(r.body.items.every((x: { overdue: boolean }) => x.overdue)).to.equal(true);

    r = await call("GET", "/api/review/queue?view=due_today", reviewer);
    if (dueTodayId) {
      expect(r.body.items.map((x: { id: string }) => x.id)).to.include(dueTodayId);
      expect(r.body.items.every((x: { deadlineDate: string }) => x.deadlineDate === today)).to.equal(true);
    } else {
      expect(r.body.total).to.equal(0); // today is not a working day: nothing can be due today
    }

    r = await call("GET", "/api/review/queue?view=by_reviewer", reviewer);
    const mine = r.body.items.find((g: { reviewer: string | null }) => g.reviewer === "reviewer1");
    expect(mine.total).to.be.at.least(1);
    expect(mine.overdue).to.be.at.least(1);

    r = await call("GET", "/api/review/counts", clerk);
    expect(r.status).to.equal(200);
    expect(r.body.byStatus).to.include.keys("draft", "received", "under_review", "needs_correction", "accepted", "rejected");
    expect(r.body.overdue).to.be.at.least(1);
    expect(r.body.byStatus.under_review).to.be.at.least(1);
    expect(r.body.clockRunning).to.equal(r.body.byStatus.received + r.body.byStatus.under_review);

    // A single dossier shows its clock the same way.
    r = await call("GET", `/api/requests/${old.id}`, clerk);
    expect(r.body).to.include({ status: "under_review", overdue: true, deadlineDate: "2026-01-08", deadline: "2026-01-08T17:00:00.000Z" });
  });

  it("recomputes running deadlines when an admin changes the year's days off, and records it", async () => {
    const d = await create(individualDossier({ people: [{ fullName: "Lý Thị Hoa", idNumber: "046185004444", email: "lthoa@hue.gov.vn" }] }));
    let r = await call("POST", `/api/requests/${d.id}/submit`, clerk, { receivedAt: "2026-03-13T09:00:00+07:00" });
    expect(r.body.deadlineDate).to.equal("2026-03-18");
    r = await call("PUT", "/api/calendar/2026", svc.adminToken, {
      nationalDayAdjacent: "2026-09-01", daysOff: [{ date: "2026-03-16", reason: "Nghỉ theo quyết định của Thủ tướng" }], workingDays: [],
    });
    expect(r.status).to.equal(200);
    r = await call("GET", `/api/requests/${d.id}`, clerk);
    expect(r.body).to.include({ deadline: "2026-03-19T17:00:00.000Z", deadlineDate: "2026-03-19" });
    const h = await call("GET", `/api/requests/${d.id}/history`, clerk);
    const rec = h.body.items.find((i: { action: string }) => i.action === "deadline_recomputed");
    expect(rec).to.include({ actor: "admin", fromStatus: "received", toStatus: "received" });
    expect(rec.note).to.include("2026");
    await call("DELETE", "/api/calendar/2026", svc.adminToken);
    r = await call("GET", `/api/requests/${d.id}`, clerk);
    expect(r.body.deadlineDate).to.equal("2026-03-18");
  });

  it("lets a clerk record a withdrawal with a reason", async () => {
    const d = await create(individualDossier({ people: [{ fullName: "Mai Văn Tú", idNumber: "046085005555", email: "mvtu@hue.gov.vn" }] }));
    let r = await call("POST", `/api/requests/${d.id}/withdraw`, reviewer, { reason: "x" });
    expect(r.status).to.equal(403);
    r = await call("POST", `/api/requests/${d.id}/withdraw`, clerk, { reason: "Cơ quan có văn bản rút đề nghị" });
    expect(r.body.status).to.equal("withdrawn");
    r = await call("POST", `/api/requests/${d.id}/submit`, clerk, {});
    expect(r.status).to.equal(409);
  });
});
