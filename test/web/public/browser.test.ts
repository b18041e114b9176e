import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect } from "chai";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { startTestService, type TestService } from "../../support/service";
import { hasCommand, requirePeer } from "../../support/peers";
import { handOver, issueTestCertificate, makeTestCas, revoke, type TestCa, type TestLeaf } from "../../support/pki";
import { vnDateTime } from "../../../src/web/render";

const CHROMIUM = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
const screens = path.resolve("test-artifacts/screens");
const IDENTITY = "001203004567";

/** openssl's view of a DER certificate: its SHA-256 fingerprint as AA:BB:… */
function opensslFingerprint(der: Buffer): string {
  const out = execFileSync("openssl", ["x509", "-inform", "DER", "-noout", "-fingerprint", "-sha256"], { input: der }).toString();
  return out.trim().split("=")[1];
}

describe("public website in Chromium", function () {
  let svc: TestService;
  let browser: BrowserContext;
  let page: Page;
  let cas: { root: TestCa; issuing: TestCa };
  let hang: TestLeaf;
  let other: TestLeaf;
  let evil: TestLeaf;
  const dialogs: string[] = [];

  before(async function () {
    requirePeer(this, "chromium", fs.existsSync(CHROMIUM), "apt-get install chromium");
    requirePeer(this, "openssl", hasCommand("openssl"), "apt-get install openssl");
    svc = await startTestService({ PUBLIC_RATE_LIMIT_PER_MINUTE: "10000", PUBLIC_BASE_URL: "https://ca.example.gov.vn" });
    const db = svc.services.db;
    cas = await makeTestCas(db);
    hang = await issueTestCertificate(db, cas.issuing, {
      cn: "Nguyễn Thị Hằng", o: "Vụ Tổ chức cán bộ, Bộ Nội vụ", email: "Hang.NT@moha.gov.vn", uid: `CCCD:${IDENTITY}`,
      title: "Chuyên viên chính", rsa: true,
    });
    other = await issueTestCertificate(db, cas.issuing, {
      cn: "Đặng Văn Đức", o: "Sở Tài chính tỉnh Đắk Lắk", email: "ducdv@daklak.gov.vn", uid: "CCCD:066085000123", handedOver: true,
    });
    evil = await issueTestCertificate(db, cas.issuing, {
      cn: "<img src=x onerror=alert(1)>", o: "Cơ quan <script>alert(2)</script> thử nghiệm", email: "xss@test.gov.vn", handedOver: true,
    });
    fs.mkdirSync(screens, { recursive: true });
    // A fresh profile each run (playwright passes it as --user-data-dir).
    browser = await chromium.launchPersistentContext(fs.mkdtempSync(path.join(os.tmpdir(), "chromium-")), {
      executablePath: CHROMIUM,
      headless: true,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--lang=vi-VN"],
      locale: "vi-VN",
      viewport: { width: 1100, height: 900 },
    });
    // Routing turns the browser's HTTP cache off: each step sees the state it just changed
    // (the Cache-Control headers themselves are asserted on the raw responses).
    await browser.route("**/*", (route) => route.continue());
    page = browser.pages()[0] ?? (await browser.newPage());
    page.on("dialog", async (d) => {
      dialogs.push(d.message());
      await d.dismiss();
    });
  });
  after(async () => {
    await browser?.close();
    await svc?.stop();
  });

  async function search(q: string) {
    await page.goto(`${svc.url}/tra-cuu`);
    await page.getByLabel("Số hiệu chứng thư, thư điện tử công vụ, họ tên hoặc cơ quan").fill(q);
    await page.getByRole("button", { name: "Tra cứu" }).click();
    await page.waitForLoadState();
  }

  it("does not find a certificate before handover", async () => {
    await search(hang.serial);
    expect(await page.getByText("Không tìm thấy chứng thư số đã công bố").count()).to.equal(1);
    await search("nguyen thi hang");
    expect(await page.locator(".results > li").count()).to.equal(0);
    await search("hang.nt@moha.gov.vn");
    expect(await page.locator(".results > li").count()).to.equal(0);
    const direct = await svc.request("GET", `/chung-thu/${hang.serial}`);
    expect(direct.status).to.equal(404);
    expect(await direct.text()).to.contain("Không tìm thấy chứng thư số đã công bố");
    expect((await svc.request("GET", `/tra-cuu?q=${hang.serial}`)).headers.get("cache-control")).to.equal("no-cache");
  });

  it("finds it after handover by serial, e-mail and unaccented name", async () => {
    await handOver(svc.services.db, hang.serial);
    const colons = hang.serial.toUpperCase().replace(/(..)(?=.)/g, "$1:");
    for (const q of [colons, hang.serial, "HANG.NT@moha.gov.vn", "nguyen thi hang", "bo noi vu hang"]) {
      await search(q);
      const results = page.locator(".results > li");
      expect(await results.count(), q).to.equal(1);
      expect(await results.first().getByRole("heading").textContent(), q).to.equal("Nguyễn Thị Hằng");
    }
    expect(await page.getByText("còn hiệu lực").count()).to.be.greaterThan(0);
    await page.screenshot({ path: path.join(screens, "search.png"), fullPage: true });
    // An agency query finds every published certificate of it; an identity number is refused.
    await search("dak lak");
    expect(await page.locator(".results > li").count()).to.equal(1);
    await search(IDENTITY);
    expect(await page.getByRole("alert").textContent()).to.contain("Không tra cứu theo số căn cước");
    await page.screenshot({ path: path.join(screens, "search-refused.png"), fullPage: true });
  });

  it("shows the certificate page with what the certificate carries, checked against openssl", async () => {
    await page.goto(`${svc.url}/tra-cuu?q=${hang.serial}`);
    await page.getByRole("link", { name: "Nguyễn Thị Hằng" }).click();
    await page.waitForLoadState();
    expect(page.url()).to.equal(`${svc.url}/chung-thu/${hang.serial}`);
    const text = (await page.locator("main").textContent())!;
    expect(text).to.contain("Chuyên viên chính").and.contain("Vụ Tổ chức cán bộ, Bộ Nội vụ").and.contain("Hang.NT@moha.gov.vn");
    expect(text).to.contain("RSA 2048 bit").and.contain("CCCD:*********567").and.contain("CA phục vụ các cơ quan Đảng, Nhà nước");
    expect(text).to.contain(opensslFingerprint(hang.der));
    expect(text).to.contain("còn hiệu lực");
    await page.screenshot({ path: path.join(screens, "certificate.png"), fullPage: true });

    // The download links lead to the public PKI endpoints, which give the same bytes.
    const derHref = await page.getByRole("link", { name: "Tệp DER (.cer)" }).getAttribute("href");
    const pemHref = await page.getByRole("link", { name: "Tệp PEM (.pem)" }).getAttribute("href");
    expect([derHref, pemHref]).to.deep.equal([`/certificates/${hang.serial}`, `/certificates/${hang.serial}.pem`]);
    const der = await svc.request("GET", derHref!);
    expect(der.headers.get("content-type")).to.equal("application/pkix-cert");
    expect(der.headers.get("cache-control")).to.equal("public, max-age=86400");
    expect(Buffer.from(await der.arrayBuffer()).equals(hang.der)).to.equal(true);
    const pem = await (await svc.request("GET", pemHref!)).text();
    const back = execFileSync("openssl", ["x509", "-outform", "DER"], { input: pem });
    expect(back.equals(hang.der)).to.equal(true);
    const htmlPage = await svc.request("GET", `/chung-thu/${hang.serial}`);
    expect(htmlPage.headers.get("cache-control")).to.equal("public, max-age=60");
    const hit = await svc.request("GET", "/tra-cuu?q=nguyen+thi+hang");
    expect(hit.headers.get("cache-control")).to.equal("public, max-age=60");
    const miss = await svc.request("GET", "/tra-cuu?q=khong+co+ai");
    expect(miss.headers.get("cache-control")).to.equal("no-cache");
  });

  it("shows \"đã thu hồi\" with the reason and date after revocation", async () => {
    const at = new Date("2026-11-20T03:04:00Z");
    await revoke(svc.services.db, hang.serial, 1, at);
    await page.goto(`${svc.url}/chung-thu/${hang.serial}`);
    const status = (await page.locator(".status-box").textContent())!.replace(/\s+/g, " ");
    expect(status).to.contain("đã thu hồi").and.contain("lộ khóa bí mật").and.contain(vnDateTime(at));
    expect(vnDateTime(at)).to.equal("10:04 20/11/2026");
    await page.screenshot({ path: path.join(screens, "certificate-revoked.png"), fullPage: true });
    // Readable on a phone: nothing wider than the screen.
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).to.be.at.most(390);
    await page.screenshot({ path: path.join(screens, "certificate-phone.png"), fullPage: true });
    await page.setViewportSize({ width: 1100, height: 900 });
    // Still found (published), and flagged in the results too.
    await search("nguyen thi hang");
    expect(await page.locator(".results .status-revoked").count()).to.be.greaterThan(0);
  });

  it("renders markup in a subscriber's name as text", async () => {
    await search("thu nghiem");
    const item = page.locator(".results > li");
    expect(await item.count()).to.equal(1);
    expect(await item.getByRole("heading").textContent()).to.equal("<img src=x onerror=alert(1)>");
    expect(await page.locator("main img").count()).to.equal(0);
    expect(await page.locator("main script").count()).to.equal(0);
    const html = await (await svc.request("GET", `/chung-thu/${evil.serial}`)).text();
    expect(html).to.contain("&lt;img src=x onerror=alert(1)&gt;").and.not.contain("<img src=x");
    expect(html).to.not.contain("<script>alert(2)");
    await page.goto(`${svc.url}/chung-thu/${evil.serial}`);
    expect(dialogs).to.deep.equal([]);
  });

  describe("online check", () => {
    let foreignPem: string;
    before(() => {
      // A CA made by openssl, with the same name as ours, and a certificate it signed.
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "foreign-ca-"));
      const run = (args: string[]) => execFileSync("openssl", args, { cwd: dir, stdio: "pipe" });
      run(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "30", "-utf8",
        "-subj", "/CN=CA phục vụ các cơ quan Đảng\\, Nhà nước (thử nghiệm)/O=Ban Cơ yếu Chính phủ/C=VN"]);
      run(["req", "-newkey", "rsa:2048", "-nodes", "-keyout", "leaf.key", "-out", "leaf.csr", "-utf8", "-subj", "/CN=Người lạ/O=Cơ quan khác/C=VN"]);
      run(["x509", "-req", "-in", "leaf.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-out", "leaf.pem", "-days", "10"]);
      foreignPem = fs.readFileSync(path.join(dir, "leaf.pem"), "utf8");
    });

    async function upload(name: string, bytes: Buffer) {
      await page.goto(`${svc.url}/kiem-tra`);
      await page.getByLabel("Tệp chứng thư số (.cer, .crt, .pem)").setInputFiles({ name, mimeType: "application/octet-stream", buffer: bytes });
      await page.getByRole("button", { name: "Kiểm tra" }).click();
      await page.waitForLoadState();
    }
    const outcomes = () => page.locator(".steps .outcome").allTextContents();

    it("passes every step for a good certificate (DER upload)", async () => {
      await upload("duc.cer", other.der);
      expect(await page.getByRole("heading", { level: 2 }).first().textContent()).to.equal("Chứng thư số hợp lệ");
      expect(await outcomes()).to.deep.equal(["đạt", "đạt", "đạt", "đạt"]);
      expect(await page.locator("main").textContent()).to.contain("Đặng Văn Đức").and.contain("CCCD:*********123");
      await page.screenshot({ path: path.join(screens, "check-valid.png"), fullPage: true });
    });

    it("flags a revoked certificate (pasted PEM)", async () => {
      await page.goto(`${svc.url}/kiem-tra`);
      await page.getByLabel("hoặc dán nội dung PEM").fill(hang.pem);
      await page.getByRole("button", { name: "Kiểm tra" }).click();
      await page.waitForLoadState();
      expect(await page.getByRole("heading", { level: 2 }).first().textContent()).to.equal("Chứng thư số không hợp lệ");
      expect(await outcomes()).to.deep.equal(["đạt", "đạt", "đạt", "không đạt"]);
      expect(await page.locator(".steps li").last().textContent()).to.contain("lộ khóa bí mật").and.contain("20/11/2026");
      await page.screenshot({ path: path.join(screens, "check-revoked.png"), fullPage: true });
    });

    it("answers \"không do hệ thống cấp\" for a certificate from an openssl-made CA", async () => {
      await upload("foreign.pem", Buffer.from(foreignPem));
      const r = await svc.request("POST", "/kiem-tra", { body: new URLSearchParams({ pem: foreignPem }), headers: { "content-type": "application/x-www-form-urlencoded" } });
      expect(r.status).to.equal(200);
      expect(r.headers.get("cache-control")).to.equal("no-store");
      expect(await page.getByRole("heading", { level: 2 }).first().textContent()).to.equal("Chứng thư số không do hệ thống cấp");
      expect((await page.locator(".steps li").first().textContent())!).to.contain("không do hệ thống cấp");
      expect(await outcomes()).to.deep.equal(["không đạt", "không đạt", "đạt", "không kiểm tra"]);
      for (const li of await page.locator(".steps li").all()) expect(await li.isVisible()).to.equal(true);
      await page.screenshot({ path: path.join(screens, "check-foreign.png"), fullPage: true });
    });

    it("answers garbage with a 4xx and a Vietnamese message", async () => {
      await upload("rac.cer", Buffer.from("đây không phải chứng thư"));
      expect(await page.getByRole("alert").textContent()).to.contain("không phải chứng thư số X.509");
      await page.screenshot({ path: path.join(screens, "check-garbage.png"), fullPage: true });
      const form = new FormData();
      form.append("tep", new Blob([Buffer.from("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n")]), "x.pem");
      const bad = await svc.request("POST", "/kiem-tra", { body: form });
      expect(bad.status).to.equal(400);
      expect(await bad.text()).to.contain("không phải chứng thư số X.509");
      const big = new FormData();
      big.append("tep", new Blob([Buffer.alloc(70 * 1024, 0x30)]), "big.cer");
      const tooBig = await svc.request("POST", "/kiem-tra", { body: big });
      expect(tooBig.status).to.equal(413);
      expect(await tooBig.text()).to.contain("không được vượt quá 64 KB");
      const empty = await svc.request("POST", "/kiem-tra", { body: new URLSearchParams({ pem: "" }), headers: { "content-type": "application/x-www-form-urlencoded" } });
      expect(empty.status).to.equal(400);
      expect(await empty.text()).to.contain("Chưa chọn tệp");
      const trailing = Buffer.concat([other.der, Buffer.from([0, 0])]);
      const t = new FormData();
      t.append("tep", new Blob([trailing]), "t.cer");
      expect((await svc.request("POST", "/kiem-tra", { body: t })).status).to.equal(400);
    });

    it("keeps the check page out of caches", async () => {
      const r = await svc.request("GET", "/kiem-tra");
      expect(r.headers.get("cache-control")).to.equal("no-store");
      await page.goto(`${svc.url}/kiem-tra`);
      await page.screenshot({ path: path.join(screens, "check.png"), fullPage: true });
    });
  });

  it("lists the CA certificates with fingerprints, CRLs and service addresses", async () => {
    await page.goto(`${svc.url}/kho-luu-tru`);
    const text = (await page.locator("main").textContent())!;
    expect(text).to.contain(opensslFingerprint(cas.root.der)).and.contain(opensslFingerprint(cas.issuing.der));
    expect(text).to.contain("https://ca.example.gov.vn/ocsp").and.contain("https://ca.example.gov.vn/tsa").and.contain("chưa phát hành");
    await page.screenshot({ path: path.join(screens, "repository.png"), fullPage: true });
    // The status capability's crls table (created here if it has not landed yet): the newest
    // complete and delta CRL of each CA are listed with their dates.
    const db = svc.services.db;
    if (!(await db.schema.hasTable("crls"))) {
      await db.schema.createTable("crls", (t) => {
        t.increments("id"); t.string("ca_name", 64).notNullable(); t.bigInteger("number").notNullable(); t.string("kind", 8).notNullable();
        t.bigInteger("base_number"); t.string("this_update", 30).notNullable(); t.string("next_update", 30).notNullable();
        t.integer("entries").notNullable(); t.integer("revoked_total").notNullable(); t.string("max_revoked_at", 30);
        t.binary("der").notNullable(); t.string("sha256", 64).notNullable(); t.string("created_at", 30).notNullable();
      });
    }
    const crl = (number: number, kind: string, thisUpdate: string, nextUpdate: string) => ({
      ca_name: "issuing-test", number, kind, base_number: kind === "delta" ? 7 : null, this_update: thisUpdate, next_update: nextUpdate,
      entries: 0, revoked_total: 0, der: Buffer.from([0x30, 0]), sha256: "00", created_at: thisUpdate,
    });
    await db("crls").insert([
      crl(6, "full", "2026-11-24T01:00:00Z", "2026-11-25T01:00:00Z"),
      crl(7, "full", "2026-11-25T01:00:00Z", "2026-11-26T01:00:00Z"),
      crl(8, "delta", "2026-11-25T02:00:00Z", "2026-11-25T03:00:00Z"),
    ]);
    await page.goto(`${svc.url}/kho-luu-tru`);
    const section = (await page.locator("section.ca", { hasText: "issuing-test" }).textContent())!.replace(/\s+/g, " ");
    expect(section).to.contain("https://ca.example.gov.vn/crl/issuing-test.crl (số 7)").and.contain("Phát hành: 08:00 25/11/2026; lần cập nhật tiếp theo: 08:00 26/11/2026");
    expect(section).to.contain("https://ca.example.gov.vn/crl/issuing-test/delta.crl (số 8)").and.contain("lần cập nhật tiếp theo: 10:00 25/11/2026");
    await page.screenshot({ path: path.join(screens, "repository.png"), fullPage: true });
    const href = await page.locator("a[href='/ca/issuing-test.crt']").getAttribute("href");
    const crt = await svc.request("GET", href!);
    expect(crt.headers.get("cache-control")).to.match(/max-age=\d{5,}/);
    expect(Buffer.from(await crt.arrayBuffer()).equals(cas.issuing.der)).to.equal(true);
    const pem = await (await svc.request("GET", "/ca/root-test.pem")).text();
    expect(execFileSync("openssl", ["x509", "-outform", "DER"], { input: pem }).equals(cas.root.der)).to.equal(true);
    expect((await svc.request("GET", "/kho-luu-tru")).headers.get("cache-control")).to.equal("public, max-age=300");
  });

  it("never shows an identity number in clear on any public page or answer", async () => {
    const pages: [string, RequestInit?][] = [
      ["/"], ["/tra-cuu"], ["/tra-cuu?q=nguyen+thi+hang"], ["/tra-cuu?q=dang+van+duc"], [`/tra-cuu?q=${IDENTITY}`],
      [`/tra-cuu?q=CCCD:${IDENTITY}`], ["/tra-cuu?q=hang.nt@moha.gov.vn"], [`/chung-thu/${hang.serial}`], [`/chung-thu/${other.serial}`],
      ["/kho-luu-tru"], ["/kiem-tra"],
    ];
    for (const [p] of pages) {
      const html = await (await svc.request("GET", p)).text();
      expect(html, p).to.not.contain(IDENTITY).and.not.contain("066085000123");
    }
    for (const pem of [hang.pem, other.pem]) {
      const r = await svc.request("POST", "/kiem-tra", { body: new URLSearchParams({ pem }), headers: { "content-type": "application/x-www-form-urlencoded" } });
      const html = await r.text();
      expect(html).to.not.contain(IDENTITY).and.not.contain("066085000123");
    }
    const refused = await svc.request("GET", `/tra-cuu?q=${IDENTITY}`);
    expect(refused.status).to.equal(400);
  });
});

