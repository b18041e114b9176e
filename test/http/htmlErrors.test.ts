import { expect } from "chai";
import { startTestService, type TestService } from "../support/service";

/** Errors raised before a page's handler (body size) answer a browser with a page, an API client with JSON. */
describe("errors before the handler: page for browsers, JSON for the API", () => {
  let svc: TestService;
  before(async () => (svc = await startTestService({ BODY_LIMIT: "4096" })));
  after(() => svc?.stop());

  const bigForm = () => {
    const f = new FormData();
    f.append("tep", new Blob([Buffer.alloc(8192, 0x41)]), "to.cer");
    return f;
  };

  it("answers a browser's oversized upload to the public check page with a Vietnamese HTML 413 page", async () => {
    const r = await svc.request("POST", "/kiem-tra", { body: bigForm(), headers: { accept: "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8" } });
    expect(r.status).to.equal(413);
    expect(r.headers.get("content-type")).to.match(/^text\/html/);
    const html = await r.text();
    expect(html).to.contain('<html lang="vi">').and.contain("Không thực hiện được yêu cầu").and.contain("body_too_large");
    expect(r.headers.get("content-security-policy")).to.be.a("string");
  });

  it("keeps the JSON error for the API and for clients that do not ask for HTML", async () => {
    const api = await svc.request("POST", "/api/requests", { token: svc.adminToken, body: "x".repeat(8192), headers: { "content-type": "application/json", accept: "text/html" } });
    expect(api.status).to.equal(413);
    expect(((await api.json()) as { error: { code: string } }).error.code).to.equal("body_too_large");
    const plain = await svc.request("POST", "/kiem-tra", { body: bigForm() });
    expect(plain.status).to.equal(413);
    expect(((await plain.json()) as { error: { code: string } }).error.code).to.equal("body_too_large");
  });
});
