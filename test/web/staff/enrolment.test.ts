import { expect } from "chai";
import type { TestService } from "../../support/service";
import { startServiceWithSmtp, type LoopbackSmtp } from "../../support/smtp";
import { httpSession, staffUser } from "./support";
import { issueToken } from "../../../src/auth/users";
import { cliActor } from "../../../src/auth/actor";

/** The activation page the enrolment e-mail links to (/kich-hoat), over plain HTTP with its CSRF cookie. */
describe("staff web: account activation page (/kich-hoat)", function () {
  this.timeout(30_000);
  let smtp: LoopbackSmtp;
  let svc: TestService;
  before(async () => {
    ({ smtp } = svc = await startServiceWithSmtp());
  });
  after(async () => svc?.stop());

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

  it("shows a second admin the privileged-role request with the buttons, and not its requester; the second admin approves it on the page", async () => {
    const first = await staffUser(svc, "quan-tri-1", "Phạm Quản Trị Một", ["admin"]);
    const second = await staffUser(svc, "quan-tri-2", "Phạm Quản Trị Hai", ["admin"]);
    const s1 = await httpSession(svc, first);
    const s2 = await httpSession(svc, second);
    // quan-tri-1 asks (over the API, with a token the CLI issued) for a CA operator.
    const u1 = await svc.services.db("users").where({ username: "quan-tri-1" }).first();
    const t1 = (await issueToken(svc.services.db, cliActor, u1.id, { label: "test" })).secret;
    const r = await svc.request("POST", "/api/users", { token: t1, json: { username: "van-hanh-web", fullName: "Đỗ Văn Hành", email: "vanhanh@bcy.gov.vn", roles: ["ca_operator"] } });
    expect(r.status).to.equal(202);
    const { id } = await r.json();
    const own = await (await s1.get("/quan-tri/phe-duyet")).text();
    expect(own).to.contain("Cấp vai trò đặc quyền cho người dùng");
    expect(own).to.not.contain(`/quan-tri/phe-duyet/${id}/duyet`);
    expect((await s1.post(`/quan-tri/phe-duyet/${id}/duyet`, {})).status).to.equal(403);
    const page = await (await s2.get("/quan-tri/phe-duyet")).text();
    expect(page).to.contain("vanhanh@bcy.gov.vn");
    expect(page).to.contain(`/quan-tri/phe-duyet/${id}/duyet`);
    const ok = await s2.post(`/quan-tri/phe-duyet/${id}/duyet`, {});
    expect(ok.status).to.equal(303);
    const u = await svc.services.db("users").where({ username: "van-hanh-web" }).first();
    expect(u.email).to.equal("vanhanh@bcy.gov.vn");
    const approval = await svc.services.db("approvals").where({ id }).first();
    expect(approval).to.include({ status: "executed", decided_by_name: "quan-tri-2", requested_by_name: "quan-tri-1" });
  });

  it("links the sign-in page to the activation page", async () => {
    const html = await (await fetch(`${svc.url}/dang-nhap`)).text();
    expect(html).to.contain('href="/kich-hoat"');
  });
});
