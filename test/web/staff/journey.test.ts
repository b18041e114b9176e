import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { expect } from "chai";
import type { BrowserContext, Page } from "playwright-core";
import { startTestService, type TestService } from "../../support/service";
import { hasCommand, requirePeer } from "../../support/peers";
import { sampleDossier, sampleSubscriber, subscriberCsv } from "../../support/dossiers";
import { tmpDir } from "../../ca/openssl";
import { CHROMIUM, launchBrowser, shot, signIn, signOut, staffUser } from "./support";

/**
 * The staff's day in a real browser: a clerk records a Mẫu 01 dossier with its CSV list, a reviewer
 * requests a correction (checklist, mail preview), the clerk corrects and resubmits, the reviewer
 * accepts, the CA operator issues from CSRs, the device officer loads the devices and hands them
 * over, and the certificates are published. Assertions read what the user sees.
 */
describe("staff web interface: the journey of a dossier in Chromium", function () {
  let svc: TestService;
  let browser: BrowserContext;
  let page: Page;
  let dir: string;
  let dossierUrl = "";
  const users: Record<string, { username: string; password: string }> = {};
  const dialogs: string[] = [];
  const people = [sampleSubscriber(0), sampleSubscriber(1)];
  const serials: string[] = [];

  before(async function () {
    requirePeer(this, "chromium", fs.existsSync(CHROMIUM), "apt-get install chromium");
    requirePeer(this, "openssl", hasCommand("openssl"), "apt-get install openssl");
    requirePeer(this, "pdftotext", hasCommand("pdftotext"), "apt-get install poppler-utils");
    // The embedded LDAP server listens (free port): the directory page searches it over LDAP.
    svc = await startTestService({ LDAP_PORT: "0" });
    users.clerk = await staffUser(svc, "tiepnhan", "Lê Thị Tiếp Nhận", ["clerk"]);
    users.reviewer = await staffUser(svc, "kiemduyet", "Phạm Văn Kiểm Duyệt", ["reviewer"]);
    users.operator = await staffUser(svc, "vanhanh", "Hoàng Văn Vận Hành", ["ca_operator"]);
    users.devices = await staffUser(svc, "thietbi", "Đỗ Thị Thiết Bị", ["device_officer"]);
    users.auditor = await staffUser(svc, "kiemtoan", "Vũ Văn Kiểm Toán", ["auditor"]);
    dir = tmpDir();
    for (const i of [0, 1]) {
      execFileSync("openssl", ["req", "-new", "-newkey", "rsa:2048", "-nodes", "-keyout", path.join(dir, `k${i}.key`), "-out", path.join(dir, `k${i}.csr`), "-subj", "/CN=ignored"], { stdio: "pipe" });
    }
    browser = await launchBrowser();
    page = await browser.newPage();
    page.on("dialog", (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
  });
  after(async () => {
    await browser?.close();
    await svc?.stop();
  });

  const main = () => page.locator("main");
  const flash = () => page.locator(".flash");

  it("the clerk signs in and sees the dashboard with her role", async () => {
    await signIn(page, svc.url, users.clerk);
    expect(await page.getByRole("heading", { level: 1 }).textContent()).to.equal("Bảng điều khiển");
    expect(await main().textContent()).to.contain("Cán bộ tiếp nhận hồ sơ");
    // The menu shows what the role may use, and nothing else.
    expect(await page.getByRole("link", { name: "Hồ sơ đề nghị" }).count()).to.equal(1);
    expect(await page.getByRole("link", { name: "Nhật ký kiểm toán" }).count()).to.equal(0);
    await shot(page, "01-dashboard-clerk");
  });

  it("a new Mẫu 01 dossier: the CSV preview shows each row's errors before anything is saved", async () => {
    await page.getByRole("link", { name: "Hồ sơ đề nghị" }).click();
    await page.getByRole("link", { name: "Tạo hồ sơ mới" }).click();
    await page.getByRole("link", { name: "Mẫu 01 – Cấp chứng thư số cho cá nhân" }).click();
    await page.getByLabel("Tên cơ quan, tổ chức").fill("Bộ Tài chính");
    await page.getByLabel("Địa chỉ trụ sở").fill("Số 28 Trần Hưng Đạo, phường Cửa Nam, Hà Nội");
    await page.getByLabel("Số điện thoại của cơ quan").fill("024 2220 2828");
    await page.getByLabel("Thư điện tử của cơ quan").fill("vanthu-at-mof.gov.vn"); // wrong on purpose
    await page.getByLabel("Loại chứng thư số").fill("Chứng thư số cá nhân");
    await page.getByLabel("Cơ quan, tổ chức cam kết sử dụng chứng thư số đúng mục đích").check();
    const bad = [people[0], { ...people[1], idNumber: "12345", email: "khong-phai-thu" }];
    await page.getByLabel("Tệp danh sách (CSV theo Mẫu 01)").setInputFiles({ name: "danh-sach.csv", mimeType: "text/csv", buffer: Buffer.from(subscriberCsv(bad)) });
    await page.getByRole("button", { name: "Xem trước danh sách" }).click();
    const preview = page.locator("section.preview");
    expect(await preview.getByRole("status").textContent()).to.contain("2 người").and.contain("lỗi cần sửa");
    const rows = preview.locator("tbody tr");
    expect(await rows.count()).to.equal(2);
    expect(await rows.nth(0).locator(".field-error").count()).to.equal(0);
    const rowErrors = await rows.nth(1).locator(".field-error").allTextContents();
    expect(rowErrors.join(" ")).to.contain("Số CCCD/CMND/Hộ chiếu").and.contain("Thư điện tử công vụ");
    await shot(page, "02-csv-preview-errors");
    expect(await svc.services.db("dossiers").count({ n: "*" }).first()).to.deep.equal({ n: 0 });

    // The corrected file: no errors; saving still reports the wrong agency e-mail next to its input.
    await page.getByLabel("Tệp danh sách (CSV theo Mẫu 01)").setInputFiles({ name: "danh-sach.csv", mimeType: "text/csv", buffer: Buffer.from(subscriberCsv(people)) });
    await page.getByRole("button", { name: "Xem trước danh sách" }).click();
    expect(await page.locator("section.preview").getByRole("status").textContent()).to.contain("2 người; không có lỗi");
    await page.getByRole("button", { name: "Lưu hồ sơ" }).click();
    const email = page.getByLabel("Thư điện tử của cơ quan");
    expect(await email.getAttribute("aria-invalid")).to.equal("true");
    const describedBy = (await email.getAttribute("aria-describedby"))!.trim().split(/\s+/).pop()!;
    expect(await page.locator(`#${describedBy}`).textContent()).to.contain("Thư điện tử của cơ quan: không đúng định dạng thư điện tử");
    expect(await page.getByRole("alert").textContent()).to.contain("Hồ sơ chưa lưu được");
    await shot(page, "03-field-errors");

    await email.fill("vanthu@mof.gov.vn");
    await page.getByRole("button", { name: "Lưu hồ sơ" }).click();
    await page.waitForURL(/\/quan-tri\/ho-so\/[0-9a-f-]{36}/);
    dossierUrl = page.url().split("?")[0];
    expect(await flash().textContent()).to.contain("Đã tạo hồ sơ");
    expect(await page.locator(".summary").textContent()).to.contain("bản nháp");
    expect(await main().locator("table.people tbody tr").count()).to.equal(2);
    expect(await main().textContent()).to.contain("Nguyễn Văn Thử 2").and.contain("05/03/1985");
    // The clerk's actions only.
    expect(await page.getByRole("button", { name: "Tiếp nhận hồ sơ" }).count()).to.equal(1);
    expect(await page.getByRole("button", { name: "Bắt đầu kiểm duyệt" }).count()).to.equal(0);
    await shot(page, "04-dossier-draft");
  });

  it("the request document is previewed and downloaded as PDF", async () => {
    const frame = page.locator(".pdf-preview iframe");
    expect(await frame.getAttribute("src")).to.match(/\/van-ban\.pdf$/);
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: /Tải văn bản đề nghị/ }).click()]);
    const file = path.join(dir, "request.pdf");
    await download.saveAs(file);
    const text = execFileSync("pdftotext", ["-layout", file, "-"]).toString();
    expect(text).to.contain("Bộ Tài chính").and.contain("Nguyễn Văn Thử 1");
  });

  it("the clerk records the receipt: the review clock starts (deadline in working days)", async () => {
    await page.getByRole("button", { name: "Tiếp nhận hồ sơ" }).click();
    expect(await flash().textContent()).to.contain("Đã tiếp nhận hồ sơ");
    expect(await page.locator(".summary").textContent()).to.contain("đã tiếp nhận").and.match(/ngày làm việc|hết hạn trong hôm nay/);
    await signOut(page);
  });

  it("the reviewer sees it in the queue, starts the review and requests a correction with a previewed e-mail", async () => {
    await signIn(page, svc.url, users.reviewer);
    const queue = page.locator("section", { has: page.getByRole("heading", { name: /Hàng đợi kiểm duyệt/ }) });
    expect(await queue.textContent()).to.contain("Bộ Tài chính").and.match(/ngày làm việc|hết hạn trong hôm nay/);
    await shot(page, "05-dashboard-reviewer");
    await queue.getByRole("link").first().click();
    expect(await page.getByRole("button", { name: "Tiếp nhận hồ sơ" }).count()).to.equal(0);
    await page.getByRole("button", { name: "Bắt đầu kiểm duyệt" }).click();
    expect(await page.locator(".summary").textContent()).to.contain("đang kiểm duyệt");
    await page.getByRole("link", { name: "Yêu cầu bổ sung, sửa đổi" }).click();
    // A catalogue reason for one row of the list, and a free-text reason.
    const item = page.locator(".check-item").filter({ hasText: "Số CCCD/CMND/Hộ chiếu" }).first();
    await item.getByRole("checkbox").check();
    await item.getByLabel("Dòng số").fill("2");
    await page.getByLabel("Lý do 1").fill("Đề nghị ghi rõ chức vụ của người ký văn bản.");
    await page.getByRole("button", { name: "Xem trước thư" }).click();
    const mail = page.locator(".mail-preview");
    const mailText = await mail.textContent();
    expect(mailText).to.contain("vanthu@mof.gov.vn").and.contain("Yêu cầu bổ sung, sửa đổi hồ sơ").and.contain("dòng số 2 (Nguyễn Văn Thử 2)")
      .and.contain("Đề nghị ghi rõ chức vụ của người ký văn bản.");
    await shot(page, "06-correction-preview");
    expect(await svc.services.db("outbox").where("kind", "like", "mail.%").count({ n: "*" }).first()).to.deep.equal({ n: 0 });
    await page.getByRole("button", { name: "Gửi yêu cầu bổ sung" }).click();
    expect(await flash().textContent()).to.contain("Đã gửi yêu cầu bổ sung");
    expect(await page.locator(".summary").textContent()).to.contain("chờ bổ sung, sửa đổi");
    expect(await main().textContent()).to.contain("Lần 1").and.contain("dòng số 2");
    await signOut(page);
  });

  it("the clerk corrects the dossier and submits it again", async () => {
    await signIn(page, svc.url, users.clerk);
    await page.goto(dossierUrl);
    await page.getByRole("link", { name: "Sửa hồ sơ" }).click();
    expect(await page.getByLabel("Tên cơ quan, tổ chức").inputValue()).to.equal("Bộ Tài chính");
    await page.getByLabel("Ghi chú").fill("Người ký: Vụ trưởng Vụ Tổ chức cán bộ.");
    await page.getByRole("button", { name: "Lưu sửa đổi" }).click();
    expect(await flash().textContent()).to.contain("Đã lưu các sửa đổi");
    expect(await page.locator(".summary").textContent()).to.contain("đã bổ sung, sửa đổi");
    await page.getByRole("button", { name: "Tiếp nhận hồ sơ" }).click();
    expect(await page.locator(".summary").textContent()).to.contain("đã tiếp nhận");
    await signOut(page);
  });

  it("the reviewer accepts", async () => {
    await signIn(page, svc.url, users.reviewer);
    await page.goto(dossierUrl);
    await page.getByRole("button", { name: "Bắt đầu kiểm duyệt" }).click();
    await page.getByRole("button", { name: "Chấp thuận hồ sơ" }).click();
    expect(await flash().textContent()).to.contain("Đã chấp thuận");
    expect(await page.locator(".summary").textContent()).to.contain("đã chấp thuận");
    const history = await page.locator("section", { has: page.getByRole("heading", { name: "Lịch sử xử lý" }) }).textContent();
    expect(history).to.contain("Yêu cầu bổ sung, sửa đổi").and.contain("Chấp thuận").and.contain("kiemduyet").and.contain("tiepnhan");
    await shot(page, "07-dossier-accepted");
    // Readable on a tablet: nothing wider than the screen except the tables, which scroll in their frames.
    await page.setViewportSize({ width: 820, height: 1180 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).to.equal(true);
    await shot(page, "07b-dossier-tablet");
    await page.setViewportSize({ width: 1280, height: 900 });
    // Keyboard: the first Tab lands on the skip link, which leads to the main content.
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.textContent)).to.equal("Chuyển đến nội dung chính");
    await page.keyboard.press("Enter");
    expect(await page.evaluate(() => document.activeElement?.id)).to.equal("noi-dung");
    await signOut(page);
  });

  it("the CA operator issues each person's certificate from the CSR made on the device", async () => {
    await signIn(page, svc.url, users.operator);
    await page.goto(dossierUrl);
    await page.getByRole("link", { name: "Cấp chứng thư số" }).click();
    for (const i of [0, 1]) {
      await page.getByLabel(`CSR của ${people[i].fullName}`).fill(fs.readFileSync(path.join(dir, `k${i}.csr`), "utf8"));
      await page.getByRole("button", { name: `Cấp chứng thư cho ${people[i].fullName}` }).click();
      expect(await flash().textContent()).to.contain("Đã cấp chứng thư số");
    }
    const links = page.locator("table.issue a.mono");
    expect(await links.count()).to.equal(2);
    serials.push(...(await links.allTextContents()).map((s) => s.trim()));
    await shot(page, "08-issued");
    await links.first().click();
    expect(await page.getByRole("heading", { level: 1 }).textContent()).to.contain("Chứng thư số");
    const body = await main().textContent();
    expect(body).to.contain("Nguyễn Văn Thử 1").and.contain("Chuỗi chứng thư").and.contain("Mục đích sử dụng khóa");
    expect(await page.getByRole("heading", { name: "Thu hồi chứng thư số" }).count()).to.equal(1);
    await shot(page, "09-certificate");
    // The PEM download is the certificate openssl reads.
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Tệp PEM" }).click()]);
    await download.saveAs(path.join(dir, "c0.pem"));
    const serial = execFileSync("openssl", ["x509", "-in", path.join(dir, "c0.pem"), "-noout", "-serial"]).toString().trim().split("=")[1].toLowerCase().replace(/^0+/, "");
    expect(serial).to.equal(serials[0]);
    await page.goto(dossierUrl);
    expect(await page.locator(".summary").textContent()).to.contain("đã cấp");
    await signOut(page);
  });

  it("the device officer loads both tokens, hands them over with a record (Mẫu 07), and the certificates are published", async () => {
    await signIn(page, svc.url, users.devices);
    for (const i of [0, 1]) {
      await page.goto(`${svc.url}/quan-tri/thiet-bi`);
      await page.getByText("Nhập thiết bị mới vào kho").click();
      await page.getByLabel("Số sê-ri thiết bị").fill(`TK-2026-000${i + 1}`);
      await page.getByLabel("Mẫu thiết bị").fill("ePass2003");
      await page.getByLabel("Nhà sản xuất").fill("Feitian");
      await page.getByRole("button", { name: "Nhập kho" }).click();
      expect(await flash().textContent()).to.contain("Đã nhập thiết bị");
      await page.getByLabel("Trạng thái mới").selectOption({ label: "đã khởi tạo" });
      await page.getByLabel("Lý do").fill("Khởi tạo token tại trạm");
      await page.getByRole("button", { name: "Chuyển trạng thái" }).click();
      await page.getByLabel("Số hiệu chứng thư số").fill(serials[i]);
      await page.getByRole("button", { name: "Ghi nhận chứng thư" }).click();
      expect(await flash().textContent()).to.contain("Đã ghi nhận chứng thư");
      expect(await main().textContent()).to.contain("đã nạp chứng thư").and.contain(people[i].fullName);
    }
    await page.goto(dossierUrl);
    await page.getByRole("link", { name: "Bàn giao thiết bị" }).click();
    expect(await page.getByLabel("Họ và tên người nhận").inputValue()).to.equal("");
    await page.getByLabel("Họ và tên người nhận").fill("Trần Thị Nhận");
    await page.getByLabel("Chức vụ").nth(1).fill("Văn thư");
    await page.getByLabel("Số CCCD/CMND/Hộ chiếu").fill("001190123456");
    expect(await page.getByRole("checkbox").count()).to.equal(2);
    await shot(page, "10-handover-form");
    await page.getByRole("button", { name: "Lập biên bản bàn giao" }).click();
    expect(await flash().textContent()).to.contain("Đã lập biên bản bàn giao");
    expect(await page.getByRole("heading", { level: 1 }).textContent()).to.match(/Biên bản bàn giao số \d+\/\d{4}\/BB-BG/);
    await shot(page, "11-handover");
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Tải biên bản bàn giao (PDF)" }).click()]);
    await download.saveAs(path.join(dir, "record.pdf"));
    const record = execFileSync("pdftotext", ["-layout", path.join(dir, "record.pdf"), "-"]).toString();
    expect(record).to.contain("Trần Thị Nhận").and.contain("TK-2026-0001").and.contain("TK-2026-0002");
    // Serials as the record prints them (grouped, any case): compare the hex digits.
    expect(record.replace(/[^0-9A-Fa-f]/g, "").toLowerCase()).to.contain(serials[0].replace(/^0+/, ""));

    await page.goto(dossierUrl);
    expect(await page.locator(".summary").textContent()).to.contain("đã bàn giao");
    // Step 4: the outbox publishes to the directory; the public site and the directory show them.
    await svc.drainOutbox();
    await page.goto(`${svc.url}/quan-tri/danh-ba?q=${encodeURIComponent(people[0].fullName)}`);
    expect(await main().textContent()).to.contain(people[0].fullName).and.contain("Số hiệu (serial)");
    expect(await main().locator("details").textContent()).to.match(/Nguồn: ldap:\/\/127\.0\.0\.1:\d+/);
    await shot(page, "12-directory");
    await page.goto(`${svc.url}/tra-cuu?q=${encodeURIComponent(people[0].fullName)}`);
    expect(await page.locator("main").textContent()).to.contain(people[0].fullName);
    await shot(page, "13-public-lookup");
    await page.goto(`${svc.url}/quan-tri`);
    await signOut(page);
  });

  it("the CA operator revokes one certificate with a reason; it leaves the directory", async () => {
    await signIn(page, svc.url, users.operator);
    const colons = serials[1].toUpperCase().replace(/(..)(?=.)/g, "$1:");
    await page.goto(`${svc.url}/quan-tri/danh-ba?q=${encodeURIComponent(people[1].fullName)}`);
    expect(await main().textContent()).to.contain(colons);
    await page.getByRole("link", { name: "Chứng thư số", exact: true }).click();
    await page.getByLabel("Họ tên, cơ quan, thư điện tử").fill(people[1].fullName);
    await page.getByRole("button", { name: "Tìm" }).click();
    await page.getByRole("link", { name: serials[1] }).click();
    await page.getByLabel("Lý do thu hồi").selectOption({ label: "Lộ khóa bí mật" });
    await page.getByLabel("Ghi chú (căn cứ, văn bản đề nghị)").fill("Người sử dụng báo mất thiết bị.");
    await page.getByRole("button", { name: "Thu hồi chứng thư số" }).click();
    // Key compromise outside a Mẫu 05 dossier: dual control, a second CA operator approves (issue 8).
    expect(await flash().textContent()).to.contain("chờ một người vận hành CA thứ hai phê duyệt");
    const second = await svc.userWithRoles("api-operator-2", ["ca_operator"]);
    const [pending] = ((await (await svc.request("GET", "/api/approvals?status=pending", { token: second })).json()) as { items: { id: string }[] }).items;
    const approved = await svc.request("POST", `/api/approvals/${pending.id}/approve`, { token: second, json: {} });
    expect(((await approved.json()) as { status: string }).status).to.equal("executed");
    await page.reload();
    expect(await page.locator(".summary").textContent()).to.contain("Lộ khóa bí mật");
    expect(await page.getByRole("button", { name: "Thu hồi chứng thư số" }).count()).to.equal(0);
    await shot(page, "15-revoked");
    await svc.drainOutbox();
    await page.goto(`${svc.url}/quan-tri/danh-ba?q=${encodeURIComponent(people[1].fullName)}`);
    expect(await main().textContent()).to.not.contain(colons);
    await signOut(page);
  });

  it("the device officer records a locked token and recovers it through an accepted Mẫu 06 dossier", async () => {
    // The Mẫu 06 dossier goes through the same procedure (here through the API, as the pages above showed it).
    const clerkToken = await svc.userWithRoles("api-clerk-06", ["clerk"]);
    const reviewerToken = await svc.userWithRoles("api-reviewer-06", ["reviewer"]);
    const d06 = sampleDossier("device_recovery");
    d06.devices = [{ serial: "TK-2026-0001", model: "ePass2003" }];
    const c = await svc.request("POST", "/api/requests", { token: clerkToken, json: d06 });
    expect(c.status, await c.clone().text()).to.equal(201);
    const id06 = ((await c.json()) as { id: string }).id;
    await svc.request("POST", `/api/requests/${id06}/submit`, { token: clerkToken, json: {} });
    await svc.request("POST", `/api/requests/${id06}/review`, { token: reviewerToken, json: { action: "start" } });
    expect((await svc.request("POST", `/api/requests/${id06}/review`, { token: reviewerToken, json: { action: "accept" } })).status).to.equal(200);

    await signIn(page, svc.url, users.devices);
    await page.getByRole("link", { name: "Thiết bị và bàn giao" }).click();
    await page.getByRole("link", { name: "TK-2026-0001" }).click();
    await page.getByLabel("Số lần nhập sai PIN").fill("5");
    await page.getByRole("button", { name: "Ghi nhận bị khóa" }).click();
    expect(await flash().textContent()).to.contain("Đã ghi nhận thiết bị bị khóa");
    expect(await main().textContent()).to.contain("bị khóa");
    await page.getByLabel("Cách khôi phục").selectOption("unblock");
    await page.getByRole("button", { name: "Khôi phục thiết bị" }).click();
    expect(await flash().textContent()).to.contain("Đã khôi phục thiết bị");
    expect(await main().locator("dl").textContent()).to.contain("đã khôi phục");
    await shot(page, "16-device-recovered");
    await signOut(page);
  });

  it("the CA operator carries out an accepted Mẫu 05 revocation dossier with one button", async () => {
    const clerkToken = await svc.userWithRoles("api-clerk-05", ["clerk"]);
    const reviewerToken = await svc.userWithRoles("api-reviewer-05", ["reviewer"]);
    const d05 = sampleDossier("revocation");
    d05.certificates = [{ serial: serials[0], holderName: people[0].fullName }];
    d05.quantity = 1;
    const c = await svc.request("POST", "/api/requests", { token: clerkToken, json: d05 });
    expect(c.status, await c.clone().text()).to.equal(201);
    const id05 = ((await c.json()) as { id: string }).id;
    await svc.request("POST", `/api/requests/${id05}/submit`, { token: clerkToken, json: {} });
    await svc.request("POST", `/api/requests/${id05}/review`, { token: reviewerToken, json: { action: "start" } });
    expect((await svc.request("POST", `/api/requests/${id05}/review`, { token: reviewerToken, json: { action: "accept" } })).status).to.equal(200);

    await signIn(page, svc.url, users.operator);
    await page.goto(`${svc.url}/quan-tri/ho-so/${id05}`);
    await page.getByRole("button", { name: "Thu hồi các chứng thư số trong hồ sơ" }).click();
    expect(await page.getByRole("status").textContent()).to.contain("Thành công 1/1");
    await shot(page, "17-execute-revocation");
    await page.getByRole("link", { name: serials[0] }).click();
    expect(await page.locator(".summary").textContent()).to.contain("Lộ khóa bí mật");
    await signOut(page);
  });

  it("the auditor reads the audit log with an intact hash chain", async () => {
    await signIn(page, svc.url, users.auditor);
    await page.getByRole("link", { name: "Nhật ký kiểm toán" }).click();
    expect(await page.locator(".chain-ok").textContent()).to.contain("Chuỗi băm toàn vẹn");
    await page.getByLabel("Hành động").fill("dossier.*");
    await page.getByRole("button", { name: "Lọc" }).click();
    const actions = await page.locator("table.audit tbody td:nth-child(4)").allTextContents();
    expect(actions.length).to.be.greaterThan(5);
    expect(actions.every((a) => a.startsWith("dossier."))).to.equal(true);
    await shot(page, "14-audit");
    await signOut(page);
    expect(dialogs).to.deep.equal([]);
  });
});
