import fs from "node:fs";
import path from "node:path";
import { z } from "zod";
import { isIsoDate, yearOf, type IsoDate } from "./dates";

/**
 * A year's official decisions on top of the Labour Code: which day joins 2/9, extra days off
 * (make-up days moved, swaps) and working days (make-up Saturdays, or a computed make-up day the
 * government moved elsewhere). The defaults ship as data/calendar/<year>.json; an admin can replace
 * a year through PUT /api/calendar/:year (stored in calendar_years, which wins over the file).
 */
const day = z.string().max(10).refine(isIsoDate, "YYYY-MM-DD");
const entry = z.object({ date: day, reason: z.string().trim().min(1).max(300), certain: z.boolean().optional() });

export const YearOverridesSchema = z.object({
  source: z.string().max(2000).optional(),
  note: z.string().max(4000).optional(),
  nationalDayAdjacent: day.optional(),
  nationalDayAdjacentCertain: z.boolean().optional(),
  daysOff: z.array(entry).max(100).default([]),
  workingDays: z.array(entry).max(100).default([]),
});
export type YearOverrides = z.infer<typeof YearOverridesSchema>;
export type DayEntry = z.infer<typeof entry>;

export const calendarDataDir = path.resolve(__dirname, "../../../data/calendar");

const fileCache = new Map<number, YearOverrides | null>();

/** The shipped default for a year, or null when there is no file. */
export function fileOverrides(year: number): YearOverrides | null {
  if (fileCache.has(year)) return fileCache.get(year)!;
  const file = path.join(calendarDataDir, `${year}.json`);
  let parsed: YearOverrides | null = null;
  if (fs.existsSync(file)) {
    const raw = JSON.parse(fs.readFileSync(file, "utf8"));
    const { year: y, ...rest } = raw;
    if (y !== year) throw new Error(`${file}: year ${y} does not match the file name`);
    parsed = YearOverridesSchema.parse(rest);
    checkYear(year, parsed);
  }
  fileCache.set(year, parsed);
  return parsed;
}

/** Dates that are not in the year, or declared both off and working: returns the first problem. */
export function yearProblem(year: number, o: YearOverrides): { kind: "year" | "conflict"; date: IsoDate } | null {
  const all = [...o.daysOff, ...o.workingDays].map((e) => e.date);
  if (o.nationalDayAdjacent) all.push(o.nationalDayAdjacent);
  const foreign = all.find((d) => yearOf(d) !== year);
  if (foreign) return { kind: "year", date: foreign };
  const off = new Set(o.daysOff.map((e) => e.date));
  const both = o.workingDays.find((e) => off.has(e.date));
  if (both) return { kind: "conflict", date: both.date };
  return null;
}

function checkYear(year: number, o: YearOverrides) {
  const p = yearProblem(year, o);
  if (p) throw new Error(`calendar ${year}: ${p.kind} problem at ${p.date}`);
}
