/**
 * Calendar dates as "YYYY-MM-DD" strings (a day in Asia/Ho_Chi_Minh, which has no DST: UTC+7),
 * with the little arithmetic the working-day calendar needs. Instants stay ISO-8601 UTC strings.
 */
export type IsoDate = string;

const VN_OFFSET_MS = 7 * 3600_000;

export const isIsoDate = (s: string) => /^\d{4}-\d{2}-\d{2}$/.test(s) && toUtcMidnight(s).toISOString().slice(0, 10) === s;

const toUtcMidnight = (d: IsoDate) => new Date(`${d}T00:00:00Z`);

export const isoDate = (year: number, month: number, day: number): IsoDate =>
  `${String(year).padStart(4, "0")}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;

export function addDays(d: IsoDate, n: number): IsoDate {
  const t = toUtcMidnight(d);
  t.setUTCDate(t.getUTCDate() + n);
  return t.toISOString().slice(0, 10);
}

/** 0 = Sunday … 6 = Saturday. */
export const weekday = (d: IsoDate) => toUtcMidnight(d).getUTCDay();
export const isWeekend = (d: IsoDate) => weekday(d) === 0 || weekday(d) === 6;
export const yearOf = (d: IsoDate) => Number(d.slice(0, 4));

/** The Vietnamese calendar day an instant falls on. */
export const vnDateOf = (instant: Date): IsoDate => new Date(instant.getTime() + VN_OFFSET_MS).toISOString().slice(0, 10);

/** 24:00 Asia/Ho_Chi_Minh at the end of a day, as an instant (= 00:00 of the next day, UTC+7). */
export const endOfVnDay = (d: IsoDate): Date => new Date(toUtcMidnight(addDays(d, 1)).getTime() - VN_OFFSET_MS);

/** 00:00 Asia/Ho_Chi_Minh at the start of a day. */
export const startOfVnDay = (d: IsoDate): Date => new Date(toUtcMidnight(d).getTime() - VN_OFFSET_MS);

/** "dd/mm/yyyy" as Vietnamese documents write it. */
export const vnShort = (d: IsoDate) => `${d.slice(8, 10)}/${d.slice(5, 7)}/${d.slice(0, 4)}`;
