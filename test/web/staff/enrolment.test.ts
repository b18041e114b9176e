import { expect } from "chai";
import { startTestService, type TestService } from "../../support/service";
import { LoopbackSmtp } from "../../support/smtp";

/** The activation page the enrolment e-mail links to (/kich-hoat), over plain HTTP with its CSRF cookie. */
describe("staff web: account activation page (/kich-hoat)", function () {
  this.timeout(30_000);
  let smtp: LoopbackSmtp;
  let svc: TestService;
  before(async () => {
    smtp = await new LoopbackSmtp().start(0);
    svc = await startTestService({ SMTP_URL: smtp.url });
  });
  after(async () => {
    await svc?.stop();
    await smtp?.stop();
  });

  async function openPage(u: string) {
    const r = await fetch(`${svc.url}/kich-hoat?u=${encodeURIComponent(u)}`);
    expect(r.status).to.equal(200);
    expect(r.headers.get("cache-control")).to.equal("no-store");
    const cookie = r.headers.getSetCookie().find((c) => c.startsWith("ct_enrol_csrf="))!.split(";")[0];
    const html = await r.text();
    return { cookie, csrf: /name="_csrf" value="([^"]+)"/.exec(html)![1], html };
  }
  const post = (cookie: string, form: Record<string, string>) => fetch(`${svc.url}/kich-hoat`, {
    method: "POST", redirect: "manual", headers: { "content-type": "application/x-www-form-urlencoded", cookie },
    body: new URLSearchParams(form).toString(),
  });

  it("sets the person's password from the mailed code and shows the first token once; refuses a wrong code, a mismatch and a missing CSRF token", async () => {
    const c = await svc.request("POST", "/api/users", { token: svc.adminToken, json: { username: "van-thu", fullName: "Lê Thị Văn Thư", email: "vanthu@bcy.gov.vn", roles: ["clerk"] } });
    const { id } = await c.json();
    expect((await svc.request("POST", `/api/users/${id}/enrolment`, { token: svc.adminToken })).status).to.equal(201);
    await svc.drainOutbox();
    const code = /[A-HJ-NP-Z2-9]{5}(?:-[A-HJ-NP-Z2-9]{5}){3}/.exec(smtp.received.at(-1)!.parsed.text!)![0];
    const link = /(http:\/\/\S+\/kich-hoat\?u=van-thu)/.exec(smtp.received.at(-1)!.parsed.text!)![1];
    expect(link).to.contain("/kich-hoat?u=van-thu");

    const page = await openPage("van-thu");
    expect(page.html).to.contain("Kích hoạt tài khoản");
    expect(page.html).to.contain('value="van-thu"');

    const noCsrf = await post(page.cookie, { username: "van-thu", code, password: "mat-khau-cua-van-thu", password2: "mat-khau-cua-van-thu" });
    expect(noCsrf.status).to.equal(403);
    const mismatch = await post(page.cookie, { _csrf: page.csrf, username: "van-thu", code, password: "mat-khau-cua-van-thu", password2: "khac-hoan-toan-2026" });
    expect(mismatch.status).to.equal(400);
    expect(await mismatch.text()).to.contain("không khớp");
    const wrong = await post(page.cookie, { _csrf: page.csrf, username: "van-thu", code: "ZZZZZ-ZZZZZ-ZZZZZ-ZZZZZ", password: "mat-khau-cua-van-thu", password2: "mat-khau-cua-van-thu" });
    expect(wrong.status).to.equal(400);
    expect(await wrong.text()).to.contain("mã kích hoạt không đúng");
    const failed = await svc.services.db("audit_log").where({ action: "enrolment.failed", object_id: id });
    expect(JSON.parse(failed[0].details)).to.include({ via: "web", reason: "invalid" });

    const ok = await post(page.cookie, { _csrf: page.csrf, username: "van-thu", code, password: "mat-khau-cua-van-thu", password2: "mat-khau-cua-van-thu" });
    expect(ok.status).to.equal(200);
    expect(ok.headers.get("cache-control")).to.equal("no-store");
    const html = await ok.text();
    expect(html).to.contain("Đã kích hoạt tài khoản van-thu");
    const token = /<code id="token">([^<]+)<\/code>/.exec(html)![1];
    expect((await (await svc.request("GET", "/api/me", { token })).json()).username).to.equal("van-thu");

    const used = await post(page.cookie, { _csrf: page.csrf, username: "van-thu", code, password: "mat-khau-cua-van-thu", password2: "mat-khau-cua-van-thu" });
    expect(used.status).to.equal(410);
    expect(await used.text()).to.contain("đã được sử dụng");
  });
});
