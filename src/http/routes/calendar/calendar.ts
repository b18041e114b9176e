import type { ApiRouter } from "../../route";
import * as S from "./schema";
import { checkDate, deadlineFor, replaceYear, resetYear, yearView, type YearView } from "../../../ra/calendar/calendar";
import { vnDateOf } from "../../../ra/calendar/dates";
import { DomainError } from "../../../errors";
import { messages } from "../../../messages";

const presentYear = (v: YearView) => ({
  year: v.year,
  origin: v.origin,
  updatedAt: v.updatedAt ?? null,
  updatedBy: v.updatedBy ?? null,
  overrides: v.overrides,
  /** Every day that differs from plain Monday–Friday: holidays, days off, make-up working days. */
  exceptions: v.calendar.exceptions(v.year).map((d) => ({ date: d.date, working: d.working, reason: d.reason ?? null })),
});

function receivedDay(value: string): string {
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return checkDate(value);
  const t = new Date(value);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(value) || Number.isNaN(t.getTime())) {
    throw new DomainError("invalid_date", messages.calendar.invalidDate(value), { value });
  }
  return checkDate(vnDateOf(t));
}

export function register(api: ApiRouter) {
  api.add({
    method: "get", path: "/api/calendar/deadline", summary: "Review deadline (03 working days) for a dossier received on a day",
    tags: ["calendar"], action: "calendar.read", input: S.DeadlineQuerySchema,
    responses: { 200: { description: "Hạn kiểm duyệt", schema: S.DeadlineSchema } },
    handler: async (ctx, { query }) => {
      const d = await deadlineFor(ctx.services.db, receivedDay(query.receivedAt));
      ctx.body = { receivedOn: d.receivedOn, deadline: d.deadline, deadlineAt: d.deadlineAt, workingDays: d.workingDays, skipped: d.skipped };
    },
  });
  api.add({
    method: "get", path: "/api/calendar/:year", summary: "A year's holidays, days off and make-up working days",
    tags: ["calendar"], action: "calendar.read", input: S.YearParamsSchema,
    handler: async (ctx, { params }) => {
      ctx.body = presentYear(await yearView(ctx.services.db, params.year));
    },
  });
  api.add({
    method: "put", path: "/api/calendar/:year", summary: "Replace a year's official days off and make-up working days",
    tags: ["calendar"], action: "calendar.edit", input: S.PutYearSchema,
    handler: async (ctx, { params, body }) => {
      await replaceYear(ctx.services.db, ctx.state.actor!, params.year, body);
      ctx.body = presentYear(await yearView(ctx.services.db, params.year));
    },
  });
  api.add({
    method: "delete", path: "/api/calendar/:year", summary: "Drop the admin's overrides; the year follows its data file again",
    tags: ["calendar"], action: "calendar.edit", input: S.YearParamsSchema,
    handler: async (ctx, { params }) => {
      await resetYear(ctx.services.db, ctx.state.actor!, params.year);
      ctx.body = presentYear(await yearView(ctx.services.db, params.year));
    },
  });
}
