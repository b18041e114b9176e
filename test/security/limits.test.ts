import { expect } from "chai";
import { renderDocument, MAX_PAGES } from "../../src/documents/engine";
import { DomainError } from "../../src/errors";

describe("hostile input: limits", () => {
  it("refuses to render a document beyond MAX_PAGES pages (413 document_too_large)", async function () {
    this.timeout(60_000);
    // A cell of 40 lines is 40 lines tall: enough rows to need more than MAX_PAGES pages.
    const tall = Array.from({ length: 40 }, (_, i) => `dòng ${i}`).join("\n");
    const rows = Array.from({ length: MAX_PAGES * 2 }, (_, i) => [String(i + 1), tall]);
    let err: unknown;
    try {
      await renderDocument({ info: { title: "x" }, createdAt: new Date(0), blocks: [{ type: "table", size: 11, columns: [{ header: "STT", width: 8 }, { header: "Nội dung", width: 80 }], rows }] } as any);
    } catch (e) {
      err = e;
    }
    expect(err).to.be.instanceOf(DomainError);
    expect((err as DomainError).code).to.equal("document_too_large");
    expect((err as DomainError).kind).to.equal("too_large");
  });
});
