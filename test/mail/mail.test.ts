import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { execFileSync } from "node:child_process";
import { expect } from "chai";
import { simpleParser } from "mailparser";
import { startTestService, type TestService } from "../support/service";
import { LoopbackSmtp, startServiceWithSmtp } from "../support/smtp";
import { hasCommand, requirePeer } from "../support/peers";
import {
  enqueueAccepted, enqueueCorrectionRequest, enqueueReadyForHandover, enqueueRejected,
} from "../../src/mail/enqueue";

const deficiencies = [
  { field: "agency.taxCode", fieldLabel: "Mã số thuế", row: null, reason: "Mã số thuế không khớp với quyết định thành lập" },
  { field: "subscribers.idNumber", fieldLabel: "Số CCCD", row: 3, rowLabel: "Nguyễn Thị Hằng", reason: "Số CCCD phải có đủ 12 chữ số" },
  { field: "subscribers.email", fieldLabel: "Thư điện tử công vụ", row: 7, rowLabel: "Trần Văn Đức", reason: "Không phải thư điện tử công vụ (.gov.vn) <script>" },
];

const correction = (dossierId: string, round = 1) => ({
  dossierId, dossierNumber: "HS-2026-000123", agencyName: "Sở Tài chính tỉnh Thừa Thiên Huế",
  to: ["VanThu@stc.hue.gov.vn", "nguoinhan@stc.hue.gov.vn", "vanthu@stc.hue.gov.vn"],
  decidedAt: "2026-03-05T03:15:00.000Z", receivedAt: "2026-03-04T02:00:00.000Z", round, deficiencies,
  notice: {
    id: dossierId, number: "HS-2026-000123", kind: "individual",
    agency: { name: "Sở Tài chính tỉnh Thừa Thiên Huế", headOfficeAddress: "Số 3 Tôn Đức Thắng, Huế" },
    receivedAt: "2026-03-04T02:00:00.000Z",
    subscribers: Array.from({ length: 8 }, (_, i) => ({ fullName: i === 2 ? "Nguyễn Thị Hằng" : i === 6 ? "Trần Văn Đức" : "" })),
  },
});

async function jobs(svc: TestService) {
  const r = await svc.request("GET", "/api/outbox", { token: svc.adminToken });
  return (await r.json()).items as { id: number; kind: string; status: string; attempts: number; lastError: string | null; nextAttemptAt: string }[];
}

