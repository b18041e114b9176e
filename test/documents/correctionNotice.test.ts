import crypto from "node:crypto";
import { expect } from "chai";
import { renderCorrectionNotice } from "../../src/documents";
import { parseFieldPath } from "../../src/documents/correctionNotice";
import { dossier } from "./fixtures";
import { correctionNoticeFromPayload } from "../../src/documents/module";
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

  it("names the row of any list: certificates of a revocation, devices of a recovery", async () => {
    const rv = dossier("revocation");
    const raw = flat(pdfPages(await renderCorrectionNotice({ dossier: rv, issuedAt, deficiencies: [{ field: "certificates.1.serial", reason: "Số hiệu chứng thư không tồn tại." }, { field: "reason", reason: "Chưa nêu lý do." }] }), "raw"));
    expect(raw).to.include("Danh sách chứng thư, dòng 2 (Trần Thị Bích)");
    expect(raw).to.include("Số hiệu chứng thư");
    expect(raw).to.include("thu hồi chứng thư chữ ký số chuyên dùng công vụ");
    const dr = dossier("device_recovery");
    const raw2 = flat(pdfPages(await renderCorrectionNotice({ dossier: dr, issuedAt, deficiencies: [{ field: "devices.0.serial", reason: "Số sê-ri không khớp với thiết bị." }, { field: "holder.idNumber", reason: "Thiếu số CCCD." }] }), "raw"));
    expect(raw2).to.include("Danh sách thiết bị, dòng 1 (EP3003-20260417)");
    expect(raw2).to.include("Số CCCD/CMND/Hộ chiếu của người sử dụng thiết bị");
  });

  it("renders the mail job's frozen snapshot (labels resolved by the review, no people lists), the same bytes on every retry", async () => {
    const payload = {
      key: "k1", dossierId: "0b6f7f9e-3c1a-4d59-9a51-8f0e2f6f1a11", dossierNumber: "0042/2026/HS", agencyName: "Sở Tài chính tỉnh Quảng Trị",
      to: ["vanthu@quangtri.gov.vn"], decidedAt: "2026-02-03T03:00:00.000Z", receivedAt: "2026-02-02T02:00:00.000Z", round: 2,
      deficiencies: [{ field: "subscribers.email", fieldLabel: "Thư điện tử công vụ", row: 2, rowLabel: "Trần Thị Bình", reason: "Thư điện tử không phải thư điện tử công vụ" }],
      notice: { id: "0b6f7f9e-3c1a-4d59-9a51-8f0e2f6f1a11", number: "0042/2026/HS", kind: "organization", agency: { name: "Sở Tài chính tỉnh Quảng Trị", email: "vanthu@quangtri.gov.vn" }, quantity: 3, version: 4 },
    };
    const a = await correctionNoticeFromPayload(payload);
    const b = await correctionNoticeFromPayload(JSON.parse(JSON.stringify(payload)));
    expect(a.equals(b)).to.equal(true);
    const text = flat(pdfPages(a));
    expect(text).to.include("Hà Nội, ngày 03 tháng 02 năm 2026");
    expect(text).to.include("cho cơ quan, tổ chức (lần 02)");
    expect(text).to.include("Kính gửi: Sở Tài chính tỉnh Quảng Trị");
    expect(text).to.include("0042/2026/HS ngày 02/02/2026");
    expect(text).to.include("1. Thư điện tử công vụ – Danh sách thuê bao, dòng 2 (Trần Thị Bình):");
    expect(text).to.include("Thư điện tử không phải thư điện tử công vụ");
  });

  it("is reproducible for the same input", async () => {
    const input = { dossier: dossier("organization", 3), deficiencies, issuedAt };
    const h = async () => crypto.createHash("sha256").update(await renderCorrectionNotice(input)).digest("hex");
    expect(await h()).to.equal(await h());
  });
});
