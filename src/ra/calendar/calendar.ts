import type { Db } from "../../store/db";
import * as calendarYears from "../../store/calendarYears";
import * as audit from "../../audit/audit";
import type { Actor } from "../../auth/actor";
import { DomainError } from "../../errors";
import { messages } from "../../messages";
import { isIsoDate, yearOf, type IsoDate } from "./dates";
import { WorkingCalendar, reviewDeadline, type ReviewDeadline } from "./workingCalendar";
import { fileOverrides, yearProblem, type YearOverrides } from "./yearOverrides";
import { recomputeRunningDeadlines } from "../review/recomputeDeadlines";

export const MIN_YEAR = 2000;
export const MAX_YEAR = 2100;

export function checkYear(year: number) {
  if (!Number.isInteger(year) || year < MIN_YEAR || year > MAX_YEAR) {
    throw new DomainError("calendar_year_out_of_range", messages.calendar.yearOutOfRange(year), { year });
  }
}

export function checkDate(s: string): IsoDate {
  if (!isIsoDate(s)) throw new DomainError("invalid_date", messages.calendar.invalidDate(s), { value: s });
  checkYear(yearOf(s));
  return s;
}

/**
 * The working calendar for the years from..to, with the admin's overrides from the database where
 * present and the shipped data files otherwise. Read per use, so every node sees an edit at once.
 */
export async function loadWorkingCalendar(db: Db, fromYear: number, toYear = fromYear + 1): Promise<WorkingCalendar> {
  const years: number[] = [];
  for (let y = fromYear; y <= toYear; y++) years.push(y);
  const rows = await calendarYears.getMany(db, years);
  const stored = new Map(rows.map((r) => [Number(r.year), calendarYears.overridesOf<YearOverrides>(r)]));
  return new WorkingCalendar((y) => (stored.has(y) ? stored.get(y)! : fileOverrides(y)));
}

/** The review deadline for a dossier received (valid) on a given Vietnamese calendar day. */
export async function deadlineFor(db: Db, receivedOn: IsoDate): Promise<ReviewDeadline> {
  const cal = await loadWorkingCalendar(db, yearOf(receivedOn));
  return reviewDeadline(cal, receivedOn);
}

export interface YearView {
  year: number;
  origin: "database" | "file" | "labour_code";
  overrides: YearOverrides | null;
  updatedAt?: string;
  updatedBy?: string;
  calendar: WorkingCalendar;
}

export async function yearView(db: Db, year: number): Promise<YearView> {
  checkYear(year);
  const row = await calendarYears.get(db, year);
  const calendar = await loadWorkingCalendar(db, year, year);
  if (row) {
    return { year, origin: "database", overrides: calendarYears.overridesOf(row), updatedAt: row.updated_at, updatedBy: row.updated_by, calendar };
  }
  const file = fileOverrides(year);
  return { year, origin: file ? "file" : "labour_code", overrides: file, calendar };
}

/** An admin replaces a year's official days off and make-up days; audited in the same transaction. */
export async function replaceYear(db: Db, actor: Actor, year: number, overrides: YearOverrides): Promise<void> {
  checkYear(year);
  const problem = yearProblem(year, overrides);
  if (problem?.kind === "year") {
    throw new DomainError("calendar_date_outside_year", messages.calendar.overrideYearMismatch(problem.date, year), { date: problem.date, year });
  }
  if (problem?.kind === "conflict") {
    throw new DomainError("calendar_date_conflict", messages.calendar.overrideConflict(problem.date), { date: problem.date });
  }
  await db.transaction(async (trx) => {
    const before = await calendarYears.get(trx, year);
    await calendarYears.put(trx, year, overrides, actor.username);
    await audit.append(trx, {
      actor, action: "calendar.edited", objectType: "calendar_year", objectId: String(year),
      details: { before: before ? calendarYears.overridesOf(before) : fileOverrides(year), after: overrides },
    });
    await recomputeRunningDeadlines(trx, actor, messages.calendar.recomputed(year));
  });
}

/** Drops the admin's overrides: the year follows its data file again. */
export async function resetYear(db: Db, actor: Actor, year: number): Promise<void> {
  checkYear(year);
  await db.transaction(async (trx) => {
    const before = await calendarYears.get(trx, year);
    if (!before) throw new DomainError("calendar_year_not_overridden", messages.calendar.noOverrides(year), { year }, "not_found");
    await calendarYears.remove(trx, year);
    await audit.append(trx, {
      actor, action: "calendar.reset", objectType: "calendar_year", objectId: String(year),
      details: { before: calendarYears.overridesOf(before) },
    });
    await recomputeRunningDeadlines(trx, actor, messages.calendar.recomputed(year));
  });
}
