import type { Db } from "../../store/db";
import { loadWorkingCalendar } from "../../ra/calendar/calendar";
import { addDays, vnDateOf, yearOf } from "../../ra/calendar/dates";
import { reviewClockView } from "../../http/routes/review/present";
import { CLOCK_RUNNING } from "../../ra/review/transitions";
import { staffMessages } from "../../messages/staff";

export interface DeadlineView {
  /** Last working day of the review period (YYYY-MM-DD, Hà Nội). */
  deadlineDate: string | null;
  overdue: boolean;
  dueToday: boolean;
  /** "còn 2 ngày làm việc", "quá hạn 1 ngày làm việc". */
  text: string;
}

/**
 * The review deadline of each dossier in working days, on the same working-day calendar the
 * review clock uses (holidays and official day swaps included).
 */
export async function deadlineViews(db: Db, rows: { status: string; deadline: string | null }[], now = new Date()): Promise<DeadlineView[]> {
  const today = vnDateOf(now);
  const cal = await loadWorkingCalendar(db, yearOf(today) - 1, yearOf(today) + 1);
  return rows.map((r) => {
    const v = reviewClockView(r.status, r.deadline, now);
    // A stopped clock (accepted, waiting for correction…) keeps its deadline as a record only.
    if (!v.deadlineDate || !(CLOCK_RUNNING as readonly string[]).includes(r.status)) return { deadlineDate: null, overdue: false, dueToday: false, text: "" };
    if (v.overdue) {
      let n = 0;
      for (let d = addDays(v.deadlineDate, 1); d <= today && n < 1000; d = addDays(d, 1)) if (cal.isWorkingDay(d)) n++;
      return { deadlineDate: v.deadlineDate, overdue: true, dueToday: false, text: staffMessages.workingDaysOver(Math.max(1, n)) };
    }
    let n = 0;
    for (let d = today; d <= v.deadlineDate && n < 1000; d = addDays(d, 1)) if (cal.isWorkingDay(d)) n++;
    return { deadlineDate: v.deadlineDate, overdue: false, dueToday: v.deadlineDate === today, text: staffMessages.workingDaysLeft(n) };
  });
}
