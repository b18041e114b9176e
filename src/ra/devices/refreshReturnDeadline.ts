import type { Db } from "../../store/db";
import { nowIso } from "../../store/db";
import * as store from "../../store/devices";
import { WITH_HOLDER } from "./lifecycle";
import { validityEndedAt, vnDate, workingDayDeadline } from "./returnDeadline";
import { loadWorkingCalendar } from "../calendar/calendar";

/**
 * Recomputes the device's return deadline from the certificates on it (revocation and expiry are
 * decided elsewhere; this reads their outcome): while the device is with its holder and no valid
 * certificate remains, the deadline is 05 working days after the last one ended.
 */
export async function refreshReturnDeadline(db: Db, d: store.DeviceRow, now = new Date()): Promise<store.DeviceRow> {
  let deadline: string | null = null;
  let reasonAt: string | null = null;
  if (WITH_HOLDER.includes(d.state)) {
    const ended = validityEndedAt(await store.certificatesOn(db, d.id), now);
    if (ended) {
      reasonAt = ended.toISOString();
      // Labour Code holidays, Tết and the year's official day swaps count as non-working days.
      const year = Number(vnDate(ended).slice(0, 4));
      const cal = await loadWorkingCalendar(db, year, year + 1);
      deadline = workingDayDeadline(ended, undefined, cal.isWorkingDay).toISOString();
    }
  }
  if (deadline === d.return_deadline && reasonAt === d.return_reason_at) return d;
  await store.update(db, d.id, { return_deadline: deadline, return_reason_at: reasonAt, updated_at: nowIso() });
  return { ...d, return_deadline: deadline, return_reason_at: reasonAt };
}

/** Refreshes every device with its holder; for the overdue list and a daily run. */
export async function refreshAllReturnDeadlines(db: Db, now = new Date()): Promise<number> {
  const rows: store.DeviceRow[] = await db("devices").whereIn("state", WITH_HOLDER as string[]);
  let changed = 0;
  for (const d of rows) if ((await refreshReturnDeadline(db, d, now)) !== d) changed++;
  return changed;
}
