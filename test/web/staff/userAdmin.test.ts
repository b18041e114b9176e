import fs from "node:fs";
import path from "node:path";
import { expect } from "chai";
import { startTestService, type TestService } from "../../support/service";
import { httpSession, staffUser } from "./support";
import { ENROLMENT_CODE, mailsTo } from "./mail";
import * as store from "../../../src/store/users";

type Session = Awaited<ReturnType<typeof httpSession>>;

/**
 * User administration on the web (/quan-tri/nguoi-dung): the same commands as /api/users, over
 * HTTP with a real session. An administrator creates users, sends enrolment codes (which reach the
 * user's mailbox and no page), changes roles (privileged ones wait for a second administrator on
 * /quan-tri/phe-duyet), (de)activates accounts and revokes tokens, never on themself.
 */
describe("staff web interface: user administration", function () {
  this.timeout(30_000);
  let svc: TestService;
  let admin: Session;
  let admin2: Session;
  /** Every page body an administrator saw, to check no code or token is ever rendered. */
  const seen: string[] = [];

  const text = async (r: Response) => {
    const t = await r.text();
    seen.push(t);
    return t;
  };
  const userId = async (username: string) => (await store.getByUsername(svc.services.db, username))?.id;
  const rolesOf = async (username: string) => store.rolesOf(svc.services.db, (await userId(username))!);
  const me = (token: string) => svc.request("GET", "/api/me", { token });

  before(async () => {
    svc = await startTestService();
    admin = await httpSession(svc, { username: "admin", password: fs.readFileSync(path.join(svc.dataDir, "admin.password"), "utf8").trim() });
    admin2 = await httpSession(svc, await staffUser(svc, "admin2", "Trần Thị Quản Trị", ["admin"]));
  });
  after(() => svc?.stop());

  it("lists users with their roles in Vietnamese, and the menu links the page", async () => {
    const r = await admin.get("/quan-tri/nguoi-dung");
    expect(r.status).to.equal(200);
    const html = await text(r);
    expect(html).to.contain('href="/quan-tri/nguoi-dung" aria-current="page">Người dùng</a>');
    expect(html).to.contain(">admin2</a>").and.contain("Trần Thị Quản Trị").and.contain("Quản trị hệ thống");
    expect(html).to.contain("Tạo người dùng");
    // Last sign-in from the audit log: admin2 signed in (Hà Nội time), clerk.none never did.
    const row = (name: string) => new RegExp(`>${name.replace(".", "\\.")}</a>[\\s\\S]*?</tr>`).exec(html)?.[0] ?? "";
    expect(row("admin2")).to.match(/\d{2}:\d{2} \d{2}\/\d{2}\/\d{4}/);
  });

  it("offers no enrolment code for a user without an e-mail address, and says why", async () => {
    const r = await admin.post("/quan-tri/nguoi-dung", { username: "clerk.none", fullName: "Không Có Thư", roles: ["clerk"] });
    expect(r.status).to.equal(303);
    const id = (await userId("clerk.none"))!;
    const html = await text(await admin.get(`/quan-tri/nguoi-dung/${id}`));
    expect(html).to.contain("chưa có thư điện tử đăng ký").and.not.contain(">Gửi mã kích hoạt</button>");
    expect(await text(await admin.get("/quan-tri/nguoi-dung"))).to.match(/>clerk\.none<\/a>(?:(?!<\/tr>)[\s\S])*chưa ghi nhận/);
    const refused = await admin.post(`/quan-tri/nguoi-dung/${id}/gui-ma-kich-hoat`, {});
    expect(refused.status).to.equal(409);
    expect(await refused.text()).to.contain("chưa có địa chỉ thư điện tử đăng ký");
  });

  it("creates a clerk, sends the enrolment code by e-mail; the code is in the mail and in no page; the clerk activates", async () => {
    const r = await admin.post("/quan-tri/nguoi-dung", { username: "clerk.lan", fullName: "Nguyễn Thị Lan", email: "lan@bocongan.gov.vn", roles: ["clerk"] });
    expect(r.status, await r.clone().text()).to.equal(303);
    expect(r.headers.get("location")).to.equal("/quan-tri/nguoi-dung?tb=userCreated");
    expect(await rolesOf("clerk.lan")).to.deep.equal(["clerk"]);
    const list = await text(await admin.get(r.headers.get("location")!));
    expect(list).to.contain("Đã tạo người dùng").and.contain("clerk.lan").and.contain("Cán bộ tiếp nhận hồ sơ").and.contain("chưa gửi mã");

    const id = (await userId("clerk.lan"))!;
    const userPage = await text(await admin.get(`/quan-tri/nguoi-dung/${id}`));
    expect(userPage).to.contain(">Gửi mã kích hoạt</button>").and.contain("lan@bocongan.gov.vn");
    const e = await admin.post(`/quan-tri/nguoi-dung/${id}/gui-ma-kich-hoat`, {});
    expect(e.status).to.equal(303);
    expect(e.headers.get("location")).to.equal(`/quan-tri/nguoi-dung/${id}?tb=enrolmentSent`);
    await svc.drainOutbox();
    const mails = await mailsTo(svc, "lan@bocongan.gov.vn");
    expect(mails).to.have.length(1);
    const code = ENROLMENT_CODE.exec(mails[0].text)![0];

    const after = await text(await admin.get(e.headers.get("location")!));
    expect(after).to.contain("Đã tạo mã kích hoạt mới").and.contain("đang chờ kích hoạt").and.contain(">Gửi lại mã kích hoạt</button>");
    await text(await admin.get("/quan-tri/nguoi-dung"));
    await text(await admin.get("/quan-tri/hang-doi"));
    await text(await admin.get("/quan-tri/nhat-ky"));
    for (const page of seen) expect(page).to.not.contain(code);

    const redeemed = await svc.request("POST", "/api/enrolment", { json: { username: "clerk.lan", code, password: "mat-khau-cua-lan-2026" } });
    expect(redeemed.status).to.equal(201);
    const token = ((await redeemed.json()) as { token: string }).token;
    expect((await me(token)).status).to.equal(200);
    const listed = await text(await admin.get("/quan-tri/nguoi-dung"));
    expect(listed).to.contain("đã kích hoạt");
    // The token the clerk received is listed by its label, never shown.
    const withToken = await text(await admin.get(`/quan-tri/nguoi-dung/${id}`));
    expect(withToken).to.contain("<td>enrolment</td>").and.contain("còn hiệu lực").and.not.contain(token);
  });

  it("refuses an invalid form with the Vietnamese message next to the field (400), creating nothing", async () => {
    const r = await admin.post("/quan-tri/nguoi-dung", { username: "A B", fullName: "Người Sai", email: "khong-phai-thu", roles: [] });
    expect(r.status).to.equal(400);
    const html = await r.text();
    expect(html).to.contain("Tên đăng nhập gồm 3–64 ký tự").and.contain('aria-invalid="true"').and.contain('value="Người Sai"');
    expect(await userId("A B")).to.equal(undefined);
    const dup = await admin.post("/quan-tri/nguoi-dung", { username: "clerk.lan", fullName: "Trùng", roles: ["clerk"] });
    expect(dup.status).to.equal(409);
    expect(await dup.text()).to.contain("Tên đăng nhập &quot;clerk.lan&quot; đã tồn tại.");
  });

  it("creating a CA operator waits for a second administrator, who approves it on /quan-tri/phe-duyet", async () => {
    const r = await admin.post("/quan-tri/nguoi-dung", { username: "ca.hung", fullName: "Lê Văn Hùng", email: "hung@bcy.gov.vn", roles: ["ca_operator"] });
    expect(r.status).to.equal(303);
    expect(r.headers.get("location")).to.equal("/quan-tri/nguoi-dung?tb=userPending");
    const notice = await text(await admin.get(r.headers.get("location")!));
    expect(notice).to.contain("chờ một quản trị viên khác phê duyệt").and.contain('<a href="/quan-tri/phe-duyet">');
    expect(await userId("ca.hung")).to.equal(undefined);

    // The requester cannot approve their own request; the second administrator can.
    expect(await text(await admin.get("/quan-tri/phe-duyet"))).to.contain("ca.hung").and.contain("Bạn không thể quyết định đề nghị này.");
    const pending = await admin2.get("/quan-tri/phe-duyet");
    const html = await pending.text();
    expect(html).to.contain("hung@bcy.gov.vn");
    const approval = await svc.services.db("approvals").where({ operation: "user.privileged_role", status: "pending" }).first();
    const ok = await admin2.post(`/quan-tri/phe-duyet/${approval.id}/duyet`, { reason: "Đã đối chiếu quyết định phân công" });
    expect(ok.status).to.equal(303);
    expect(await rolesOf("ca.hung")).to.deep.equal(["ca_operator"]);
    expect(await text(await admin.get("/quan-tri/nguoi-dung"))).to.contain("Cán bộ vận hành CA");
  });

  it("changes roles: an ordinary role at once, a privileged one after approval", async () => {
    const id = (await userId("clerk.lan"))!;
    const r = await admin.post(`/quan-tri/nguoi-dung/${id}/vai-tro`, { roles: ["clerk", "reviewer"] });
    expect(r.headers.get("location")).to.equal(`/quan-tri/nguoi-dung/${id}?tb=rolesChanged`);
    expect((await rolesOf("clerk.lan")).sort()).to.deep.equal(["clerk", "reviewer"]);
    const p = await admin.post(`/quan-tri/nguoi-dung/${id}/vai-tro`, { roles: ["clerk", "reviewer", "device_officer"] });
    expect(p.headers.get("location")).to.equal(`/quan-tri/nguoi-dung/${id}?tb=rolesPending`);
    expect(await text(await admin.get(p.headers.get("location")!))).to.contain("Vai trò chưa thay đổi").and.contain('<a href="/quan-tri/phe-duyet">');
    expect((await rolesOf("clerk.lan")).sort()).to.deep.equal(["clerk", "reviewer"]);
  });

  it("refuses changing one's own roles and deactivating oneself, with the Vietnamese message (403)", async () => {
    const self = (await userId("admin"))!;
    const r = await admin.post(`/quan-tri/nguoi-dung/${self}/vai-tro`, { roles: ["admin", "auditor"] });
    expect(r.status).to.equal(403);
    expect(await r.text()).to.contain("Không được tự thay đổi vai trò của chính mình").and.contain("self_role_change");
    expect(await rolesOf("admin")).to.deep.equal(["admin"]);
    const d = await admin.post(`/quan-tri/nguoi-dung/${self}/khoa`, {});
    expect(d.status).to.equal(403);
    expect(await d.text()).to.contain("Không được tự khóa tài khoản của chính mình.");
    expect((await admin.get("/quan-tri/nguoi-dung")).status).to.equal(200);
  });

  it("deactivating stops the user's token and web session at once; reactivating restores the token", async () => {
    const clerk = await staffUser(svc, "clerk.binh", "Phạm Văn Bình", ["clerk"]);
    const session = await httpSession(svc, clerk);
    const id = (await userId("clerk.binh"))!;
    // The clerk issues their own token from their account page.
    const issued = await session.post("/quan-tri/tai-khoan/ma-truy-cap", { label: "máy trạm" });
    const secret = /<code id="token">([^<]+)<\/code>/.exec(await issued.text())![1];
    expect((await me(secret)).status).to.equal(200);

    const off = await admin.post(`/quan-tri/nguoi-dung/${id}/khoa`, {});
    expect(off.headers.get("location")).to.equal(`/quan-tri/nguoi-dung/${id}?tb=userDeactivated`);
    expect((await me(secret)).status).to.equal(401);
    expect((await session.get("/quan-tri")).status).to.equal(302);
    expect(await text(await admin.get(`/quan-tri/nguoi-dung/${id}`))).to.contain("đã khóa").and.contain(">Mở lại tài khoản</button>");

    const on = await admin.post(`/quan-tri/nguoi-dung/${id}/mo-khoa`, {});
    expect(on.headers.get("location")).to.equal(`/quan-tri/nguoi-dung/${id}?tb=userReactivated`);
    expect((await me(secret)).status).to.equal(200);
  });

  it("revokes a user's token: listed by label, never its secret; it stops working", async () => {
    const id = (await userId("clerk.binh"))!;
    const tok = await svc.services.db("api_tokens").where({ user_id: id, label: "máy trạm" }).first();
    const page = await text(await admin.get(`/quan-tri/nguoi-dung/${id}`));
    expect(page).to.contain("máy trạm").and.contain(`/ma-truy-cap/${tok.id}/thu-hoi`);
    const r = await admin.post(`/quan-tri/nguoi-dung/${id}/ma-truy-cap/${tok.id}/thu-hoi`, {});
    expect(r.headers.get("location")).to.equal(`/quan-tri/nguoi-dung/${id}?tb=tokenRevoked`);
    expect(await text(await admin.get(r.headers.get("location")!))).to.contain("đã thu hồi");
    expect((await svc.services.db("api_tokens").where({ id: tok.id }).first()).revoked_at).to.be.a("string");
    const audit = await svc.services.db("audit_log").where({ action: "token.revoked", object_id: id });
    expect(audit).to.have.length(1);
    // An unknown token of this user: 404 page, nothing else revoked.
    const missing = await admin.post(`/quan-tri/nguoi-dung/${id}/ma-truy-cap/00000000-0000-4000-8000-000000000000/thu-hoi`, {});
    expect(missing.status).to.equal(404);
    expect(await missing.text()).to.contain("Không tìm thấy mã truy cập");
  });

  it("a non-admin gets 403 on the user pages and no menu entry", async () => {
    const clerk = await httpSession(svc, await staffUser(svc, "clerk.chi", "Đỗ Thị Chi", ["clerk"]));
    const r = await clerk.get("/quan-tri/nguoi-dung");
    expect(r.status).to.equal(403);
    expect(await r.text()).to.contain("Không có quyền truy cập");
    const id = (await userId("clerk.lan"))!;
    expect((await clerk.post(`/quan-tri/nguoi-dung/${id}/khoa`, {})).status).to.equal(403);
    const home = await (await clerk.get("/quan-tri")).text();
    expect(home).to.not.contain('href="/quan-tri/nguoi-dung"');
    expect(home).to.contain('href="/quan-tri/tai-khoan"');
  });
});
