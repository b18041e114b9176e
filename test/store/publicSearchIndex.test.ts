import { expect } from "chai";
import { startTestService, type TestService } from "../support/service";
import { issueTestCertificate, makeTestCas } from "../support/pki";
import { certificateSearchText } from "../../src/text/searchKey";
import { backfillSearchIndex, indexSearchText, searchWords } from "../../src/store/publicSearchIndex";
import { findPublishedByText } from "../../src/store/publicCertificates";

/** The public name search through the word index finds exactly what `like %word%` over every row found. */
describe("public search word index", () => {
  let svc: TestService;
  before(async function () {
    this.timeout(30_000);
    svc = await startTestService();
    const db = svc.services.db;
    const { issuing } = await makeTestCas(db);
    const people: [string, string, boolean][] = [
      ["Nguyễn Thị Hằng", "Bộ Nội vụ", true], ["Trần Đức Thắng", "Sở Tài chính tỉnh Đắk Lắk", true],
      ["Nguyễn Văn Thanh", "Văn phòng Chính phủ", true], ["Lê Thị Thu Trang", "Kho bạc Nhà nước", false],
      ["Phạm Quang-Huy", "UBND tỉnh Quảng Ninh", true],
    ];
    for (const [i, [cn, o, handedOver]] of people.entries()) {
      await issueTestCertificate(db, issuing, { cn, o, email: `p${i}@moha.gov.vn`, handedOver });
    }
    // A row from before the index: its text is there, its words are not (the start-up backfill's case).
    const old = await issueTestCertificate(db, issuing, { cn: "Hoàng Minh Tâm", o: "Bộ Tư pháp", email: "old@moha.gov.vn", handedOver: true });
    await db("public_search_tokens").where({ serial: old.serial }).del();
  });
  after(async () => svc?.stop());

  /** What the search was before the index: every word a substring of public_search_text. */
  async function scan(words: string[]): Promise<string[]> {
    let q = svc.services.db("certificates").select("serial").whereNotNull("handed_over_at").whereIn("status", ["issued", "revoked"]);
    for (const w of words) q = q.where("public_search_text", "like", `%${w}%`);
    return (await q).map((r: { serial: string }) => r.serial).sort();
  }
  const indexed = async (words: string[]) => (await findPublishedByText(svc.services.db, words, 51)).map((r) => r.serial).sort();
  const queries = [["nguyen"], ["guyen"], ["thi", "hang"], ["tran", "duc"], ["tai", "chinh"], ["thanh"], ["quang-huy"], ["huy"], ["ang"], ["hoang", "tam"], ["tu", "phap"], ["nguyenthi"], ["khong", "co"], ["trang"]];

  it("backfills the words of rows that have none, once", async () => {
    expect(await indexed(["hoang", "tam"])).to.deep.equal([]);
    expect(await backfillSearchIndex(svc.services.db)).to.equal(1);
    expect(await backfillSearchIndex(svc.services.db)).to.equal(0);
    expect(await indexed(["hoang", "tam"])).to.have.length(1);
  });

  it("finds exactly what a scan of public_search_text finds", async () => {
    for (const q of queries) expect(await indexed(q), q.join(" ")).to.deep.equal(await scan(q));
    expect(await indexed(["thi", "hang"])).to.have.length(1);
    expect(await indexed(["nguyenthi"])).to.deep.equal([]);
  });

  it("indexes a batch with thousands of words in one call (SQLite caps a compound insert at 500 rows)", async () => {
    const db = svc.services.db;
    const serials: string[] = (await db("certificates").select("serial").orderBy("serial").limit(3)).map((r: { serial: string }) => r.serial);
    expect(serials).to.have.length(3);
    // 3 certificates × 700 distinct words each: 2,100 pairs and 2,100 new words.
    const rows = serials.map((serial, i) => ({ serial, public_search_text: Array.from({ length: 700 }, (_, k) => `tu${i}x${k}`).join(" ") }));
    await db.transaction((trx) => indexSearchText(trx, rows));
    const [{ n }] = await db("public_search_tokens").whereIn("serial", serials).where("word", "like", "tu%x%").count({ n: "*" });
    expect(Number(n)).to.equal(2100);
  });

  it("splits the stored text into its words, without the separator", () => {
    expect(searchWords(certificateSearchText("Nguyễn Thị Hằng", "Bộ Nội vụ"))).to.deep.equal(["nguyen", "thi", "hang", "bo", "noi", "vu"]);
    expect(searchWords(certificateSearchText("Lê Lê", null))).to.deep.equal(["le"]);
    expect(searchWords(null)).to.deep.equal([]);
  });
});
