import fs from "node:fs";
import { expect } from "chai";
import type { BrowserContext, Page } from "playwright-core";
import { startTestService, type TestService } from "../../support/service";
import { requirePeer } from "../../support/peers";
import { sampleDossier, sampleSubscriber } from "../../support/dossiers";
import { CHROMIUM, launchBrowser, shot, signIn, signOut, staffUser } from "./support";

const AGENCY = `Sở <script>window.__xss=1;alert("agency")</script> Thử`;
const PERSON = `<img src=x onerror="window.__xss=2;alert('person')">`;
const NOTE = `"><svg onload=alert(3)>`;

/** A dossier whose fields hold markup is rendered as text on every staff page that shows it. */
describe("staff web interface: markup in dossier fields renders as text", function () {
  let svc: TestService;
  let browser: BrowserContext;
  let page: Page;
  let id: string;
  const dialogs: string[] = [];
  let clerk: { username: string; password: string };
  let reviewer: { username: string; password: string };

  before(async function () {
    requirePeer(this, "chromium", fs.existsSync(CHROMIUM), "apt-get install chromium");
    svc = await startTestService();
    clerk = await staffUser(svc, "tn-xss", "Văn thư <b>đậm</b>", ["clerk"]);
    reviewer = await staffUser(svc, "kd-xss", "Kiểm duyệt", ["reviewer"]);
    const token = await svc.userWithRoles("api-xss", ["clerk"]);
    const d = sampleDossier("individual", 2);
    d.agency.name = AGENCY;
    d.subscribers[1] = { ...sampleSubscriber(1), fullName: PERSON, position: NOTE };
    d.note = NOTE;
    const r = await svc.request("POST", "/api/requests", { token, json: d });
    expect(r.status, await r.clone().text()).to.equal(201);
    id = ((await r.json()) as { id: string }).id;
    expect((await svc.request("POST", `/api/requests/${id}/submit`, { token, json: {} })).status).to.equal(200);
    browser = await launchBrowser();
    page = await browser.newPage();
    page.on("dialog", (dl) => {
      dialogs.push(dl.message());
      void dl.dismiss();
    });
  });
  after(async () => {
    await browser?.close();
    await svc?.stop();
  });

  async function assertInert(where: string) {
    expect(dialogs, where).to.deep.equal([]);
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss), where).to.equal(undefined);
    expect(await page.locator("main img[src='x'], main svg, main script").count(), where).to.equal(0);
  }

  it("as text on the list, the dossier page, the dashboard queue, the edit form and the correction preview", async () => {
    await signIn(page, svc.url, reviewer);
    expect(await page.locator("main").textContent()).to.contain(AGENCY);
    await assertInert("dashboard");
    await page.goto(`${svc.url}/quan-tri/ho-so`);
    expect(await page.locator("main").textContent()).to.contain(AGENCY);
    await assertInert("list");
    await page.goto(`${svc.url}/quan-tri/ho-so/${id}`);
    const text = await page.locator("main").textContent();
    expect(text).to.contain(AGENCY).and.contain(PERSON).and.contain(NOTE);
    await assertInert("dossier");
    await shot(page, "xss-dossier");
    await page.getByRole("button", { name: "Bắt đầu kiểm duyệt" }).click();
    await page.getByRole("link", { name: "Yêu cầu bổ sung, sửa đổi" }).click();
    const item = page.locator(".check-item").filter({ hasText: "Chức vụ" }).first();
    await item.getByRole("checkbox").check();
    await item.getByLabel("Dòng số").fill("2");
    await page.getByLabel("Lý do 1").fill(`<iframe src="javascript:alert(4)"></iframe>`);
    await page.getByRole("button", { name: "Xem trước thư" }).click();
    const mail = await page.locator(".mail-preview").textContent();
    expect(mail).to.contain(AGENCY).and.contain(PERSON).and.contain(`<iframe src="javascript:alert(4)"></iframe>`);
    expect(await page.locator("main iframe").count()).to.equal(0);
    await assertInert("correction preview");
    await page.getByRole("button", { name: "Gửi yêu cầu bổ sung" }).click();
    await page.waitForURL(/tb=correction/);
    await assertInert("after correction");
    await signOut(page);

    await signIn(page, svc.url, clerk);
    expect(await page.locator("header").textContent()).to.contain("Văn thư <b>đậm</b>");
    await page.goto(`${svc.url}/quan-tri/ho-so/${id}/sua`);
    expect(await page.getByLabel("Tên cơ quan, tổ chức").inputValue()).to.equal(AGENCY);
    expect(await page.getByLabel("Ghi chú").inputValue()).to.equal(NOTE);
    await assertInert("edit form");
    // Saved back unchanged: the text survives the round trip through the form.
    await page.getByRole("button", { name: "Lưu sửa đổi" }).click();
    await page.waitForURL(/tb=updated/);
    const saved = await svc.services.db("dossiers").where({ id }).first("agency_name");
    expect(saved.agency_name).to.equal(AGENCY);
    // Fields the edit form does not show survive the save.
    // A reviewer reads the personal fields unmasked (the admin sees them masked).
    const reader = await svc.userWithRoles("xss-reviewer", ["reviewer"]);
    const api = await (await svc.request("GET", `/api/requests/${id}`, { token: reader })).json() as { receiver: { idIssueDate: string }; agency: { budgetCode: string } };
    expect(api.receiver.idIssueDate).to.equal("2022-01-10");
    expect(api.agency.budgetCode).to.equal("1054321");
    await assertInert("after save");
  });
});
