import fs from "node:fs";
import path from "node:path";
import { expect } from "chai";
import { startTestService, type TestService } from "../support/service";
import { loadConfig, ConfigError } from "../../src/config";

describe("foundation", () => {
  let svc: TestService;
  before(async () => {
    svc = await startTestService({ BODY_LIMIT: "2048" });
  });
  after(() => svc.stop());

  it("answers /healthz with the database status", async () => {
    const r = await svc.request("GET", "/healthz");
    expect(r.status).to.equal(200);
    const body = await r.json();
    expect(body.status).to.equal("ok");
    expect(body.checks.database.status).to.equal("ok");
    expect(body.checks.database.client).to.equal("sqlite3");
  });

  it("writes the first admin's token with mode 0600 and it authenticates", async () => {
    const file = path.join(svc.dataDir, "admin.token");
    expect(fs.statSync(file).mode & 0o777).to.equal(0o600);
    const r = await svc.request("GET", "/api/me", { token: svc.adminToken });
    expect(r.status).to.equal(200);
    expect((await r.json()).roles).to.deep.equal(["admin"]);
  });

  it("stores tokens hashed, never in clear", async () => {
    const rows = await svc.services.db("api_tokens").select("token_hash");
    expect(rows.map((r) => r.token_hash)).to.not.include(svc.adminToken);
    expect(rows[0].token_hash).to.match(/^[0-9a-f]{64}$/);
  });

  it("refuses /api without a token (401) and with a wrong one (401), in Vietnamese", async () => {
    const none = await svc.request("GET", "/api/me");
    expect(none.status).to.equal(401);
    const b = await none.json();
    expect(b.error.code).to.equal("unauthenticated");
    expect(b.error.message).to.match(/xác thực/);
    const wrong = await svc.request("GET", "/api/me", { token: "ct_nope" });
    expect(wrong.status).to.equal(401);
    expect((await wrong.json()).error.code).to.equal("invalid_token");
  });

  it("forbids a role without the permission (403)", async () => {
    const clerk = await svc.userWithRoles("clerk1", ["clerk"]);
    const r = await svc.request("GET", "/api/users", { token: clerk });
    expect(r.status).to.equal(403);
    expect((await r.json()).error.message).to.match(/quyền/);
  });

  it("answers unknown routes with a JSON 404", async () => {
    const r = await svc.request("GET", "/khong-co");
    expect(r.status).to.equal(404);
    expect(r.headers.get("content-type")).to.match(/json/);
    expect((await r.json()).error.code).to.equal("not_found");
  });

  it("answers malformed JSON with 400 and oversized bodies with 413", async () => {
    const bad = await svc.request("POST", "/api/users", { token: svc.adminToken, body: "{not json", headers: { "content-type": "application/json" } });
    expect(bad.status).to.equal(400);
    expect((await bad.json()).error.code).to.equal("malformed_json");
    const big = await svc.request("POST", "/api/users", { token: svc.adminToken, json: { x: "a".repeat(5000) } });
    expect(big.status).to.equal(413);
    expect((await big.json()).error.code).to.equal("body_too_large");
  });

  it("gives a Vietnamese message per invalid field", async () => {
    const r = await svc.request("POST", "/api/users", { token: svc.adminToken, json: { username: "A B", roles: ["wizard"] } });
    expect(r.status).to.equal(400);
    const { error } = await r.json();
    expect(error.code).to.equal("validation_failed");
    const fields = error.details.fields.map((f: { field: string }) => f.field);
    expect(fields).to.include.members(["username", "fullName", "roles.0"]);
  });

  it("serves an OpenAPI document that lists every /api route", async () => {
    const r = await svc.request("GET", "/api/openapi.json");
    const doc = await r.json();
    expect(doc.openapi).to.equal("3.1.0");
    for (const spec of svc.api.specs.filter((s) => s.path.startsWith("/api/"))) {
      const p = spec.path.replace(/:([A-Za-z0-9_]+)/g, "{$1}");
      expect(doc.paths[p], p).to.have.property(spec.method);
    }
    expect(doc.paths["/api/users"].post.requestBody.content["application/json"].schema.properties).to.have.property("roles");
  });

  it("records the admin's creation in the audit chain", async () => {
    const rows = await svc.services.db("audit_log").orderBy("seq");
    expect(rows.map((r) => r.action)).to.include("user.created");
  });
});

describe("configuration", () => {
  it("names the variable of a bad value", () => {
    expect(() => loadConfig({ PORT: "eighty" })).to.throw(ConfigError, /PORT/);
    expect(() => loadConfig({ LOG_LEVEL: "loud" })).to.throw(ConfigError, /LOG_LEVEL/);
    expect(() => loadConfig({ DATABASE_URL: "mysql://x" })).to.throw(ConfigError, /DATABASE_URL/);
  });
  it("has defaults for the embedded install", () => {
    const c = loadConfig({});
    expect(c.HOST).to.equal("127.0.0.1");
    expect(c.PORT).to.equal(8080);
    expect(c.dataDir).to.equal(path.resolve("var"));
  });
});
