import { expect } from "chai";
import { birthYearMismatch, birthYearOf } from "../../../src/ra/dossiers/cccd";

describe("CCCD number structure (Thông tư 07/2016/TT-BCA)", () => {
  it("reads the century and year of birth from digits 4–6", () => {
    expect(birthYearOf("001085123456")).to.equal(1985); // male, 1900s
    expect(birthYearOf("001185123456")).to.equal(1985); // female, 1900s
    expect(birthYearOf("079203000001")).to.equal(2003); // male, 2000s
    expect(birthYearOf("079310000001")).to.equal(2010); // female, 2000s
    expect(birthYearOf("079899000001")).to.equal(1899);
    expect(birthYearOf("12345678")).to.equal(undefined);
  });

  it("reports a birth year that does not fit, and nothing when it fits", () => {
    expect(birthYearMismatch("046085009999", "1985-03-05")).to.equal(undefined);
    expect(birthYearMismatch("046185009999", "1986-03-05")).to.deep.equal({ encoded: 1985, declared: 1986 });
    // A woman born in 2001 has digit 4 = 3: "1" would say 1901.
    expect(birthYearMismatch("046101009999", "2001-01-01")).to.deep.equal({ encoded: 1901, declared: 2001 });
    expect(birthYearMismatch("046301009999", "2001-01-01")).to.equal(undefined);
    expect(birthYearMismatch("123456789", "1985-03-05")).to.equal(undefined); // CMND: no structure to check
  });
});
