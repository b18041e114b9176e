import crypto from "node:crypto";
import { expect } from "chai";
import { renderRequestDocument, type DossierKind } from "../../src/documents";
import { dossier, personName } from "./fixtures";
import { flat, pdfFonts, pdfInfo, pdfPages, requirePoppler } from "./pdf";

const renderedAt = new Date("2026-03-04T09:30:00.000Z");
const sha256 = (b: Buffer) => crypto.createHash("sha256").update(b).digest("hex");
const kinds: DossierKind[] = ["individual", "organization", "device", "renewal_change", "revocation", "device_recovery"];

describe("documents: the official request document (Mẫu 01–06)", function () {
  before(function () {
    requirePoppler(this);
  });

  it("lays out the Decree 30 header, Kính gửi, the summary and the signature for every kind", async () => {
    for (const kind of kinds) {
      const pdf = await renderRequestDocument(dossier(kind), { renderedAt });
      expect(pdf.subarray(0, 5).toString()).to.equal("%PDF-");
      const page1 = pdfPages(pdf)[0];
      const text = flat(pdfPages(pdf));
      expect(page1, kind).to.include("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM");
      expect(page1, kind).to.include("Độc lập - Tự do - Hạnh phúc");
      expect(page1, kind).to.include("SỞ KHOA HỌC VÀ CÔNG");
      expect(page1, kind).to.match(/Số: ……\/……/);
      // The agency's địa danh comes from its address; days < 10 and months 1–2 take a leading zero.
      expect(page1, kind).to.include("Thừa Thiên Huế, ngày 04 tháng 3 năm 2026");
      expect(text, kind).to.include("Kính gửi: Cục Chứng thực số và Bảo mật thông tin, Ban Cơ yếu Chính phủ");
      expect(text, kind).to.include("V/v đề nghị");
      expect(text, kind).to.include("Nghị định số 68/2024/NĐ-CP");
      expect(text, kind).to.include("chứng thư chữ ký số chuyên dùng công vụ");
      expect(text, kind).to.include("Nơi nhận:");
      expect(text, kind).to.include("(Ký, ghi rõ họ tên, đóng dấu)");
      expect(text, kind).to.include("THỦ TRƯỞNG CƠ QUAN, TỔ CHỨC");
      expect(text, kind).to.include("cam kết");
    }
  });

  it("shows every field of the agency, the request, the receiver and every subscriber (Mẫu 01)", async () => {
    const d = dossier("individual", 25);
    const pdf = await renderRequestDocument(d, { renderedAt });
    const layout = flat(pdfPages(pdf));
    const raw = flat(pdfPages(pdf, "raw"));
    for (const [k, v] of Object.entries(d.agency)) expect(layout, `agency.${k}`).to.include(v as string);
    expect(layout).to.include("Mã hồ sơ: 0123/2026/HS (phiên bản 3)");
    expect(layout).to.include("Loại chứng thư chữ ký số: Chứng thư chữ ký số cho cá nhân");
    expect(layout).to.include("Số lượng chứng thư đề nghị: 25");
    expect(layout).to.include("Hình thức nộp hồ sơ: Gửi qua dịch vụ bưu chính");
    expect(layout).to.include("Ngày tiếp nhận: 04/03/2026");
    const r = d.receiver!;
    for (const v of [r.fullName, r.idNumber, "05/01/2022", r.idIssuePlace, r.position, r.mobile, r.email, r.deliveryAddress]) expect(layout).to.include(v as string);
    for (const a of d.assets!) {
      expect(raw).to.include(a.name);
      expect(layout).to.include(a.identifier as string);
    }
    expect(layout).to.include("Phần mềm");
    // Each row of the appendix, every column (a wrapped cell keeps its lines together in raw order).
    const squeezed = raw.replace(/\s+/g, "");
    d.subscribers!.forEach((s, i) => {
      const [y, m, day] = (s.dateOfBirth as string).split("-");
      expect(raw, s.fullName).to.include(s.fullName);
      expect(raw).to.include(`${day}/${m}/${y}`);
      expect(raw).to.include(s.idNumber as string);
      expect(squeezed).to.include(`CCCD,12/05/2021,CụcCảnhsátQLHCvềTTXH`);
      expect(squeezed, s.email as string).to.include(s.email as string);
      expect(raw).to.include(s.workplace as string);
      expect(raw).to.include(s.mobile as string);
      expect(raw).to.include(s.position as string);
      if (s.previousCertificateSerial) expect(squeezed).to.include(s.previousCertificateSerial);
      expect(raw).to.match(new RegExp(`\\b${i + 1} ${s.fullName}`));
    });
    expect(raw).to.include("Thừa Thiên Huế");
  });

  it("shows the fields of the renewal/change, revocation and device recovery forms", async () => {
    const rc = flat(pdfPages(await renderRequestDocument(dossier("renewal_change"), { renderedAt })));
    expect(rc).to.include("4f2a9c0b1d3e5f60718293a4b5c6d7e8");
    expect(rc).to.include("Trần Thị Bích");
    expect(rc).to.include("Thay đổi thông tin chứng thư chữ ký số chuyên dùng công vụ");
    expect(rc).to.include("Phó Giám đốc Sở");
    expect(rc).to.include("an.nv@thuathienhue.gov.vn");
    const rv = flat(pdfPages(await renderRequestDocument(dossier("revocation"), { renderedAt })));
    expect(rv).to.include("5b3c0d1e2f405162738495a6b7c8d9ea");
    expect(rv).to.include("Lý do thu hồi: Khóa bí mật bị lộ hoặc nghi bị lộ");
    expect(rv).to.include("Thiết bị bị mất trong chuyến công tác ngày 01/3/2026.");
    expect(rv).to.include("05 ngày làm việc");
    const dr = flat(pdfPages(await renderRequestDocument(dossier("device_recovery"), { renderedAt })));
    for (const v of ["EP3003-20260417", "USB Token ePass3003", "Phạm Quốc Huy", "046089001122", "Phó Chánh Văn phòng", "0914222333", "huy.pq@thuathienhue.gov.vn", "Nhập sai mã PIN quá số lần cho phép"]) expect(dr).to.include(v);
  });

  it("embeds Tinos (regular, bold, italic, bold italic) as subset TrueType fonts with Unicode maps", async () => {
    const fonts = pdfFonts(await renderRequestDocument(dossier("individual"), { renderedAt }));
    for (const style of ["Regular", "Bold", "Italic", "BoldItalic"]) {
      const line = fonts.split("\n").find((l) => new RegExp(`^[A-Z]{6}\\+Tinos-${style}\\s`).test(l));
      expect(line, `Tinos-${style} in\n${fonts}`).to.be.a("string");
      // emb sub uni
      expect(line!.split(/\s+/).slice(-5, -2)).to.deep.equal(["yes", "yes", "yes"]);
    }
    expect(fonts).to.not.match(/Helvetica|Times-Roman/);
  });

  it("is A4 and numbers pages from the second one on, centred at the top", async () => {
    const pdf = await renderRequestDocument(dossier("individual", 40), { renderedAt });
    const info = pdfInfo(pdf);
    expect(info["Page size"]).to.match(/^595\.\d+ x 841\.\d+ pts \(A4\)/);
    const pages = pdfPages(pdf);
    expect(pages.length).to.be.greaterThan(3);
    const firstLine = (p: string) => p.split("\n").find((l) => l.trim() !== "")!;
    expect(firstLine(pages[0])).to.not.match(/^\s*\d+\s*$/);
    pages.slice(1).forEach((p, i) => expect(firstLine(p).trim(), `page ${i + 2}`).to.equal(String(i + 2)));
    // Centred: the number sits in the middle third of its line.
    const line = firstLine(pages[1]);
    const col = line.indexOf("2");
    expect(col).to.be.greaterThan(20);
  });

  it("renders the same dossier version to the same bytes, whatever was rendered in between", async () => {
    const d = dossier("individual", 30);
    const a = await renderRequestDocument(d, { renderedAt });
    await renderRequestDocument(dossier("revocation"), { renderedAt: new Date() });
    const b = await renderRequestDocument(JSON.parse(JSON.stringify(d)), { renderedAt });
    expect(sha256(b)).to.equal(sha256(a));
    const c = await renderRequestDocument(d, { renderedAt: new Date("2026-03-05T09:30:00.000Z") });
    expect(sha256(c)).to.not.equal(sha256(a));
    const info = pdfInfo(a);
    expect(info.CreationDate).to.be.a("string").and.not.equal("");
  });

  it("renders a 2,000-person list across pages, every name found and the header repeated on each page", async function () {
    const d = dossier("individual", 2000);
    const names = new Set(d.subscribers!.map((s) => s.fullName));
    expect(names.size).to.equal(2000);
    const pdf = await renderRequestDocument(d, { renderedAt });
    const pages = pdfPages(pdf, "raw");
    const first = pages.findIndex((p) => p.includes("DANH SÁCH CÁ NHÂN ĐỀ NGHỊ CẤP CHỨNG THƯ"));
    expect(first).to.be.greaterThan(0);
    const tablePages = pages.slice(first);
    expect(tablePages.length).to.be.greaterThan(50);
    // The header row on every page of the table, once.
    tablePages.forEach((p, i) => expect(p.split("Thư điện tử công vụ").length - 1, `page ${first + i + 1}`).to.equal(1));
    const raw = flat(tablePages);
    for (let i = 0; i < 2000; i++) expect(raw, `row ${i + 1}`).to.include(`${i + 1} ${personName(i)}`);
    // Landscape pages for the list.
    expect(pdfInfo(pdf).Pages).to.equal(String(pages.length));
  });

  it("keeps people's text from changing the layout: line breaks and control characters become spaces, NFD becomes NFC", async () => {
    const d = dossier("individual", 2);
    d.agency.name = "Sở Nội vụ\ntỉnh Quảng Trị\u0007";
    d.subscribers![0].fullName = "Nguyễn Văn Hòa".normalize("NFD");
    const text = flat(pdfPages(await renderRequestDocument(d, { renderedAt }), "raw"));
    expect(text).to.include("Sở Nội vụ tỉnh Quảng Trị cam kết");
    expect(text).to.include("Nguyễn Văn Hòa");
  });
});