describe("public website rate limit", () => {
  let svc: TestService;
  before(async () => (svc = await startTestService({ PUBLIC_RATE_LIMIT_PER_MINUTE: "2" })));
  after(() => svc.stop());

  it("answers 429 in Vietnamese with Retry-After on search and on check", async () => {
    expect((await svc.request("GET", "/tra-cuu?q=nguyen")).status).to.equal(200);
    expect((await svc.request("GET", "/tra-cuu?q=nguyen")).status).to.equal(200);
    const r = await svc.request("GET", "/tra-cuu?q=nguyen");
    expect(r.status).to.equal(429);
    expect(Number(r.headers.get("retry-after"))).to.be.greaterThan(0);
    expect(r.headers.get("content-type")).to.match(/text\/html/);
    expect(await r.text()).to.contain("Bạn đã gửi quá nhiều yêu cầu");
    // The empty form is not a search and stays available.
    expect((await svc.request("GET", "/tra-cuu")).status).to.equal(200);
    const post = () => svc.request("POST", "/kiem-tra", { body: new URLSearchParams({ pem: "x" }), headers: { "content-type": "application/x-www-form-urlencoded" } });
    expect((await post()).status).to.equal(400);
    expect((await post()).status).to.equal(400);
    const limited = await post();
    expect(limited.status).to.equal(429);
    expect(limited.headers.get("retry-after")).to.match(/^\d+$/);
  });
});
