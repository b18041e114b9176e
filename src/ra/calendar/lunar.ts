/// <reference path="../../../node_modules/date-chinese/types/index.d.ts" />
import type { CalendarVietnamese as CalendarVietnameseType } from "date-chinese";
import { addDays, isoDate, type IsoDate } from "./dates";

/**
 * Lunar dates from the Vietnamese calendar (the Chinese calendar computed for the UTC+7 meridian,
 * date-chinese's CalendarVietnamese). The two differ in some years (e.g. Tết 1985), which is why
 * the Chinese calendar must not be used for Vietnamese holidays.
 */
const cache = new Map<number, { newYear: IsoDate; hungKings: IsoDate }>();

function compute(gregorianYear: number) {
  const hit = cache.get(gregorianYear);
  if (hit) return hit;
  // Required on the first date asked (date-chinese and astronomia weigh about 8 MB once loaded).
  const CalendarVietnamese = (require("date-chinese") as { CalendarVietnamese: typeof CalendarVietnameseType }).CalendarVietnamese;
  const cal = new CalendarVietnamese();
  cal.fromJDE(cal.newYear(gregorianYear));
  const ny = cal.toGregorian(undefined as unknown as number);
  const [cycle, year] = cal.get();
  // Giỗ Tổ Hùng Vương: day 10 of the (non-leap) third lunar month of the same lunar year.
  const hk = new CalendarVietnamese(cycle, year, 3, false as unknown as number, 10).toGregorian(undefined as unknown as number);
  const out = { newYear: isoDate(ny.year, ny.month, ny.day), hungKings: isoDate(hk.year, hk.month, hk.day) };
  cache.set(gregorianYear, out);
  return out;
}

/** Mùng 1 Tết (first day of the lunar year that begins in this Gregorian year). */
export const lunarNewYear = (year: number): IsoDate => compute(year).newYear;

/** The last day of the old lunar year: the day before mùng 1 Tết. */
export const lunarNewYearsEve = (year: number): IsoDate => addDays(compute(year).newYear, -1);

/** 10/3 âm lịch. */
export const hungKingsDay = (year: number): IsoDate => compute(year).hungKings;
