import crypto from "node:crypto";
import { expect } from "chai";
import { renderCorrectionNotice } from "../../src/documents";
import { parseFieldPath } from "../../src/documents/correctionNotice";
import { dossier } from "./fixtures";
import { flat, pdfFonts, pdfPages, requirePoppler } from "./pdf";

const issuedAt = new Date("2026-01-07T02:00:00.000Z");
const deficiencies = [
  { field: "agency.taxCode", reason: "Mã số thuế không đúng định dạng (10 chữ số hoặc 10-3 chữ số)." },
  { field: "subscribers.3.idNumber", reason: "Số CCCD không khớp với bản sao giấy tờ kèm theo." },
  { field: "subscribers[5].email", reason: "Thư điện tử không phải địa chỉ công vụ." },
  { field: "subscribers", row: 8, reason: "Thiếu ảnh chụp giấy tờ tùy thân." },
  { field: "commitment", reason: "Văn bản chưa có cam kết của thủ trưởng cơ quan." },
];

describe("documents: the correction notice (thông báo yêu cầu bổ sung hồ sơ)", function () {
  before(function () {
    requirePoppler(this);
  });

  it("reads field paths the way validation writes them", () => {
    expect(parseFieldPath("subscribers.3.idNumber")).to.deep.equal({ key: "subscribers.idNumber", list: "subscribers", index: 3 });
    expect(parseFieldPath("subscribers[3].email")).to.deep.equal({ key: "subscribers.email", list: "subscribers", index: 3 });
    expect(parseFieldPath("agency.taxCode")).to.deep.equal({ key: "agency.taxCode", list: undefined, index: undefined });
  });

  it("lists every deficiency with its field, row and reason, under the provider's header", async () => {
    const d = dossier("individual", 12);
    const pdf = await renderCorrectionNotice({ dossier: d, deficiencies, issuedAt, number: "15/TB-CTSBMTT" });
    const pages = pdfPages(pdf);
    const text = flat(pages);
    const raw = flat(pdfPages(pdf, "raw"));
    expect(pages[0]).to.include("BAN CƠ YẾU CHÍNH PHỦ");
    expect(pages[0]).to.include("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM");
    expect(pages[0]).to.include("Số: 15/TB-CTSBMTT");
    expect(pages[0]).to.include("Hà Nội, ngày 07 tháng 01 năm 2026");
    expect(text).to.include("THÔNG BÁO");
    expect(text).to.include("Về việc bổ sung, hoàn thiện hồ sơ đề nghị cấp chứng thư chữ ký số chuyên dùng công vụ cho cá nhân");
    expect(text).to.include(`Kính gửi: ${d.agency.name}`);
    expect(text).to.include("0123/2026/HS");
    expect(text).to.include("bổ sung, hoàn thiện 05 nội dung sau");
    for (const x of deficiencies) expect(raw, x.reason).to.include(x.reason);
    for (const label of ["Mã số thuế", "Số CCCD/CMND/Hộ chiếu", "Thư điện tử công vụ", "Danh sách thuê bao", "Cam kết sử dụng"]) expect(raw).to.include(label);
    // Rows: the index of a path is 0-based, "row" is the STT; both name the person.
    expect(raw).to.include(`dòng 4 (${d.subscribers![3].fullName})`);
    expect(raw).to.include(`dòng 6 (${d.subscribers![5].fullName})`);
    expect(raw).to.include(`dòng 8 (${d.subscribers![7].fullName})`);
    expect(text).to.include("03 ngày làm việc");
    expect(text).to.include("Nơi nhận:");
    expect(text).to.include("CỤC TRƯỞNG");
    expect(pdfFonts(pdf)).to.match(/Tinos-Regular/);
  });

  it("is reproducible for the same input", async () => {
    const input = { dossier: dossier("organization", 3), deficiencies, issuedAt };
    const h = async () => crypto.createHash("sha256").update(await renderCorrectionNotice(input)).digest("hex");
    expect(await h()).to.equal(await h());
  });
});
