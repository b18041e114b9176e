/**
 * Thu hồi thiết bị: a key-storage device comes back to the provider within 05 working days of the
 * revocation or expiry of its certificate (issue 7). The day of the event is not counted; the period
 * ends at 24:00 (Asia/Ho_Chi_Minh) of the last working day (design.md §1, the same counting rule as
 * the review deadline).
 * The caller passes the working-day calendar (src/ra/calendar: weekends, Labour Code holidays, the
 * year's official day swaps); weekdaysOnly is the fallback for pure computations.
 */
export const RETURN_WORKING_DAYS = 5;
const VN_OFFSET_MS = 7 * 3600_000; // Asia/Ho_Chi_Minh has no daylight saving time

/** The calendar date (YYYY-MM-DD) in Viet Nam of an instant. */
export const vnDate = (at: Date): string => new Date(at.getTime() + VN_OFFSET_MS).toISOString().slice(0, 10);

export type IsWorkingDay = (isoDate: string) => boolean;
export const weekdaysOnly: IsWorkingDay = (d) => {
  const day = new Date(`${d}T00:00:00Z`).getUTCDay();
  return day !== 0 && day !== 6;
};

/** 24:00 Viet Nam time of the n-th working day after the event's date, as a UTC instant. */
export function workingDayDeadline(event: Date, days = RETURN_WORKING_DAYS, isWorkingDay: IsWorkingDay = weekdaysOnly): Date {
  let d = new Date(`${vnDate(event)}T00:00:00Z`);
  let counted = 0;
  while (counted < days) {
    d = new Date(d.getTime() + 86400_000);
    if (isWorkingDay(d.toISOString().slice(0, 10))) counted++;
  }
  // 24:00 local of day d = 00:00 local of d+1 = d 17:00 UTC
  return new Date(d.getTime() + 86400_000 - VN_OFFSET_MS);
}

export interface CertificateValidity {
  status: string;
  not_after: string | null;
  revoked_at: string | null;
}

/**
 * When did the device stop holding any valid certificate? undefined while one is still valid (or it
 * never held one). A certificate stops at its revocation or at its expiry, whichever comes first.
 */
export function validityEndedAt(certs: CertificateValidity[], now: Date): Date | undefined {
  const live = certs.filter((c) => c.status === "issued" || c.status === "revoked");
  if (live.length === 0) return undefined;
  let last = 0;
  for (const c of live) {
    const ends = [c.revoked_at, c.not_after].filter((x): x is string => !!x).map((x) => Date.parse(x));
    if (ends.length === 0) return undefined;
    const end = Math.min(...ends);
    if (end > now.getTime()) return undefined;
    last = Math.max(last, end);
  }
  return new Date(last);
}
