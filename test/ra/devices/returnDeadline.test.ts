import { expect } from "chai";
import { validityEndedAt, workingDayDeadline } from "../../../src/ra/devices/returnDeadline";
import { ALLOWED_TRANSITIONS, DEVICE_STATES } from "../../../src/ra/devices/lifecycle";
import { WorkingCalendar } from "../../../src/ra/calendar/workingCalendar";

describe("return deadline (05 working days)", () => {
  it("does not count the day of the revocation and skips the weekend", () => {
    // Wednesday 2026-11-25 10:00 Hà Nội → Thu, Fri, Mon, Tue, Wed → 24:00 of Wed 2026-12-02 (Hà Nội)
    const d = workingDayDeadline(new Date("2026-11-25T03:00:00Z"));
    expect(d.toISOString()).to.equal("2026-12-02T17:00:00.000Z");
  });
  it("uses the Hà Nội date of the event, not the UTC date", () => {
    // Friday 2026-11-27 23:30 Hà Nội is still Friday 16:30 UTC; Saturday 00:30 Hà Nội is Friday 17:30 UTC
    expect(workingDayDeadline(new Date("2026-11-27T16:30:00Z")).toISOString()).to.equal("2026-12-04T17:00:00.000Z");
    expect(workingDayDeadline(new Date("2026-11-27T17:30:00Z")).toISOString()).to.equal("2026-12-04T17:00:00.000Z");
  });
  it("starts only when no certificate on the device is still valid", () => {
    const now = new Date("2026-11-25T00:00:00Z");
    const revoked = { status: "revoked", revoked_at: "2026-11-20T00:00:00Z", not_after: "2029-01-01T00:00:00Z" };
    const valid = { status: "issued", revoked_at: null, not_after: "2029-01-01T00:00:00Z" };
    const expired = { status: "issued", revoked_at: null, not_after: "2026-11-22T00:00:00Z" };
    expect(validityEndedAt([revoked, valid], now)).to.equal(undefined);
    expect(validityEndedAt([revoked, expired], now)!.toISOString()).to.equal("2026-11-22T00:00:00.000Z");
    expect(validityEndedAt([], now)).to.equal(undefined);
  });
});

describe("device lifecycle table", () => {
  it("names only known states and lets retired be final", () => {
    for (const s of DEVICE_STATES) for (const t of ALLOWED_TRANSITIONS[s]) expect(DEVICE_STATES).to.include(t);
    expect(ALLOWED_TRANSITIONS.retired).to.deep.equal([]);
  });
  it("lets a recovered device go back to its holder", () => {
    expect(ALLOWED_TRANSITIONS.locked).to.include("recovered");
    expect(ALLOWED_TRANSITIONS.recovered).to.include("handed_over");
  });
});

describe("return deadline with the working-day calendar", () => {
  it("skips Tết when counting", () => {

    const cal = new WorkingCalendar(() => null);
    // Tết Bính Ngọ 2026: the lunar new year is 2026-02-17; a revocation on Friday 2026-02-13 cannot
    // end five weekdays later (2026-02-20) because the holiday days are not counted.
    const plain = workingDayDeadline(new Date("2026-02-13T03:00:00Z"));
    const withTet = workingDayDeadline(new Date("2026-02-13T03:00:00Z"), 5, cal.isWorkingDay);
    expect(plain.toISOString()).to.equal("2026-02-20T17:00:00.000Z");
    expect(withTet.getTime()).to.be.greaterThan(plain.getTime());
  });
});
