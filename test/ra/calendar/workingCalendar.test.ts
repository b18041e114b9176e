import { expect } from "chai";
import { hungKingsDay, lunarNewYear } from "../../../src/ra/calendar/lunar";
import { statutoryHolidays } from "../../../src/ra/calendar/statutory";
import { WorkingCalendar, reviewDeadline } from "../../../src/ra/calendar/workingCalendar";
import { fileOverrides } from "../../../src/ra/calendar/yearOverrides";
import { endOfVnDay, vnDateOf } from "../../../src/ra/calendar/dates";

const shipped = () => new WorkingCalendar(fileOverrides);
const deadline = (d: string) => reviewDeadline(shipped(), d);

describe("lunar dates (CalendarVietnamese, UTC+7)", () => {
  // Independent source: the printed Vietnamese lịch vạn niên (mùng 1 Tết, 10/3 âm lịch).
  const tet: Record<number, string> = {
    2020: "2020-01-25", 2021: "2021-02-12", 2022: "2022-02-01", 2023: "2023-01-22", 2024: "2024-02-10",
    2025: "2025-01-29", 2026: "2026-02-17", 2027: "2027-02-06", 2028: "2028-01-26", 2029: "2029-02-13", 2030: "2030-02-02",
  };
  const hungKings: Record<number, string> = {
    2020: "2020-04-02", 2021: "2021-04-21", 2022: "2022-04-10", 2023: "2023-04-29", 2024: "2024-04-18",
    2025: "2025-04-07", 2026: "2026-04-26", 2027: "2027-04-16",
  };
  it("puts mùng 1 Tết on the dates of the Vietnamese almanac, 2020–2030 (2030: new moon 23:07 UTC+7 on 02/02)", () => {
    for (const [y, d] of Object.entries(tet)) expect(lunarNewYear(Number(y)), y).to.equal(d);
  });
  it("puts Giỗ Tổ Hùng Vương (10/3 âm lịch) on the almanac's dates, 2020–2027", () => {
    for (const [y, d] of Object.entries(hungKings)) expect(hungKingsDay(Number(y)), y).to.equal(d);
  });
  it("uses the Vietnamese meridian: Tết 1985 is 21/01 in Vietnam (20/02 in China), Tết 2030 is 02/02 (03/02 in China)", () => {
    expect(lunarNewYear(2030)).to.equal("2030-02-02");
    expect(lunarNewYear(1985)).to.equal("1985-01-21");
  });
});

describe("statutory holidays (Labour Code art. 111–112)", () => {
  it("counts Tết as the last day of the old year and the first four of the new", () => {
    const t = statutoryHolidays(2026).filter((h) => h.reason.startsWith("Tết Âm lịch")).map((h) => h.date);
    expect(t).to.deep.equal(["2026-02-16", "2026-02-17", "2026-02-18", "2026-02-19", "2026-02-20"]);
  });
  it("gives a make-up day for each holiday on a weekend (Tết 2027: Sat 06/02 and Sun 07/02 → 10/02, 11/02)", () => {
    const comp = statutoryHolidays(2027).filter((h) => h.kind === "compensatory").map((h) => h.date);
    expect(comp).to.include.members(["2027-02-10", "2027-02-11", "2027-05-03"]);
  });
});