describe("mail over a real SMTP server on loopback", () => {
  let smtp: LoopbackSmtp;
  let svc: TestService;
  before(async () => {
    ({ smtp } = svc = await startServiceWithSmtp());
  });
  after(async () => svc?.stop());

  it("sends the request for correction: encoded Vietnamese subject, both recipients, every deficiency, the notice PDF", async function () {
    await svc.services.db.transaction((trx) => enqueueCorrectionRequest(trx, correction("d-1")));
    await svc.drainOutbox();
    expect(smtp.received).to.have.length(1);
    const { raw, parsed, envelopeTo } = smtp.received[0];

    // RFC 2047: the raw header is an encoded-word, the decoded subject is the Vietnamese text.
    const rawSubject = /^Subject: (.*(?:\r?\n[ \t].*)*)/m.exec(raw.toString("latin1"))![1];
    expect(rawSubject).to.match(/=\?UTF-8\?[BQ]\?/i);
    expect(parsed.subject).to.equal("[Hồ sơ số HS-2026-000123] Yêu cầu bổ sung, sửa đổi hồ sơ đề nghị cấp chứng thư chữ ký số chuyên dùng công vụ");

    expect(envelopeTo.sort()).to.deep.equal(["nguoinhan@stc.hue.gov.vn", "vanthu@stc.hue.gov.vn"]);
    const to = (Array.isArray(parsed.to) ? parsed.to : [parsed.to!]).flatMap((a) => a.value.map((v) => v.address));
    expect(to.sort()).to.deep.equal(["nguoinhan@stc.hue.gov.vn", "vanthu@stc.hue.gov.vn"]);
    expect(parsed.messageId).to.match(/@chungthu\.ca\.gov\.vn>?$/);

    for (const d of deficiencies) {
      expect(parsed.text).to.include(d.reason);
      expect(parsed.text).to.include(d.fieldLabel);
    }
    expect(parsed.text).to.include("2. Số CCCD – dòng số 3 (Nguyễn Thị Hằng): Số CCCD phải có đủ 12 chữ số");
    expect(parsed.text).to.include("HS-2026-000123");
    expect(parsed.text).to.include("Việc cần làm");
    const html = parsed.html as string;
    expect(html).to.include("Mã số thuế không khớp với quyết định thành lập");
    expect(html).to.include("Nguyễn Thị Hằng");
    // autoescape: text from the reviewer cannot inject markup
    expect(html).to.include("(.gov.vn) &lt;script&gt;");
    expect(html).to.not.include("<script>");

    expect(parsed.attachments).to.have.length(1);
    const pdf = parsed.attachments[0];
    expect(pdf.contentType).to.equal("application/pdf");
    expect(pdf.filename).to.match(/\.pdf$/);
    expect(pdf.content.subarray(0, 5).toString()).to.equal("%PDF-");
    requirePeer(this, "pdftotext", hasCommand("pdftotext"), "apt-get install poppler-utils");
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "notice-"));
    fs.writeFileSync(path.join(dir, "n.pdf"), pdf.content);
    const text = execFileSync("pdftotext", ["-raw", "-enc", "UTF-8", path.join(dir, "n.pdf"), "-"], { encoding: "utf8" });
    expect(text).to.include("HS-2026-000123");
    for (const d of deficiencies) expect(text.replace(/\s+/g, " ")).to.include(d.reason.replace(/\s+/g, " "));
  });

  it("enqueues a decision's mail once however often the command runs (dedupe key)", async () => {
    const db = svc.services.db;
    await db.transaction((trx) => enqueueCorrectionRequest(trx, correction("d-2")));
    await db.transaction((trx) => enqueueCorrectionRequest(trx, correction("d-2")));
    expect((await db("outbox").where({ kind: "mail.correction_request" }).count({ n: "*" }))[0].n).to.equal(2); // d-1 and d-2
    await db.transaction((trx) => enqueueCorrectionRequest(trx, correction("d-2", 2))); // a second round is a new mail
    const before = smtp.received.length;
    await svc.drainOutbox();
    expect(smtp.received.length - before).to.equal(2);
  });

  it("sends acceptance, rejection (with its reason) and ready-for-handover (time and place) mails", async () => {
    const base = { dossierNumber: "HS-2026-000200", agencyName: "UBND xã Tân Phú", to: ["ubnd@tanphu.gov.vn"], decidedAt: "2026-03-06T02:00:00.000Z" };
    const db = svc.services.db;
    await enqueueAccepted(db, { ...base, dossierId: "d-10" });
    await enqueueRejected(db, { ...base, dossierId: "d-11", reason: "Cơ quan không thuộc đối tượng được cấp chứng thư chữ ký số chuyên dùng công vụ" });
    await enqueueReadyForHandover(db, { ...base, dossierId: "d-12", handoverAt: "2026-03-10T07:30:00.000Z", place: "Phòng 305, số 23 Ngụy Như Kon Tum, Hà Nội" });
    const before = smtp.received.length;
    await svc.drainOutbox();
    const got = smtp.received.slice(before).map((m) => m.parsed);
    expect(got).to.have.length(3);
    const bySubject = (s: string) => got.find((m) => m.subject!.includes(s))!;
    expect(bySubject("đã được chấp nhận").text).to.include("HS-2026-000200");
    expect(bySubject("từ chối").text).to.include("Lý do: Cơ quan không thuộc đối tượng");
    const h = bySubject("bàn giao");
    expect(h.text).to.include("Thời gian: 14 giờ 30 ngày 10/03/2026");
    expect(h.text).to.include("Phòng 305, số 23 Ngụy Như Kon Tum, Hà Nội");
    expect(h.html).to.include("14 giờ 30 ngày 10/03/2026");
  });
});

