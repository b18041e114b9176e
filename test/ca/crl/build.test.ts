import { expect } from "chai";
import fc from "fast-check";
import { encodeEntry, encodePage, type RevokedEntry } from "../../../src/ca/crl/build";

describe("CRL entry encoding", () => {
  it("writes a page with the same bytes as the entry-by-entry encoder", () => {
    const entry = fc.record({
      serial: fc.bigInt({ min: 1n, max: (1n << 159n) - 1n }).map((n) => n.toString(16)),
      revokedAt: fc.date({ min: new Date("1990-01-01T00:00:00Z"), max: new Date("2080-12-31T23:59:59Z"), noInvalidDate: true }).map((d) => d.toISOString()),
      reason: fc.option(fc.integer({ min: 0, max: 10 })),
      invalidityDate: fc.option(fc.date({ min: new Date("2000-01-01T00:00:00Z"), max: new Date("2060-01-01T00:00:00Z"), noInvalidDate: true }).map((d) => d.toISOString())),
    });
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 40 }), (page: RevokedEntry[]) => {
        expect(encodePage(page).equals(Buffer.concat(page.map(encodeEntry)))).to.equal(true);
      }),
      { seed: 5280, numRuns: 300 },
    );
  });
});