describe("the working calendar with the shipped 2025–2027 data", () => {
  it("2025 matches the table hand-computed from the official announcements", () => {
    // Thông báo 6150/TB-LĐTBXH (Tết 25/01–02/02, Quốc khánh 01–02/9) and the Bộ Nội vụ swap 02/5 ↔ 26/4:
    // weekdays off, and the one Saturday that is worked.
    const expected = [
      ["2025-01-01", false], ["2025-01-27", false], ["2025-01-28", false], ["2025-01-29", false], ["2025-01-30", false],
      ["2025-01-31", false], ["2025-04-07", false], ["2025-04-26", true], ["2025-04-30", false], ["2025-05-01", false],
      ["2025-05-02", false], ["2025-09-01", false], ["2025-09-02", false],
    ];
    expect(shipped().exceptions(2025).map((d) => [d.date, d.working])).to.deep.equal(expected);
    // The Tết break ran Saturday 25/01 to Sunday 02/02: Monday 03/02 was worked.
    expect(shipped().isWorkingDay("2025-02-03")).to.equal(true);
  });
  it("2026: Tết Bính Ngọ 16–20/02, Giỗ Tổ on Sunday 26/04 made up on Monday 27/04", () => {
    const off = shipped().exceptions(2026).filter((d) => !d.working).map((d) => d.date);
    expect(off).to.include.members(["2026-02-16", "2026-02-17", "2026-02-18", "2026-02-19", "2026-02-20", "2026-04-27", "2026-04-30", "2026-05-01", "2026-09-01", "2026-09-02"]);
    expect(shipped().day("2026-04-26").reason).to.match(/Giỗ Tổ/);
  });
  it("2027 follows the Labour Code: Tết 05/02–09/02 plus make-up days 10–11/02, 01/5 on Saturday made up on 03/5", () => {
    const off = shipped().exceptions(2027).filter((d) => !d.working).map((d) => d.date);
    expect(off).to.deep.equal([
      "2027-01-01", "2027-02-05", "2027-02-08", "2027-02-09", "2027-02-10", "2027-02-11", "2027-04-16", "2027-04-30", "2027-05-03", "2027-09-02", "2027-09-03",
    ]);
  });
});

describe("reviewDeadline (03 working days, receipt day not counted, ends 24:00 Asia/Ho_Chi_Minh)", () => {
  it("a dossier received on a Friday is due at the end of Wednesday", () => {
    const d = deadline("2025-03-14");
    expect(d.deadline).to.equal("2025-03-19");
    expect(d.workingDays).to.deep.equal(["2025-03-17", "2025-03-18", "2025-03-19"]);
    expect(d.skipped.map((s) => s.date)).to.deep.equal(["2025-03-15", "2025-03-16"]);
    expect(d.deadlineAt).to.equal("2025-03-19T17:00:00.000Z");
  });
  it("a dossier received just before Tết 2026 skips the Tết break 14–22/02", () => {
    const d = deadline("2026-02-12");
    expect(d.workingDays).to.deep.equal(["2026-02-13", "2026-02-23", "2026-02-24"]);
    expect(d.deadline).to.equal("2026-02-24");
    const tet = d.skipped.filter((s) => s.reason.startsWith("Tết Âm lịch")).map((s) => s.date);
    expect(tet).to.deep.equal(["2026-02-16", "2026-02-17", "2026-02-18", "2026-02-19", "2026-02-20"]);
  });
  for (const [received, due, holiday] of [
    ["2025-04-04", "2025-04-10", "2025-04-07"], // Giỗ Tổ 2025: Monday 07/04
    ["2026-04-24", "2026-05-04", "2026-04-27"], // Giỗ Tổ 2026: Sunday 26/04 → Monday 27/04, then 30/4–1/5
    ["2027-04-15", "2027-04-21", "2027-04-16"], // Giỗ Tổ 2027: Friday 16/04
    ["2025-08-29", "2025-09-05", "2025-09-01"], // Quốc khánh 2025: 01–02/9
    ["2026-08-31", "2026-09-07", "2026-09-02"], // Quốc khánh 2026: 01–02/9
    ["2027-09-01", "2027-09-08", "2027-09-03"], // Quốc khánh 2027: 02–03/9
  ] as const) {
    it(`received ${received} → due ${due}, skipping ${holiday}`, () => {
      const d = deadline(received);
      expect(d.deadline).to.equal(due);
      expect(d.skipped.map((s) => s.date)).to.include(holiday);
      expect(d.workingDays).to.have.length(3);
    });
  }
  it("crosses into the next year (30/12/2026 → 05/01/2027, past Tết Dương lịch)", () => {
    expect(deadline("2026-12-30").deadline).to.equal("2027-01-05");
  });
  it("counts a make-up Saturday as a working day (25/04/2025 → 29/04/2025)", () => {
    const d = deadline("2025-04-25");
    expect(d.workingDays).to.deep.equal(["2025-04-26", "2025-04-28", "2025-04-29"]);
  });
  it("takes the receipt day in Vietnam's time zone", () => {
    expect(vnDateOf(new Date("2025-03-13T17:30:00Z"))).to.equal("2025-03-14");
    expect(endOfVnDay("2025-03-19").toISOString()).to.equal("2025-03-19T17:00:00.000Z");
  });
});
