import crypto from "node:crypto";
import { expect } from "chai";
import { renderHandoverRecord, type HandoverRecordInput } from "../../src/documents";
import { personName } from "./fixtures";
import { flat, pdfFonts, pdfPages, requirePoppler } from "./pdf";

function record(rows: number): HandoverRecordInput {
  return {
    number: "27/BB-CTSBMTT",
    place: "trụ sở Cục Chứng thực số và Bảo mật thông tin, số 23 Ngụy Như Kon Tum, Thanh Xuân, Hà Nội",
    time: "2026-03-10T02:30:00.000Z",
    dossier: { number: "0123/2026/HS", agency: { name: "Sở Khoa học và Công nghệ tỉnh Thừa Thiên Huế" } },
    handingOfficer: { name: "Đỗ Minh Tuấn", position: "Chuyên viên, Phòng Quản lý thiết bị" },
    receiver: { name: "Lê Thị Hồng Nhung", position: "Văn thư", agency: "Sở Khoa học và Công nghệ tỉnh Thừa Thiên Huế", idNumber: "046190001234", idIssueDate: "2022-01-05", idIssuePlace: "Cục Cảnh sát QLHC về TTXH" },
    rows: Array.from({ length: rows }, (_, i) => ({
      subscriber: personName(i),
      deviceType: "USB Token ePass3003",
      deviceSerial: `EP3003-${20260100 + i}`,
      // 20-byte serials (40 hex digits) are the longest RFC 5280 allows.
      certificateSerial: crypto.createHash("sha1").update(String(i)).digest("hex"),
      validFrom: "2026-03-09T10:00:00.000Z",
      validTo: "2029-03-09T10:00:00.000Z",
      notes: i === 1 ? "Đã đổi mã PIN" : null,
    })),
  };
}

describe("documents: the handover record (biên bản bàn giao, Mẫu 07)", function () {
  before(function () {
    requirePoppler(this);
  });

  it("names both parties, every device serial and certificate serial, the duties and the two copies", async () => {
    const input = record(6);
    const pdf = await renderHandoverRecord(input);
    const pages = pdfPages(pdf);
    const text = flat(pages);
    expect(pages[0]).to.include("CỤC CHỨNG THỰC SỐ VÀ");
    expect(pages[0]).to.include("Số: 27/BB-CTSBMTT");
    expect(pages[0]).to.include("Hà Nội, ngày 10 tháng 3 năm 2026");
    expect(text).to.include("BIÊN BẢN");
    expect(text).to.include("Bàn giao thiết bị lưu khóa bí mật và chứng thư chữ ký số");
    expect(text).to.include("vào hồi 09 giờ 30, ngày 10 tháng 3 năm 2026, tại trụ sở Cục Chứng thực số");
    for (const v of ["Đỗ Minh Tuấn", "Chuyên viên, Phòng Quản lý thiết bị", "Lê Thị Hồng Nhung", "Văn thư", "046190001234", "05/01/2022"]) expect(text).to.include(v);
    expect(text).to.include("Bên nhận (Bên B): Sở Khoa học và Công nghệ tỉnh Thừa Thiên Huế");
    expect(text).to.include("Bên A bàn giao cho Bên B 06 thiết bị");
    for (const r of input.rows) {
      // Serials are never broken across lines: the layout text has each one whole.
      expect(text, r.certificateSerial).to.include(r.certificateSerial);
      expect(text).to.include(r.deviceSerial);
    }
    const raw = flat(pdfPages(pdf, "raw"));
    for (const r of input.rows) expect(raw).to.include(r.subscriber);
    expect(raw).to.include("09/03/2026 09/03/2029");
    expect(raw).to.include("Đã đổi mã PIN");
    expect(text).to.include("Giữ bí mật mã PIN");
    expect(text).to.include("không cho người khác mượn");
    expect(text).to.include("05 ngày làm việc kể từ ngày chứng thư chữ ký số bị thu hồi");
    expect(text).to.include("lập thành 02 bản, mỗi bên giữ 01 bản");
    expect(text).to.match(/ĐẠI DIỆN BÊN GIAO\s+ĐẠI DIỆN BÊN NHẬN/);
    expect(pdfFonts(pdf)).to.match(/Tinos-Bold/);
  });

  it("continues a long table on the next page under its header", async () => {
    const pdf = await renderHandoverRecord(record(40));
    const pages = pdfPages(pdf, "raw");
    expect(pages.length).to.be.greaterThan(2);
    const withRows = pages.filter((p) => /EP3003-/.test(p));
    expect(withRows.length).to.be.greaterThan(1);
    for (const p of withRows) expect(p.split("Số hiệu chứng thư").length - 1).to.equal(1);
  });

  it("renders the same handover to the same bytes", async () => {
    const h = async () => crypto.createHash("sha256").update(await renderHandoverRecord(record(3))).digest("hex");
    expect(await h()).to.equal(await h());
  });
});
