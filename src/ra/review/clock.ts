import type { Db } from "../../store/db";
import { deadlineFor } from "../calendar/calendar";
import { vnDateOf } from "../calendar/dates";

export interface ReviewClock {
  validSince: string;
  /** 24:00 Asia/Ho_Chi_Minh of the third working day after the receipt day (UTC ISO instant). */
  deadline: string;
  /** That last working day, YYYY-MM-DD. */
  deadlineDate: string;
}

/**
 * Starts the review clock at the receipt of a (presumed valid) dossier. Decree 68/2024, step 2:
 * 03 working days; the receipt day is not counted; the period ends at 24:00 of the last day.
 */
export async function startClock(db: Db, receivedAt: Date): Promise<ReviewClock> {
  const d = await deadlineFor(db, vnDateOf(receivedAt));
  return { validSince: receivedAt.toISOString(), deadline: d.deadlineAt, deadlineDate: d.deadline };
}
