import { expect } from "chai";
import { newSerial, normalizeSerial } from "../../src/ca/serial";

describe("certificate serial numbers", () => {
  it("draws 128-bit positive serials, all different, 32 hex digits with no leading zero", () => {
    const seen = new Set<string>();
    const kept: Buffer[] = [];
    for (let i = 0; i < 5000; i++) {
      const { hex, bytes } = newSerial();
      expect(hex).to.match(/^[1-9a-f][0-9a-f]{31}$/);
      expect(bytes.toString("hex")).to.equal(hex);
      expect(normalizeSerial(hex)).to.equal(hex);
      seen.add(hex);
      kept.push(bytes);
    }
    expect(seen.size).to.equal(5000);
    expect(kept.every((b, i) => b.toString("hex") === [...seen][i])).to.equal(true);
    // Every bit position varies: 5,000 draws leave no bit always 0 or (below the first octet) always 1.
    const or = Buffer.alloc(16);
    const and = Buffer.alloc(16, 0xff);
    for (const b of kept) for (let k = 0; k < 16; k++) {
      or[k] |= b[k];
      and[k] &= b[k];
    }
    expect(or.toString("hex")).to.equal("ff".repeat(16));
    expect(and.subarray(1).toString("hex")).to.equal("00".repeat(15));
  });
});
