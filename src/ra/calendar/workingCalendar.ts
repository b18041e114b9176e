import { messages } from "../../messages";
import { addDays, endOfVnDay, isWeekend, weekday, yearOf, type IsoDate } from "./dates";
import { statutoryHolidays } from "./statutory";
import type { YearOverrides } from "./yearOverrides";

export interface DayStatus {
  date: IsoDate;
  working: boolean;
  /** Why the day is not (or, for a make-up Saturday, is) a working day. */
  reason?: string;
}

/**
 * Vietnam's working days for public bodies: Monday to Friday, minus the Labour Code holidays and
 * their make-up days, adjusted by each year's official decisions. Built from the overrides of
 * the years it may be asked about (see loadWorkingCalendar); a year without overrides follows the
 * Labour Code alone.
 */
export class WorkingCalendar {
  private years = new Map<number, { off: Map<IsoDate, string>; working: Map<IsoDate, string> }>();

  constructor(private overrides: (year: number) => YearOverrides | null) {}

  private year(y: number) {
    let hit = this.years.get(y);
    if (hit) return hit;
    const o = this.overrides(y);
    const off = new Map<IsoDate, string>();
    for (const h of statutoryHolidays(y, o?.nationalDayAdjacent)) if (!off.has(h.date)) off.set(h.date, h.reason);
    for (const e of o?.daysOff ?? []) off.set(e.date, e.reason);
    const working = new Map<IsoDate, string>();
    for (const e of o?.workingDays ?? []) working.set(e.date, e.reason);
    hit = { off, working };
    this.years.set(y, hit);
    return hit;
  }

  day(date: IsoDate): DayStatus {
    const y = this.year(yearOf(date));
    const makeUp = y.working.get(date);
    if (makeUp !== undefined) return { date, working: true, reason: makeUp };
    const off = y.off.get(date);
    if (off !== undefined) return { date, working: false, reason: off };
    if (isWeekend(date)) return { date, working: false, reason: messages.calendar.weekend(weekday(date)) };
    return { date, working: true };
  }

  isWorkingDay = (date: IsoDate) => this.day(date).working;

  /** Every day of a year that is not a plain Monday–Friday working day or a weekend: holidays, make-up days off, make-up working days. */
  exceptions(year: number): DayStatus[] {
    const out: DayStatus[] = [];
    for (let d = `${year}-01-01`; yearOf(d) === year; d = addDays(d, 1)) {
      const s = this.day(d);
      if (s.working !== !isWeekend(d)) out.push(s);
    }
    return out;
  }
}

export interface ReviewDeadline {
  receivedOn: IsoDate;
  deadline: IsoDate;
  /** 24:00 Asia/Ho_Chi_Minh of the deadline day, as an instant. */
  deadlineAt: string;
  workingDays: IsoDate[];
  skipped: { date: IsoDate; reason: string }[];
}

/**
 * Decree 68/2024 procedure, step 2 (design.md §1): the provider checks a valid dossier within 03
 * working days of receiving it. Civil Code art. 147–148: the receipt day is not counted, and the
 * period ends at 24:00 of its last day.
 */
export function reviewDeadline(cal: WorkingCalendar, receivedOn: IsoDate, workingDaysAllowed = 3): ReviewDeadline {
  const workingDays: IsoDate[] = [];
  const skipped: { date: IsoDate; reason: string }[] = [];
  let d = receivedOn;
  while (workingDays.length < workingDaysAllowed) {
    d = addDays(d, 1);
    const s = cal.day(d);
    if (s.working) workingDays.push(d);
    else skipped.push({ date: d, reason: s.reason ?? "" });
  }
  return { receivedOn, deadline: d, deadlineAt: endOfVnDay(d).toISOString(), workingDays, skipped };
}
