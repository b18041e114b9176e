import type { Db } from "./db";
import { fromJson, nowIso, toJson } from "./db";

export interface CalendarYearRow {
  year: number;
  overrides: string;
  updated_at: string;
  updated_by: string;
}

export const get = (db: Db, year: number): Promise<CalendarYearRow | undefined> =>
  db("calendar_years").where({ year }).first();

export const getMany = (db: Db, years: number[]): Promise<CalendarYearRow[]> => db("calendar_years").whereIn("year", years);

export async function put(db: Db, year: number, overrides: unknown, by: string): Promise<void> {
  const row = { year, overrides: toJson(overrides), updated_at: nowIso(), updated_by: by };
  await db("calendar_years").insert(row).onConflict("year").merge(["overrides", "updated_at", "updated_by"]);
}

export const remove = (db: Db, year: number) => db("calendar_years").where({ year }).delete();

export const overridesOf = <T>(row: CalendarYearRow) => fromJson<T>(row.overrides);
