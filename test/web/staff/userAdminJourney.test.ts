import fs from "node:fs";
import path from "node:path";
import { expect } from "chai";
import type { BrowserContext, Page } from "playwright-core";
import { startTestService, type TestService } from "../../support/service";
import { requirePeer } from "../../support/peers";
import { CHROMIUM, launchBrowser, shot, signIn, signOut } from "./support";

/**
 * In Chromium: the administrator creates a clerk from the form (labels, checkboxes), sends the
 * enrolment code, asks for a privileged role and is told it waits for approval; then on "Tài khoản
 * của tôi" issues an API token, shown once. Assertions read what the user sees.
 */
describe("staff web interface: user administration in Chromium", function () {
  this.timeout(60_000);
  let svc: TestService;
  let browser: BrowserContext;
  let page: Page;

  before(async function () {
    requirePeer(this, "chromium", fs.existsSync(CHROMIUM), "apt-get install chromium");
    svc = await startTestService();
    browser = await launchBrowser();
    page = await browser.newPage();
  });
  after(async () => {
    await browser?.close();
    await svc?.stop();
  });

  it("creates a clerk, sends the enrolment code, and is told a privileged role waits for a second admin", async () => {
    const admin = { username: "admin", password: fs.readFileSync(path.join(svc.dataDir, "admin.password"), "utf8").trim() };
    await signIn(page, svc.url, admin);
    await page.getByRole("link", { name: "Người dùng" }).click();
    await page.getByLabel("Tên đăng nhập").fill("clerk.thu");
    await page.getByLabel("Họ và tên").fill("Ngô Thị Thu");
    await page.getByLabel("Thư điện tử công vụ").fill("thu@mof.gov.vn");
    await page.getByLabel("Cán bộ tiếp nhận hồ sơ").check();
    await page.getByRole("button", { name: "Tạo người dùng" }).click();
    expect(await page.getByRole("status").first().textContent()).to.contain("Đã tạo người dùng");
    await page.getByRole("link", { name: "clerk.thu" }).click();
    await page.getByRole("button", { name: "Gửi mã kích hoạt" }).click();
    expect(await page.getByRole("status").first().textContent()).to.contain("mã không hiển thị cho quản trị viên");
    await page.getByLabel(/Cán bộ vận hành CA/).check();
    await page.getByRole("button", { name: "Lưu vai trò" }).click();
    expect(await page.getByRole("status").first().textContent()).to.contain("chờ một quản trị viên khác phê duyệt");
    expect(await page.getByRole("link", { name: "Xem đề nghị đang chờ phê duyệt" }).getAttribute("href")).to.equal("/quan-tri/phe-duyet");
    await shot(page, "user-admin-pending");

    await page.getByRole("link", { name: "Tài khoản của tôi" }).click();
    await page.getByLabel("Nhãn (để nhận biết mã)").fill("tích hợp");
    await page.getByRole("button", { name: "Cấp mã truy cập mới" }).click();
    const secret = (await page.locator("#token").textContent())!.trim();
    expect((await svc.request("GET", "/api/me", { token: secret })).status).to.equal(200);
    await shot(page, "account-token-once");
    await page.getByRole("link", { name: "Về tài khoản của tôi" }).click();
    expect(await page.content()).to.not.contain(secret);
    await shot(page, "account");
    await signOut(page);
  });
});
