import type Koa from "koa";
import type { ApiRouter } from "../../http/route";
import { addPage, actorOf, done, field, readForm, view, type StaffForm } from "./page";
import { checkDate, deadlineFor, replaceYear, resetYear, yearView } from "../../ra/calendar/calendar";
import { vnDateOf, vnShort, weekday, yearOf } from "../../ra/calendar/dates";
import { YearOverridesSchema, type DayEntry } from "../../ra/calendar/yearOverrides";
import { DomainError } from "../../errors";
import { validationError } from "../../http/route";
import { staffMessages } from "../../messages/staff";

const BASE = "/quan-tri/lich-lam-viec";
const WEEKDAYS = ["Chủ nhật", "Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy"];

/** "2026-01-02 | Nghỉ hoán đổi…" lines of an edit box; an entry marked "(chưa chắc chắn)" keeps certain: false. */
const UNCERTAIN = "(chưa chắc chắn)";
const linesOf = (entries: DayEntry[] | undefined) =>
  (entries ?? []).map((e) => `${e.date} | ${e.reason}${e.certain === false ? ` ${UNCERTAIN}` : ""}`).join("\n");

function entriesOf(form: StaffForm, name: string, label: string): DayEntry[] {
  const out: DayEntry[] = [];
  const lines = field(form, name).split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
  if (lines.length > 100) throw new DomainError("calendar_too_many_lines", staffMessages.calendar.tooManyLines(label), {});
  lines.forEach((line, i) => {
    const m = /^(\d{4}-\d{2}-\d{2})\s*\|\s*(.+)$/.exec(line);
    if (!m) throw new DomainError("calendar_line_invalid", staffMessages.calendar.lineInvalid(label, i + 1, line.slice(0, 80)), { line: i + 1 });
    let reason = m[2].trim();
    const uncertain = reason.endsWith(UNCERTAIN);
    if (uncertain) reason = reason.slice(0, -UNCERTAIN.length).trim();
    out.push({ date: m[1], reason, ...(uncertain ? { certain: false } : {}) });
  });
  return out;
}

function yearParam(raw: unknown, fallback: number): number {
  const y = Number(raw);
  return Number.isInteger(y) && y >= 2000 && y <= 2100 ? y : fallback;
}

/**
 * The working-day calendar the 03-day review clock counts on: every day of a year that differs
 * from Monday–Friday (Tết, Giỗ Tổ, 30/4, 1/5, 2/9 and its adjacent day, official swaps and
 * make-up Saturdays), where the year's data comes from, and which entries are not yet checked
 * against an official text. Anyone signed in reads it and can compute a deadline; an admin
 * replaces a year's official decisions (audited; running deadlines recomputed) or resets it.
 */
export function registerCalendarPages(api: ApiRouter) {
  addPage(api, "get", BASE, "calendar.read", async (ctx) => {
    const today = vnDateOf(new Date());
    const year = yearParam(ctx.query.nam, yearOf(today));
    const v = await yearView(ctx.services.db, year);
    const o = v.overrides;
    const uncertain = [
      ...(o?.nationalDayAdjacent && o.nationalDayAdjacentCertain === false ? [{ date: o.nationalDayAdjacent, reason: staffMessages.calendar.nationalDayAdjacent }] : []),
      ...[...(o?.daysOff ?? []), ...(o?.workingDays ?? [])].filter((e) => e.certain === false),
    ];
    let deadline: { receivedOn: string; deadline: string; skipped: { date: string; reason: string }[] } | undefined;
    let deadlineError: string | undefined;
    const received = typeof ctx.query["tiep-nhan"] === "string" ? ctx.query["tiep-nhan"].slice(0, 10) : "";
    if (received) {
      try {
        deadline = await deadlineFor(ctx.services.db, checkDate(received));
      } catch (err) {
        if (!(err instanceof DomainError)) throw err;
        deadlineError = err.message;
      }
    }
    view(ctx, "staff/calendar.njk", {
      title: `Lịch ngày làm việc năm ${year}`,
      year, origin: v.origin, updatedAt: v.updatedAt, updatedBy: v.updatedBy, overrides: o,
      days: v.calendar.exceptions(year).map((d) => ({ ...d, short: vnShort(d.date), weekday: WEEKDAYS[weekday(d.date)] })),
      uncertain: uncertain.map((e) => ({ ...e, short: vnShort(e.date) })),
      received, deadline: deadline && { ...deadline, short: vnShort(deadline.deadline), weekday: WEEKDAYS[weekday(deadline.deadline)] }, deadlineError,
      edit: {
        daysOff: linesOf(o?.daysOff), workingDays: linesOf(o?.workingDays),
        nationalDayAdjacent: o?.nationalDayAdjacent ?? "", nationalDayAdjacentCertain: o?.nationalDayAdjacentCertain !== false,
        source: o?.source ?? "", note: o?.note ?? "",
      },
    });
  });

  addPage(api, "post", `${BASE}/:year`, "calendar.edit", async (ctx) => {
    const year = yearParam(ctx.params.year, NaN);
    if (Number.isNaN(year)) throw new DomainError("calendar_year_invalid", staffMessages.calendar.yearInvalid, {}, "not_found");
    const form = readForm(ctx as unknown as Koa.Context);
    const adjacent = field(form, "nationalDayAdjacent");
    const parsed = YearOverridesSchema.safeParse({
      source: field(form, "source") || undefined,
      note: field(form, "note") || undefined,
      ...(adjacent ? { nationalDayAdjacent: adjacent, nationalDayAdjacentCertain: field(form, "nationalDayAdjacentCertain") === "1" } : {}),
      daysOff: entriesOf(form, "daysOff", staffMessages.calendar.daysOff),
      workingDays: entriesOf(form, "workingDays", staffMessages.calendar.workingDays),
    });
    if (!parsed.success) throw validationError(parsed.error);
    await replaceYear(ctx.services.db, actorOf(ctx), year, parsed.data);
    done(ctx, `${BASE}?nam=${year}`, "calendarSaved");
  });

  addPage(api, "post", `${BASE}/:year/dat-lai`, "calendar.edit", async (ctx) => {
    const year = yearParam(ctx.params.year, NaN);
    if (Number.isNaN(year)) throw new DomainError("calendar_year_invalid", staffMessages.calendar.yearInvalid, {}, "not_found");
    await resetYear(ctx.services.db, actorOf(ctx), year);
    done(ctx, `${BASE}?nam=${year}`, "calendarReset");
  });
}
