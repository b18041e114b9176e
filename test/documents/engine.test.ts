import { expect } from "chai";
import { renderDocument } from "../../src/documents";
import { flat, pdfPages, requirePoppler } from "./pdf";

const createdAt = new Date("2026-03-05T02:00:00.000Z");

describe("documents: the layout engine", function () {
  before(function () {
    requirePoppler(this);
  });

  it("keeps every letter in the text layer, even one first met inside an accented letter", async () => {
    // "à" is drawn from the glyphs of "a" and the grave accent; a later "a" must still read as "a".
    await renderDocument({ info: { title: "à" }, createdAt, blocks: [{ type: "heading", text: "Bàn hàn càn" }] });
    const pdf = await renderDocument({ info: { title: "a" }, createdAt, blocks: [{ type: "heading", text: "Bàn giao thiết bị" }] });
    expect(flat(pdfPages(pdf))).to.include("Bàn giao thiết bị");
  });

  it("wraps long cells, cuts words wider than a cell and repeats the header row on every page", async () => {
    const rows = Array.from({ length: 120 }, (_, i) => [String(i + 1), `Hàng thứ ${i + 1} có nội dung khá dài để phải xuống dòng trong ô`, `averyveryverylongaddress${i}@example.gov.vn`]);
    const pdf = await renderDocument({
      info: { title: "Bảng" }, createdAt,
      blocks: [{ type: "table", size: 11, columns: [{ header: "STT", width: 8 }, { header: "Nội dung ô", width: 60 }, { header: "Địa chỉ", width: 20 }], rows }],
    });
    const pages = pdfPages(pdf, "raw");
    expect(pages.length).to.be.greaterThan(2);
    for (const p of pages) expect(p.split("Nội dung ô").length - 1).to.equal(1);
    const squeezed = flat(pages).replace(/\s+/g, "");
    for (const r of rows) {
      expect(squeezed).to.include(r[1].replace(/\s+/g, ""));
      expect(squeezed).to.include(r[2]);
    }
  });
});
