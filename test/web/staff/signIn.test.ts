import fs from "node:fs";
import path from "node:path";
import { expect } from "chai";
import { startTestService, type TestService } from "../../support/service";

const cookieOf = (r: Response, name: string) => {
  const all = r.headers.getSetCookie();
  const c = all.find((h) => h.startsWith(`${name}=`));
  return c ? { value: c.split(";")[0].slice(name.length + 1), raw: c } : undefined;
};
const csrfIn = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)![1];

describe("staff sign-in", () => {
  let svc: TestService;
  let password: string;
  before(async () => {
    svc = await startTestService();
    password = fs.readFileSync(path.join(svc.dataDir, "admin.password"), "utf8").trim();
  });
  after(() => svc.stop());

  async function signIn(pw: string) {
    const page = await svc.request("GET", "/dang-nhap");
    const login = cookieOf(page, "ct_login_csrf")!;
    const csrf = csrfIn(await page.text());
    const body = new URLSearchParams({ _csrf: csrf, username: "admin", password: pw, tiep: "/quan-tri" }).toString();
    return fetch(svc.url + "/dang-nhap", {
      method: "POST", redirect: "manual", body,
      headers: { "content-type": "application/x-www-form-urlencoded", cookie: `ct_login_csrf=${login.value}` },
    });
  }

  it("redirects pages to the sign-in form without a session", async () => {
    const r = await fetch(svc.url + "/quan-tri", { redirect: "manual" });
    expect(r.status).to.equal(302);
    expect(r.headers.get("location")).to.match(/^\/dang-nhap\?tiep=/);
  });

  it("signs in with the bootstrap password and sets an HttpOnly, SameSite=Strict session cookie", async () => {
    const r = await signIn(password);
    expect(r.status).to.equal(302);
    const c = cookieOf(r, "ct_session")!;
    expect(c.raw).to.match(/httponly/i).and.match(/samesite=strict/i);
    const home = await svc.request("GET", "/quan-tri", { headers: { cookie: `ct_session=${c.value}` } });
    expect(home.status).to.equal(200);
    expect(await home.text()).to.contain("Bảng điều khiển").and.contain("admin");
  });

  it("refuses a wrong password with a Vietnamese message and an audit row", async () => {
    const r = await signIn("wrong-password");
    expect(r.status).to.equal(401);
    expect(await r.text()).to.contain("Tên đăng nhập hoặc mật khẩu không đúng");
    const row = await svc.services.db("audit_log").where({ action: "auth.failed" }).orderBy("seq", "desc").first();
    expect(JSON.parse(row.details)).to.include({ username: "admin", via: "web" });
  });

  it("refuses a sign-in without the form's CSRF token", async () => {
    const body = new URLSearchParams({ username: "admin", password }).toString();
    const r = await svc.request("POST", "/dang-nhap", { body, headers: { "content-type": "application/x-www-form-urlencoded" } });
    expect(r.status).to.equal(403);
  });

  it("signs out only with the session's CSRF token", async () => {
    const c = cookieOf(await signIn(password), "ct_session")!;
    const cookie = `ct_session=${c.value}`;
    const forged = await svc.request("POST", "/dang-xuat", { body: "_csrf=nope", headers: { cookie, "content-type": "application/x-www-form-urlencoded" } });
    expect(forged.status).to.equal(403);
    const home = await (await svc.request("GET", "/quan-tri", { headers: { cookie } })).text();
    const out = await fetch(svc.url + "/dang-xuat", { method: "POST", redirect: "manual", body: `_csrf=${encodeURIComponent(csrfIn(home))}`, headers: { cookie, "content-type": "application/x-www-form-urlencoded" } });
    expect(out.status).to.equal(302);
    const after = await fetch(svc.url + "/quan-tri", { redirect: "manual", headers: { cookie } });
    expect(after.status).to.equal(302);
  });

  it("slows down guessing: after 10 failed sign-ins from one address a 429; successful ones do not count", async () => {
    for (let i = 0; i < 15; i++) expect((await signIn(password)).status, `success ${i}`).to.equal(302);
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) statuses.push((await signIn("wrong-password")).status);
    // One failure was spent by the earlier test in this service.
    expect(statuses.filter((s) => s === 401).length).to.equal(9);
    expect(statuses.slice(-3)).to.deep.equal([429, 429, 429]);
    expect((await signIn(password)).status).to.equal(429);
  });
});