describe("mail without SMTP_URL", () => {
  it("writes .eml files under DATA_DIR/mail that parse back to the same message", async () => {
    const svc = await startTestService();
    try {
      await enqueueCorrectionRequest(svc.services.db, correction("d-eml"));
      await svc.drainOutbox();
      const dir = path.join(svc.dataDir, "mail");
      const files = fs.readdirSync(dir).filter((f) => f.endsWith(".eml"));
      expect(files).to.have.length(1);
      const parsed = await simpleParser(fs.readFileSync(path.join(dir, files[0])));
      expect(parsed.subject).to.include("Yêu cầu bổ sung");
      expect(parsed.text).to.include("Số CCCD phải có đủ 12 chữ số");
      expect(parsed.attachments[0].contentType).to.equal("application/pdf");
      const [job] = await jobs(svc);
      expect(job.status).to.equal("done");
      // Replaying a done job does not write a second mail.
      await svc.request("POST", `/api/outbox/${job.id}/replay`, { token: svc.adminToken });
      await svc.drainOutbox();
      expect(fs.readdirSync(dir).filter((f) => f.endsWith(".eml"))).to.have.length(1);
      expect(await svc.services.db("mail_sent").count({ n: "*" })).to.deep.equal([{ n: 1 }]);
    } finally {
      await svc.stop();
    }
  });
});

describe("mail during an SMTP outage", () => {
  it("waits and retries with backoff, survives a service restart, and delivers exactly once when SMTP is back", async () => {
    const smtp = await new LoopbackSmtp().start(0);
    const port = smtp.port;
    await smtp.stop(); // the SMTP server is down from the start
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "chungthu-outage-"));
    let svc = await startTestService({ SMTP_URL: `smtp://127.0.0.1:${port}` }, dataDir);
    try {
      await svc.services.db.transaction((trx) => enqueueCorrectionRequest(trx, correction("d-out")));
      await svc.drainOutbox();
      let [job] = await jobs(svc);
      expect(job.status).to.equal("pending");
      expect(job.attempts).to.equal(1);
      expect(job.lastError).to.match(/ECONNREFUSED|connect/i);
      const firstWait = Date.parse(job.nextAttemptAt) - Date.now();
      expect(firstWait).to.be.greaterThan(20_000); // backs off (30 s) instead of spinning

      // Not due yet: the worker leaves it alone.
      expect(await svc.drainOutbox()).to.equal(0);

      // Time passes (the row is made due), it fails again and waits longer.
      await svc.services.db("outbox").where({ id: job.id }).update({ next_attempt_at: new Date(Date.now() - 1000).toISOString() });
      await svc.drainOutbox();
      [job] = await jobs(svc);
      expect(job.attempts).to.equal(2);
      expect(Date.parse(job.nextAttemptAt) - Date.now()).to.be.greaterThan(firstWait + 20_000);

      // The service restarts on the same DATA_DIR: the job is still there.
      await svc.stop();
      svc = await startTestService({ SMTP_URL: `smtp://127.0.0.1:${port}` }, dataDir);
      [job] = await jobs(svc);
      expect(job.status).to.equal("pending");
      expect(job.kind).to.equal("mail.correction_request");

      // SMTP comes back on the same port; when the job is due it is delivered, once.
      await smtp.start(port);
      await svc.services.db("outbox").where({ id: job.id }).update({ next_attempt_at: new Date(Date.now() - 1000).toISOString() });
      await svc.drainOutbox();
      await svc.drainOutbox();
      expect(smtp.received).to.have.length(1);
      expect(smtp.received[0].parsed.subject).to.include("HS-2026-000123");
      [job] = await jobs(svc);
      expect(job.status).to.equal("done");
      expect(job.attempts).to.equal(3);

      // An operator's replay of the delivered job does not send it again.
      await svc.request("POST", `/api/outbox/${job.id}/replay`, { token: svc.adminToken });
      await svc.drainOutbox();
      expect(smtp.received).to.have.length(1);
    } finally {
      await svc.stop();
      await smtp.stop();
    }
  });
});
