import { messages } from "../../messages";
import { addDays, isoDate, isWeekend, weekday, type IsoDate } from "./dates";
import { hungKingsDay, lunarNewYearsEve } from "./lunar";

/**
 * Public holidays of Labour Code 2019, art. 112(1):
 *   a) Tết Dương lịch: 01 ngày (01/01);
 *   b) Tết Âm lịch: 05 ngày;  [by custom: the last day of the old year and the first 4 of the new]
 *   c) Ngày Chiến thắng: 01 ngày (30/4);
 *   d) Ngày Quốc tế lao động: 01 ngày (01/5);
 *   đ) Quốc khánh: 02 ngày (02/9 và 01 ngày liền kề trước hoặc sau);
 *   e) Giỗ Tổ Hùng Vương: 01 ngày (10/3 âm lịch).
 * Art. 111(3): a weekly rest day that falls on one of these is made up on the next working day
 * (nghỉ bù). Each year the government fixes the exact days for public servants (which day next to
 * 2/9, where the make-up days go, swaps with Saturdays); those live in data/calendar/<year>.json.
 *
 * Pending: Nghị quyết 80-NQ/TW (01/2026) makes 24/11 "Ngày Văn hóa Việt Nam" a paid day off once
 * art. 112(1) is amended (Nghị quyết 30/NQ-CP tasks the amendment). Add it here, from the year the
 * amendment takes effect; until then an admin can add the day to a year through the API.
 */
export interface Holiday {
  date: IsoDate;
  reason: string;
  kind: "holiday" | "compensatory";
}

/**
 * The day next to 2/9 when the year's decision is not known: the one that joins a weekend, else the
 * day before (the choices of 2021–2025: Thu→3/9, Fri→1/9, Sat→1/9, Mon→3/9, Tue→1/9).
 */
export function defaultNationalDayAdjacent(year: number): IsoDate {
  const d = isoDate(year, 9, 2);
  switch (weekday(d)) {
    case 1: // Monday: Tuesday joins the weekend break
    case 4: // Thursday: Friday joins the weekend
      return isoDate(year, 9, 3);
    default:
      return isoDate(year, 9, 1);
  }
}

export function statutoryHolidays(year: number, nationalDayAdjacent?: IsoDate): Holiday[] {
  const m = messages.calendar;
  const days: Holiday[] = [];
  const add = (date: IsoDate, reason: string) => days.push({ date, reason, kind: "holiday" });
  add(isoDate(year, 1, 1), m.newYear);
  const eve = lunarNewYearsEve(year);
  for (let i = 0; i < 5; i++) add(addDays(eve, i), m.lunarNewYear(i));
  add(hungKingsDay(year), m.hungKings);
  add(isoDate(year, 4, 30), m.reunification);
  add(isoDate(year, 5, 1), m.labour);
  add(isoDate(year, 9, 2), m.nationalDay);
  add(nationalDayAdjacent ?? defaultNationalDayAdjacent(year), m.nationalDayAdjacent);
  days.sort((a, b) => a.date.localeCompare(b.date));

  // Art. 111(3): each holiday on a Saturday or Sunday gives a make-up day on the next day that is
  // neither a weekend nor a holiday nor an earlier make-up day.
  const taken = new Set(days.map((d) => d.date));
  const compensatory: Holiday[] = [];
  for (const h of days) {
    if (!isWeekend(h.date)) continue;
    let d = addDays(h.date, 1);
    while (isWeekend(d) || taken.has(d)) d = addDays(d, 1);
    taken.add(d);
    compensatory.push({ date: d, reason: m.compensatory(h.reason), kind: "compensatory" });
  }
  return [...days, ...compensatory].sort((a, b) => a.date.localeCompare(b.date));
}
