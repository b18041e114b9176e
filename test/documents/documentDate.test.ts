import { expect } from "chai";
import { decree30DayMonth, longDate, placeAndDate, shortDate } from "../../src/documents/documentDate";

describe("documents: dates in Decree 30 form", () => {
  it("puts a leading zero on days under 10 and on months 1 and 2 only", () => {
    expect(decree30DayMonth(5, 3)).to.deep.equal({ day: "05", month: "3" });
    expect(decree30DayMonth(9, 1)).to.deep.equal({ day: "09", month: "01" });
    expect(decree30DayMonth(15, 2)).to.deep.equal({ day: "15", month: "02" });
    expect(decree30DayMonth(10, 12)).to.deep.equal({ day: "10", month: "12" });
    expect(decree30DayMonth(31, 10)).to.deep.equal({ day: "31", month: "10" });
    for (let m = 3; m <= 12; m++) expect(decree30DayMonth(20, m).month).to.equal(String(m));
  });

  it("writes the place-and-date line in Vietnam time", () => {
    expect(placeAndDate("Hà Nội", new Date("2026-03-05T02:00:00Z"))).to.equal("Hà Nội, ngày 05 tháng 3 năm 2026");
    // 18:30 UTC on 4 March is already 5 March in Hà Nội (UTC+7).
    expect(longDate(new Date("2026-03-04T18:30:00Z"))).to.equal("ngày 05 tháng 3 năm 2026");
    expect(longDate(new Date("2026-02-14T03:00:00Z"))).to.equal("ngày 14 tháng 02 năm 2026");
    expect(longDate(new Date("2025-12-31T17:00:00Z"))).to.equal("ngày 01 tháng 01 năm 2026");
  });

  it("shows calendar dates as dd/mm/yyyy without shifting them", () => {
    expect(shortDate("1985-02-03")).to.equal("03/02/1985");
    expect(shortDate("2026-03-04T18:30:00.000Z")).to.equal("05/03/2026");
    expect(shortDate(null)).to.equal("");
    expect(shortDate("không rõ")).to.equal("không rõ");
  });
});
