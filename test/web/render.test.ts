import { expect } from "chai";
import { maskIdentity, vnDate, vnDateTime, webEnv } from "../../src/web/render";
import { startTestService, type TestService } from "../support/service";

describe("web rendering", () => {
  it("formats dates in Asia/Ho_Chi_Minh", () => {
    expect(vnDate("2026-03-04T18:30:00Z")).to.equal("05/03/2026");
    expect(vnDate("2026-02-17")).to.equal("17/02/2026");
    expect(vnDateTime("2026-03-04T18:30:00Z")).to.equal("01:30 05/03/2026");
  });
  it("masks identity numbers but the last three characters", () => {
    expect(maskIdentity("CCCD:001203004567")).to.equal("CCCD:*********567");
    expect(maskIdentity("123456789")).to.equal("******789");
  });
  it("escapes values by default", () => {
    const html = webEnv().renderString("{{ v }}", { v: "<script>alert(1)</script>" });
    expect(html).to.equal("&lt;script&gt;alert(1)&lt;/script&gt;");
  });

  describe("public home", () => {
    let svc: TestService;
    before(async () => (svc = await startTestService()));
    after(() => svc.stop());
    it("serves a Vietnamese page and its stylesheet with cache headers", async () => {
      const r = await svc.request("GET", "/");
      expect(r.status).to.equal(200);
      expect(r.headers.get("content-type")).to.match(/text\/html/);
      const html = await r.text();
      expect(html).to.contain('lang="vi"').and.contain("Tra cứu chứng thư số");
      const css = await svc.request("GET", "/static/site.css");
      expect(css.status).to.equal(200);
      const again = await svc.request("GET", "/static/site.css", { headers: { "if-none-match": css.headers.get("etag")! } });
      expect(again.status).to.equal(304);
    });
  });
});
