import { expect } from "chai";
import { parseLookupQuery, looksLikeIdentityNumber } from "../../../src/web/public/query";
import { searchKey, certificateSearchText } from "../../../src/text/searchKey";
import { parseMultipart } from "../../../src/http/multipart";
import { certificateStatusNow } from "../../../src/va/certificateStatus";
import { maskIfIdentity } from "../../../src/web/public/certificateView";

describe("public lookup query", () => {
  it("folds Vietnamese to lower-case unaccented words, đ to d", () => {
    expect(searchKey("Nguyễn Thị Hằng")).to.equal("nguyen thi hang");
    expect(searchKey("  ĐẶNG   Văn Đức ")).to.equal("dang van duc");
    expect(searchKey("Sở Tài chính, tỉnh Đắk Lắk")).to.equal("so tai chinh tinh dak lak");
    expect(certificateSearchText("Trần Văn Bình", "Bộ Nội vụ")).to.equal("tran van binh | bo noi vu");
  });
  it("reads serials with or without colons or spaces, any case", () => {
    expect(parseLookupQuery("3A:F1:02:BC:DE:00:11:22")).to.deep.equal({ kind: "serial", serial: "3af102bcde001122" });
    expect(parseLookupQuery("00 3a f1 02 bc de 00 11 22")).to.deep.equal({ kind: "serial", serial: "3af102bcde001122" });
  });
  it("reads e-mails exactly (lower case) and names as words", () => {
    expect(parseLookupQuery(" Hang.NT@moha.gov.vn ")).to.deep.equal({ kind: "email", email: "hang.nt@moha.gov.vn" });
    expect(parseLookupQuery("nguyễn thị hằng")).to.deep.equal({ kind: "text", words: ["nguyen", "thi", "hang"] });
    expect(parseLookupQuery("")).to.deep.equal({ kind: "empty" });
  });
  it("refuses identity numbers and too-short names", () => {
    for (const q of ["001203004567", "0012 0300 4567", "123456789", "CCCD:001203004567", "cmnd 123456789", "B1234567", "Nguyễn Văn A 001203004567"]) {
      expect(looksLikeIdentityNumber(q), q).to.equal(true);
      expect(() => parseLookupQuery(q), q).to.throw().with.property("code", "identity_query_refused");
    }
    expect(() => parseLookupQuery("ng")).to.throw().with.property("code", "query_too_short");
    expect(looksLikeIdentityNumber("3af102bcde001122")).to.equal(false);
  });
  it("masks identity values in subject fields but not tax codes", () => {
    expect(maskIfIdentity("0.9.2342.19200300.100.1.1", "CCCD:001203004567")).to.equal("CCCD:*********567");
    expect(maskIfIdentity("0.9.2342.19200300.100.1.1", "HC:B1234567")).to.equal("HC:*****567");
    expect(maskIfIdentity("0.9.2342.19200300.100.1.1", "MST:0101234567")).to.equal("MST:0101234567");
    expect(maskIfIdentity("CN", "Nguyễn Thị Hằng")).to.equal("Nguyễn Thị Hằng");
    expect(maskIfIdentity("CN", "Nguyễn Thị Hằng 001203004567")).to.equal("Nguyễn Thị Hằng *********567");
    expect(maskIfIdentity("OU", "CMND 123456789, phòng 12")).to.equal("CMND ******789, phòng 12");
    expect(maskIfIdentity("O", "Sở Tài chính, MST 0101234567")).to.equal("Sở Tài chính, MST 0101234567");
  });
});

describe("certificate status now", () => {
  const base = { status: "issued", not_before: "2026-01-01T00:00:00Z", not_after: "2027-01-01T00:00:00Z", revoked_at: null, revocation_reason: null };
  it("is valid, expired, not yet valid or revoked with its reason", () => {
    expect(certificateStatusNow(base, new Date("2026-06-01")).state).to.equal("valid");
    expect(certificateStatusNow(base, new Date("2027-06-01")).state).to.equal("expired");
    expect(certificateStatusNow(base, new Date("2025-06-01")).state).to.equal("not_yet_valid");
    expect(certificateStatusNow({ ...base, status: "revoked", revoked_at: "2026-05-01T00:00:00Z", revocation_reason: 1 }, new Date("2027-06-01")))
      .to.deep.equal({ state: "revoked", reason: 1, revokedAt: "2026-05-01T00:00:00Z" });
  });
});

describe("multipart/form-data reader", () => {
  it("reads a file and a text field", async () => {
    const form = new FormData();
    form.append("tep", new Blob([new Uint8Array([0x30, 0x82, 0x0d, 0x0a, 0x2d, 0x2d])]), "a.cer");
    form.append("pem", "xin chào");
    const req = new Request("http://x/", { method: "POST", body: form });
    const body = Buffer.from(await req.arrayBuffer());
    const parts = parseMultipart(body, req.headers.get("content-type")!)!;
    expect(parts.map((p) => p.name)).to.deep.equal(["tep", "pem"]);
    expect(parts[0].filename).to.equal("a.cer");
    expect([...parts[0].data]).to.deep.equal([0x30, 0x82, 0x0d, 0x0a, 0x2d, 0x2d]);
    expect(parts[1].data.toString("utf8")).to.equal("xin chào");
  });
  it("returns null on a body that is not multipart", () => {
    expect(parseMultipart(Buffer.from("garbage"), "multipart/form-data; boundary=abc")).to.equal(null);
    expect(parseMultipart(Buffer.from("--abc\r\nno-end"), "multipart/form-data; boundary=abc")).to.equal(null);
    expect(parseMultipart(Buffer.from("x"), "multipart/form-data")).to.equal(null);
  });
});

describe("lookup query: serials that begin like a labelled identity number", () => {
  it("reads a long hex string as a serial even when it starts with cc", () => {
    for (const s of ["cc28f8c46d4c773ad590469d3a8cd299", "cc:28:f8:c4:6d:4c:77:3a:d5", "cc0123456789abcdef"]) {
      expect(parseLookupQuery(s).kind, s).to.equal("serial");
    }
    expect(() => parseLookupQuery("CCCD:001203004567")).to.throw(/định danh|CCCD|căn cước/i);
    expect(() => parseLookupQuery("cc001203004567")).to.throw();
  });
});
