/**
 * Dates as Vietnamese administrative documents write them. Documents show the time in
 * Asia/Ho_Chi_Minh (UTC+7, no daylight saving), whatever the server's zone.
 */
const VIETNAM_OFFSET_MS = 7 * 3600_000;

export interface CivilDate {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

/** The wall-clock date and time in Vietnam of an instant. */
export function vietnamTime(at: Date): CivilDate {
  const t = new Date(at.getTime() + VIETNAM_OFFSET_MS);
  return { year: t.getUTCFullYear(), month: t.getUTCMonth() + 1, day: t.getUTCDate(), hour: t.getUTCHours(), minute: t.getUTCMinutes() };
}

/**
 * Decree 30/2020/NĐ-CP, Phụ lục I, Mục II.4(b): "Đối với những số thể hiện ngày nhỏ hơn 10 và
 * tháng 1, 2 thì phải ghi thêm số 0 phía trước" — days 1–9 and months 1 and 2 take a leading zero;
 * months 3–12 do not ("ngày 05 tháng 3 năm 2026", "ngày 15 tháng 02 năm 2026").
 */
export function decree30DayMonth(day: number, month: number): { day: string; month: string } {
  return {
    day: day < 10 ? `0${day}` : String(day),
    month: month < 3 ? `0${month}` : String(month),
  };
}

/** "ngày 05 tháng 3 năm 2026" for an instant, in Vietnam time. */
export function longDate(at: Date): string {
  const c = vietnamTime(at);
  const { day, month } = decree30DayMonth(c.day, c.month);
  return `ngày ${day} tháng ${month} năm ${c.year}`;
}

/** The place-and-date line: "Hà Nội, ngày 05 tháng 3 năm 2026". */
export function placeAndDate(place: string, at: Date): string {
  return `${place}, ${longDate(at)}`;
}

/**
 * dd/mm/yyyy for data in tables and fields (dates of birth, issue dates). A plain calendar date
 * ("1980-02-03") is shown as written; an instant is shown in Vietnam time. Anything else is shown
 * unchanged rather than guessed.
 */
export function shortDate(value: string | Date | null | undefined): string {
  if (value == null || value === "") return "";
  if (typeof value === "string") {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value.trim());
    if (m) return `${m[3]}/${m[2]}/${m[1]}`;
    if (!/^\d{4}-\d{2}-\d{2}T/.test(value)) return value;
    value = new Date(value);
    if (Number.isNaN(value.getTime())) return "";
  }
  const c = vietnamTime(value);
  return `${pad(c.day)}/${pad(c.month)}/${c.year}`;
}

/** "09 giờ 30, ngày 05/03/2026" style pieces: the time of day in Vietnam. */
export function timeOfDay(value: string | Date): string {
  const d = typeof value === "string" ? new Date(value) : value;
  if (Number.isNaN(d.getTime())) return "";
  const c = vietnamTime(d);
  return `${pad(c.hour)} giờ ${pad(c.minute)}`;
}

const pad = (n: number) => (n < 10 ? `0${n}` : String(n));
