import { execFile } from "node:child_process";
import { promisify } from "node:util";
import path from "node:path";
import { expect } from "chai";
import { startTestService, type TestService } from "../support/service";
import { ENROLMENT_CODE, mailsTo } from "../web/staff/mail";

const run = promisify(execFile);
const bin = path.resolve(__dirname, "../../bin/chungthu.js");

/**
 * `chungthu users enrol <username>` on the CA host (the key-ceremony path, actor "cli"): the same
 * enrolment command as POST /api/users/{id}/enrolment. It prints where the mail goes (masked) and
 * never the code; the running service's outbox sends the mail, which carries the code.
 */
describe("CLI: chungthu users enrol", function () {
  this.timeout(60_000);
  let svc: TestService;
  const cli = (...args: string[]) => run(process.execPath, [bin, ...args], { env: { ...process.env, DATA_DIR: svc.dataDir }, encoding: "utf8" });

  before(async () => {
    svc = await startTestService();
    const r = await svc.request("POST", "/api/users", { token: svc.adminToken, json: { username: "op.khanh", fullName: "Vũ Minh Khánh", email: "khanh@bcy.gov.vn", roles: ["clerk"] } });
    expect(r.status).to.equal(201);
  });
  after(() => svc?.stop());

  it("queues the enrolment e-mail, prints the masked address and never the code; the code redeems", async () => {
    const { stdout } = await cli("users", "enrol", "op.khanh");
    expect(stdout).to.contain("op.khanh").and.contain("k***@bcy.gov.vn");
    expect(stdout).to.not.contain("khanh@bcy.gov.vn");
    expect(stdout).to.not.match(ENROLMENT_CODE);

    await svc.drainOutbox();
    const mails = await mailsTo(svc, "khanh@bcy.gov.vn");
    expect(mails).to.have.length(1);
    const code = ENROLMENT_CODE.exec(mails[0].text)![0];
    expect(stdout).to.not.contain(code);

    const audit = await svc.services.db("audit_log").where({ action: "enrolment.created" }).first();
    expect(audit.actor).to.equal("cli");
    const redeemed = await svc.request("POST", "/api/enrolment", { json: { username: "op.khanh", code, password: "mat-khau-cua-khanh-2026" } });
    expect(redeemed.status).to.equal(201);
  });

  it("fails with a Vietnamese message for an unknown user or one without an e-mail address", async () => {
    const unknown = await cli("users", "enrol", "khong-co").then(() => null, (e: { code: number; stderr: string }) => e);
    expect(unknown?.code).to.not.equal(0);
    expect(unknown?.stderr).to.contain("không tìm thấy người dùng khong-co");
    await svc.userWithRoles("no.mail", ["clerk"]);
    const noMail = await cli("users", "enrol", "no.mail").then(() => null, (e: { code: number; stderr: string }) => e);
    expect(noMail?.stderr).to.contain("chưa có địa chỉ thư điện tử đăng ký");
  });
});
