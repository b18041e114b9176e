import { expect } from "chai";
import { RateLimiter } from "../../src/http/rateLimit";

describe("RateLimiter", () => {
  it("allows the burst, then asks to wait, then refills", () => {
    const rl = new RateLimiter(3, 60);
    const t = 1_000_000;
    expect([rl.take("a", t), rl.take("a", t), rl.take("a", t)]).to.deep.equal([0, 0, 0]);
    expect(rl.take("a", t)).to.equal(1);
    expect(rl.take("b", t)).to.equal(0);
    expect(rl.take("a", t + 1000)).to.equal(0);
  });
  it("throws a 429-kind error with Retry-After seconds", () => {
    const rl = new RateLimiter(1, 6);
    rl.check("x");
    try {
      rl.check("x");
      expect.fail("should throw");
    } catch (e: any) {
      expect(e.kind).to.equal("rate_limited");
      expect(e.details.retryAfter).to.be.within(1, 10);
      expect(e.message).to.match(/Quá nhiều yêu cầu/);
    }
  });
});
