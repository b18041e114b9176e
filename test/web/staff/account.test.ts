import { expect } from "chai";
import { startTestService, type TestService } from "../../support/service";
import { httpSession, staffUser } from "./support";

/**
 * My account (/quan-tri/tai-khoan), for every signed-in person: one's own password (the current
 * one first, the same command as PUT /api/me/password) and one's own API tokens, shown once.
 */
describe("staff web interface: my account", function () {
  this.timeout(30_000);
  let svc: TestService;
  let user: { username: string; password: string };
  let s: Awaited<ReturnType<typeof httpSession>>;

  /** Tries the sign-in form; the status of the answer (302 signed in, 401 refused). */
  async function signInStatus(username: string, password: string) {
    const login = await fetch(`${svc.url}/dang-nhap`);
    const cookie = login.headers.getSetCookie().find((c) => c.startsWith("ct_login_csrf="))!.split(";")[0];
    const csrf = /name="_csrf" value="([^"]+)"/.exec(await login.text())![1];
    const r = await fetch(`${svc.url}/dang-nhap`, {
      method: "POST", redirect: "manual", headers: { "content-type": "application/x-www-form-urlencoded", cookie },
      body: new URLSearchParams({ _csrf: csrf, username, password }).toString(),
    });
    return r.status;
  }

  before(async () => {
    svc = await startTestService();
    user = await staffUser(svc, "reviewer.mai", "Hoàng Thị Mai", ["reviewer"]);
    s = await httpSession(svc, user);
  });
  after(() => svc?.stop());

  it("shows who I am and the menu entry, for any role", async () => {
    const r = await s.get("/quan-tri/tai-khoan");
    expect(r.status).to.equal(200);
    const html = await r.text();
    expect(html).to.contain('href="/quan-tri/tai-khoan" aria-current="page">Tài khoản của tôi</a>');
    expect(html).to.contain("reviewer.mai").and.contain("Hoàng Thị Mai").and.contain("Cán bộ kiểm duyệt").and.contain("Đổi mật khẩu");
    expect(html).to.contain('autocomplete="current-password"').and.contain('autocomplete="new-password"');
    expect(r.headers.get("cache-control")).to.equal("no-store");
  });

  it("refuses a wrong current password (403) and a mismatched repetition (400); the password is unchanged", async () => {
    const wrong = await s.post("/quan-tri/tai-khoan/mat-khau", { currentPassword: "khong-dung-mat-khau", password: "mat-khau-moi-cua-mai", password2: "mat-khau-moi-cua-mai" });
    expect(wrong.status).to.equal(403);
    expect(await wrong.text()).to.contain("Cần nhập đúng mật khẩu hiện tại để đổi mật khẩu.");
    const mismatch = await s.post("/quan-tri/tai-khoan/mat-khau", { currentPassword: user.password, password: "mat-khau-moi-cua-mai", password2: "mat-khau-moi-khac" });
    expect(mismatch.status).to.equal(400);
    expect(await mismatch.text()).to.contain("Hai lần nhập mật khẩu mới không khớp nhau.");
    const short = await s.post("/quan-tri/tai-khoan/mat-khau", { currentPassword: user.password, password: "ngan", password2: "ngan" });
    expect(short.status).to.equal(400);
    expect(await short.text()).to.contain("Mật khẩu phải có ít nhất 12 ký tự");
    expect(await signInStatus(user.username, user.password)).to.equal(302);
    const refused = await svc.services.db("audit_log").where({ action: "user.password_change_refused" });
    expect(refused).to.have.length(1);
  });

  it("changes the password with the right current one: the new one signs in, the old one no longer", async () => {
    const r = await s.post("/quan-tri/tai-khoan/mat-khau", { currentPassword: user.password, password: "mat-khau-moi-cua-mai", password2: "mat-khau-moi-cua-mai" });
    expect(r.status).to.equal(303);
    expect(r.headers.get("location")).to.equal("/quan-tri/tai-khoan?tb=passwordChanged");
    expect(await (await s.get(r.headers.get("location")!)).text()).to.contain("Đã đổi mật khẩu.");
    expect(await signInStatus(user.username, "mat-khau-moi-cua-mai")).to.equal(302);
    expect(await signInStatus(user.username, user.password)).to.equal(401);
  });

  it("issues a token shown once (no-store), which works against /api/me, is listed without its secret, and is revoked", async () => {
    const r = await s.post("/quan-tri/tai-khoan/ma-truy-cap", { label: "tích hợp một cửa", expiresInDays: "30" });
    expect(r.status).to.equal(201);
    expect(r.headers.get("cache-control")).to.equal("no-store");
    const html = await r.text();
    expect(html).to.contain("chỉ hiển thị <strong>một lần</strong>");
    const secret = /<code id="token">([^<]+)<\/code>/.exec(html)![1];
    const me = await svc.request("GET", "/api/me", { token: secret });
    expect(me.status).to.equal(200);
    expect(((await me.json()) as { username: string }).username).to.equal("reviewer.mai");

    const page = await (await s.get("/quan-tri/tai-khoan")).text();
    expect(page).to.contain("tích hợp một cửa").and.contain("còn hiệu lực").and.not.contain(secret);
    const row = await svc.services.db("api_tokens").where({ label: "tích hợp một cửa" }).first();
    expect(row.expires_at > new Date(Date.now() + 29 * 86400_000).toISOString()).to.equal(true);

    const revoke = await s.post(`/quan-tri/tai-khoan/ma-truy-cap/${row.id}/thu-hoi`, {});
    expect(revoke.status).to.equal(303);
    expect(revoke.headers.get("location")).to.equal("/quan-tri/tai-khoan?tb=tokenRevoked");
    expect((await svc.request("GET", "/api/me", { token: secret })).status).to.equal(401);
    expect(await (await s.get("/quan-tri/tai-khoan")).text()).to.contain("đã thu hồi");
  });

  it("refuses a bad token form (400) and revoking someone else's token (404); nothing changes", async () => {
    const bad = await s.post("/quan-tri/tai-khoan/ma-truy-cap", { label: "x", expiresInDays: "0" });
    expect(bad.status).to.equal(400);
    expect(await bad.text()).to.contain('aria-invalid="true"');
    await svc.userWithRoles("someone", ["clerk"]);
    const other = await svc.services.db("api_tokens").where({ label: "test" }).first();
    const r = await s.post(`/quan-tri/tai-khoan/ma-truy-cap/${other.id}/thu-hoi`, {});
    expect(r.status).to.equal(404);
    expect((await svc.services.db("api_tokens").where({ id: other.id }).first()).revoked_at).to.equal(null);
  });

  it("refuses a post without the CSRF token (403)", async () => {
    const r = await s.post("/quan-tri/tai-khoan/ma-truy-cap", { label: "không csrf" }, false);
    expect(r.status).to.equal(403);
    expect(await svc.services.db("api_tokens").where({ label: "không csrf" })).to.have.length(0);
  });
});
