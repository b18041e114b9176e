import { expect } from "chai";
import type { TestService } from "../support/service";
import { startServiceWithSmtp, type LoopbackSmtp } from "../support/smtp";

/**
 * Issue 8: an administrator never holds another user's secret, and one administrator alone cannot
 * make a working CA operator. Real service, real SMTP server on loopback (smtp-server).
 */
const CODE = /\b[A-HJ-NP-Z2-9]{5}(?:-[A-HJ-NP-Z2-9]{5}){3}\b/;

describe("credentials: self-service tokens and passwords, enrolment by e-mail, privileged roles under dual control", function () {
  this.timeout(30_000);
  let smtp: LoopbackSmtp;
  let svc: TestService;
  let admin2: string;

  const json = async (r: Response) => {
    const text = await r.text();
    return { status: r.status, body: (text ? JSON.parse(text) : undefined) as any, headers: r.headers };
  };
  const api = (method: string, p: string, token?: string, body?: unknown) =>
    svc.request(method, p, { token, ...(body !== undefined ? { json: body } : {}) }).then(json);
  const audit = (action: string) => svc.services.db("audit_log").where({ action }).orderBy("seq");

  /** Sends the enrolment and returns the code read from the e-mail the SMTP server received. */
  async function enrol(userId: string, email: string) {
    const before = smtp.received.length;
    const r = await api("POST", `/api/users/${userId}/enrolment`, svc.adminToken);
    expect(r.status, JSON.stringify(r.body)).to.equal(201);
    await svc.drainOutbox();
    const mails = smtp.received.slice(before).filter((m) => m.envelopeTo.map((a) => a.toLowerCase()).includes(email));
    expect(mails).to.have.length(1);
    const code = CODE.exec(mails[0].parsed.text!)![0];
    return { response: r, code, mail: mails[0] };
  }

  async function createClerk(username: string, email?: string) {
    const r = await api("POST", "/api/users", svc.adminToken, { username, fullName: `Nguyễn Văn ${username}`, roles: ["clerk"], ...(email ? { email } : {}) });
    expect(r.status).to.equal(201);
    return r.body.id as string;
  }

  before(async () => {
    ({ smtp } = svc = await startServiceWithSmtp({ PUBLIC_BASE_URL: "https://ca.example.gov.vn" }));
    admin2 = await svc.userWithRoles("admin2", ["admin"]); // the second administrator, from the CLI
  });
  after(async () => svc?.stop());

  it("refuses an admin minting a token or setting a password for another user (403, Vietnamese, code)", async () => {
    const id = await createClerk("clerk-a");
    const t = await api("POST", `/api/users/${id}/tokens`, svc.adminToken, {});
    expect(t.status).to.equal(403);
    expect(t.body.error.code).to.equal("not_own_credential");
    expect(t.body.error.message).to.match(/Chỉ chính người dùng/);
    const p = await api("PUT", `/api/users/${id}/password`, svc.adminToken, { password: "mot-mat-khau-dai-2026" });
    expect(p.status).to.equal(403);
    expect(p.body.error.code).to.equal("not_own_credential");
    expect(await svc.services.db("api_tokens").where({ user_id: id })).to.have.length(0);
    expect((await svc.services.db("users").where({ id }).first()).password_hash).to.equal(null);
    // The admin still lists (no secrets) and may deactivate and reactivate.
    const list = await api("GET", `/api/users/${id}/tokens`, svc.adminToken);
    expect(list.status).to.equal(200);
    expect((await api("POST", `/api/users/${id}/deactivate`, svc.adminToken)).body.active).to.equal(false);
    expect((await api("POST", `/api/users/${id}/reactivate`, svc.adminToken)).body.active).to.equal(true);
    const me = (await api("GET", "/api/me", svc.adminToken)).body;
    expect((await api("POST", `/api/users/${me.id}/deactivate`, svc.adminToken)).body.error.code).to.equal("self_deactivation");
  });

  it("lets a person issue their own tokens and change their own password (with the current one)", async () => {
    const token = await svc.userWithRoles("clerk-self", ["clerk"]);
    const me = (await api("GET", "/api/me", token)).body;
    const t = await api("POST", "/api/me/tokens", token, { label: "máy trạm" });
    expect(t.status).to.equal(201);
    expect(t.headers.get("cache-control")).to.equal("no-store");
    expect((await api("GET", "/api/me", t.body.token)).body.id).to.equal(me.id);
    const mine = await api("GET", "/api/me/tokens", token);
    expect(mine.body.items.map((x: any) => x.id)).to.include(t.body.id);
    expect(JSON.stringify(mine.body)).to.not.contain(t.body.token);
    expect((await api("DELETE", `/api/me/tokens/${t.body.id}`, token)).status).to.equal(204);
    expect((await api("GET", "/api/me", t.body.token)).status).to.equal(401);
    // No password yet: set one; from then on the current password is required.
    expect((await api("PUT", "/api/me/password", token, { password: "mat-khau-thu-nhat-2026" })).status).to.equal(204);
    const wrong = await api("PUT", `/api/users/${me.id}/password`, token, { password: "mat-khau-thu-hai-2026", currentPassword: "sai-roi-sai-roi" });
    expect(wrong.status).to.equal(403);
    expect(wrong.body.error.code).to.equal("current_password_required");
    expect((await api("PUT", `/api/users/${me.id}/password`, token, { password: "mat-khau-thu-hai-2026", currentPassword: "mat-khau-thu-nhat-2026" })).status).to.equal(204);
    // And nobody else's: a clerk cannot issue a token for the admin.
    const adminId = (await api("GET", "/api/me", svc.adminToken)).body.id;
    expect((await api("POST", `/api/users/${adminId}/tokens`, token, {})).status).to.equal(403);
    // Deactivation stops the tokens at once; reactivation lets them work again.
    expect((await api("POST", `/api/users/${me.id}/deactivate`, svc.adminToken)).status).to.equal(200);
    expect((await api("GET", "/api/me", token)).status).to.equal(401);
    expect((await api("POST", `/api/users/${me.id}/reactivate`, svc.adminToken)).status).to.equal(200);
    expect((await api("GET", "/api/me", token)).status).to.equal(200);
    expect((await audit("user.deactivated")).some((a: any) => a.object_id === me.id)).to.equal(true);
  });

  it("e-mails an enrolment code (never in the API nor the outbox); redeeming sets the password and returns a working token once", async () => {
    const id = await createClerk("clerk-b", "Clerk.B@stc.hue.gov.vn");
    const { response, code, mail } = await enrol(id, "clerk.b@stc.hue.gov.vn");
    expect(response.body).to.include({ userId: id, status: "active" });
    expect(JSON.stringify(response.body)).to.not.contain(code);
    const outbox = await svc.services.db("outbox").where({ kind: "mail.enrolment" });
    expect(JSON.stringify(outbox)).to.not.contain(code);
    const outboxApi = await svc.request("GET", "/api/outbox", { token: svc.adminToken });
    expect(await outboxApi.text()).to.not.contain(code);
    expect(JSON.stringify(await svc.services.db("enrolments"))).to.not.contain(code.replace(/-/g, ""));
    expect(mail.parsed.subject).to.equal("Mã kích hoạt tài khoản clerk-b trên hệ thống quản lý chứng thư chữ ký số chuyên dùng công vụ");
    expect(mail.parsed.text).to.contain("https://ca.example.gov.vn/kich-hoat?u=clerk-b");
    expect(mail.parsed.text).to.contain("Kính gửi: Nguyễn Văn clerk-b");
    expect(mail.parsed.text).to.match(/Hiệu lực đến: \d{2} giờ \d{2} ngày \d{2}\/\d{2}\/\d{4}/);
    expect(mail.parsed.html).to.contain(code);

    const r = await api("POST", "/api/enrolment", undefined, { username: "clerk-b", code: code.toLowerCase(), password: "mat-khau-rieng-cua-toi" });
    expect(r.status, JSON.stringify(r.body)).to.equal(201);
    expect(r.headers.get("cache-control")).to.equal("no-store");
    expect(r.body.user.username).to.equal("clerk-b");
    expect((await api("GET", "/api/me", r.body.token)).body.id).to.equal(id);
    // The password works at the staff sign-in.
    const login = await fetch(`${svc.url}/dang-nhap`);
    const cookie = login.headers.getSetCookie().find((c) => c.startsWith("ct_login_csrf="))!.split(";")[0];
    const csrf = /name="_csrf" value="([^"]+)"/.exec(await login.text())![1];
    const signIn = await fetch(`${svc.url}/dang-nhap`, {
      method: "POST", redirect: "manual", headers: { "content-type": "application/x-www-form-urlencoded", cookie },
      body: new URLSearchParams({ _csrf: csrf, username: "clerk-b", password: "mat-khau-rieng-cua-toi" }).toString(),
    });
    expect(signIn.status).to.equal(302);

    const again = await api("POST", "/api/enrolment", undefined, { username: "clerk-b", code, password: "mat-khau-khac-nua-2026" });
    expect(again.status).to.equal(410);
    expect(again.body.error.code).to.equal("enrolment_used");
    expect(again.body.error.message).to.match(/đã được sử dụng/);

    const created = (await audit("enrolment.created")).find((a: any) => a.object_id === id);
    expect(created.actor).to.equal("admin");
    const redeemed = (await audit("enrolment.redeemed")).find((a: any) => a.object_id === id);
    expect(redeemed.actor).to.equal("clerk-b");
    const issued = (await audit("token.issued")).filter((a: any) => a.object_id === id);
    expect(issued).to.have.length(1);
    expect(issued[0].actor).to.equal("clerk-b");
    expect((await audit("enrolment.failed")).some((a: any) => JSON.parse(a.details).reason === "redeemed")).to.equal(true);
  });

  it("refuses and audits a wrong code, an expired code and a superseded code; locks after repeated failures", async () => {
    const id = await createClerk("clerk-c", "clerk.c@stc.hue.gov.vn");
    const first = await enrol(id, "clerk.c@stc.hue.gov.vn");
    const wrong = await api("POST", "/api/enrolment", undefined, { username: "clerk-c", code: "AAAAA-BBBBB-CCCCC-DDDDD", password: "mat-khau-rieng-cua-toi" });
    expect(wrong.status).to.equal(400);
    expect(wrong.body.error.code).to.equal("enrolment_invalid");
    expect(wrong.body.error.message).to.equal("Tên đăng nhập hoặc mã kích hoạt không đúng.");
    const failed = (await audit("enrolment.failed")).filter((a: any) => a.object_id === id);
    expect(failed).to.have.length(1);
    expect(JSON.parse(failed[0].details)).to.include({ reason: "invalid", username: "clerk-c", via: "api" });
    // An unknown user answers exactly the same.
    const nobody = await api("POST", "/api/enrolment", undefined, { username: "khong-ton-tai", code: first.code, password: "mat-khau-rieng-cua-toi" });
    expect(nobody.status).to.equal(400);
    expect(nobody.body.error).to.deep.equal(wrong.body.error);

    // A new code supersedes the first.
    const second = await enrol(id, "clerk.c@stc.hue.gov.vn");
    expect(second.code).to.not.equal(first.code);
    const old = await api("POST", "/api/enrolment", undefined, { username: "clerk-c", code: first.code, password: "mat-khau-rieng-cua-toi" });
    expect(old.status).to.equal(410);
    expect(old.body.error.code).to.equal("enrolment_superseded");

    // Expired.
    await svc.services.db("enrolments").where({ user_id: id, status: "active" }).update({ expires_at: "2026-01-01T00:00:00.000Z" });
    const expired = await api("POST", "/api/enrolment", undefined, { username: "clerk-c", code: second.code, password: "mat-khau-rieng-cua-toi" });
    expect(expired.status).to.equal(410);
    expect(expired.body.error.code).to.equal("enrolment_expired");
    expect(expired.body.error.message).to.match(/hết hạn/);
    expect((await svc.services.db("users").where({ id }).first()).password_hash).to.equal(null);

    // Five wrong codes lock the active code for good.
    const third = await enrol(id, "clerk.c@stc.hue.gov.vn");
    for (let i = 0; i < 5; i++) {
      await api("POST", "/api/enrolment", undefined, { username: "clerk-c", code: `WRONG-${i}`, password: "mat-khau-rieng-cua-toi" });
    }
    const locked = await api("POST", "/api/enrolment", undefined, { username: "clerk-c", code: third.code, password: "mat-khau-rieng-cua-toi" });
    expect([410, 429]).to.include(locked.status);
    expect((await svc.services.db("enrolments").where({ user_id: id }).orderBy("created_at", "desc").first()).status).to.equal("locked");
  });

  it("refuses an enrolment for a user without an e-mail address (409, Vietnamese)", async () => {
    const id = await createClerk("clerk-d");
    const r = await api("POST", `/api/users/${id}/enrolment`, svc.adminToken);
    expect(r.status).to.equal(409);
    expect(r.body.error.code).to.equal("enrolment_no_email");
    expect(r.body.error.message).to.match(/chưa có địa chỉ thư điện tử/);
  });

  it("makes a ca_operator wait for a second administrator; the requester cannot approve; the second one can", async () => {
    const r = await api("POST", "/api/users", svc.adminToken, { username: "operator-1", fullName: "Trần Thị Vận Hành", email: "op1@bcy.gov.vn", roles: ["ca_operator"] });
    expect(r.status).to.equal(202);
    expect(r.body).to.include({ operation: "user.privileged_role", status: "pending" });
    expect(r.body.summary).to.contain("op1@bcy.gov.vn");
    expect(await svc.services.db("users").where({ username: "operator-1" }).first()).to.equal(undefined);
    const self = await api("POST", `/api/approvals/${r.body.id}/approve`, svc.adminToken, {});
    expect(self.status).to.equal(403);
    expect(self.body.error.code).to.equal("self_approval");
    // A CA operator cannot approve it either (not their operation), nor can an admin decide a CA operation.
    const ok = await api("POST", `/api/approvals/${r.body.id}/approve`, admin2, {});
    expect(ok.status, JSON.stringify(ok.body)).to.equal(200);
    expect(ok.body.status).to.equal("executed");
    const users = (await api("GET", "/api/users", svc.adminToken)).body.items;
    const op = users.find((u: any) => u.username === "operator-1");
    expect(op.roles).to.deep.equal(["ca_operator"]);
    expect(op.email).to.equal("op1@bcy.gov.vn");

    // Adding a privileged role to an existing user waits too; the target never approves their own.
    const clerkId = await createClerk("clerk-e", "clerk.e@bcy.gov.vn");
    const up = await api("PUT", `/api/users/${clerkId}/roles`, admin2, { roles: ["clerk", "device_officer"] });
    expect(up.status).to.equal(202);
    const byAdmin2 = await api("POST", `/api/approvals/${up.body.id}/approve`, admin2, {});
    expect(byAdmin2.body.error.code).to.equal("self_approval");
    expect((await api("POST", `/api/approvals/${up.body.id}/approve`, svc.adminToken, {})).body.status).to.equal("executed");
    expect((await api("GET", "/api/users", svc.adminToken)).body.items.find((u: any) => u.id === clerkId).roles).to.deep.equal(["clerk", "device_officer"]);
    const admin2Id = (await api("GET", "/api/me", admin2)).body.id;
    const elevate = await api("PUT", `/api/users/${admin2Id}/roles`, svc.adminToken, { roles: ["admin", "ca_operator"] });
    expect(elevate.status).to.equal(202);
    const own = await api("POST", `/api/approvals/${elevate.body.id}/approve`, admin2, {});
    expect(own.status).to.equal(403);
    expect(own.body.error.code).to.equal("approver_not_entitled");
    // Removing roles is not privileged: at once.
    expect((await api("PUT", `/api/users/${clerkId}/roles`, svc.adminToken, { roles: ["clerk"] })).status).to.equal(200);
  });

  it("end to end: one administrator alone cannot get two ca_operator credentials", async () => {
    const a = svc.adminToken;
    const before = await svc.services.db("user_roles").where({ role: "ca_operator" });
    // Two operators straight away: both wait for a second administrator.
    for (const u of ["lone-op-1", "lone-op-2"]) {
      const r = await api("POST", "/api/users", a, { username: u, fullName: u, email: `${u}@admin-controlled.example`, roles: ["ca_operator"] });
      expect(r.status).to.equal(202);
      expect((await api("POST", `/api/approvals/${r.body.id}/approve`, a, {})).status).to.equal(403);
    }
    // Two clerks with the admin's own mailbox, then elevated: the enrolment mail goes to that mailbox, but the role still waits.
    for (const u of ["lone-cl-1", "lone-cl-2"]) {
      const id = await createClerk(u, "admin-mailbox@admin-controlled.example");
      expect((await api("POST", `/api/users/${id}/tokens`, a, {})).status).to.equal(403);
      expect((await api("PUT", `/api/users/${id}/password`, a, { password: "mat-khau-admin-dat-ho" })).status).to.equal(403);
      const up = await api("PUT", `/api/users/${id}/roles`, a, { roles: ["ca_operator"] });
      expect(up.status).to.equal(202);
      expect((await api("POST", `/api/approvals/${up.body.id}/approve`, a, {})).status).to.equal(403);
    }
    // Nor may the admin give itself the role.
    const me = (await api("GET", "/api/me", a)).body;
    expect((await api("PUT", `/api/users/${me.id}/roles`, a, { roles: ["admin", "ca_operator"] })).status).to.equal(403);
    const after = await svc.services.db("user_roles").where({ role: "ca_operator" });
    expect(after).to.have.length(before.length);
    // And no token of a ca_operator was issued by anyone but the operator, the CLI or enrolment.
    const issued = await svc.services.db("audit_log").where({ action: "token.issued", actor: "admin" });
    expect(issued.filter((r: any) => r.object_id !== me.id)).to.have.length(0);
  });
});
