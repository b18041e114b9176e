import { execFileSync } from "node:child_process";
import { expect } from "chai";
import { startTestService, type TestService } from "../../support/service";
import { hasPostgres, startPostgres, type TestPostgres } from "../../support/postgres";
import { requirePeer } from "../../support/peers";

/**
 * The public site over certificates issued by the real ca capability (its dev CA, its profiles,
 * its revocation command): not only over fixtures. Handover is simulated by setting
 * handed_over_at until the devices capability lands.
 */
for (const database of ["SQLite", "PostgreSQL"] as const) describe(`public website over certificates issued by the CA (${database})`, () => {
  let svc: TestService;
  let pg: TestPostgres | undefined;
  let operator: string;
  let serial: string;
  const IDENTITY = "038190001234";

  before(async function () {
    const env: Record<string, string> = { PUBLIC_RATE_LIMIT_PER_MINUTE: "10000" };
    if (database === "PostgreSQL") {
      requirePeer(this, "PostgreSQL (initdb, pg_ctl)", hasPostgres(), "apt-get install postgresql");
      pg = await startPostgres();
      env.DATABASE_URL = pg.url;
    }
    svc = await startTestService(env);
    operator = await svc.userWithRoles("ca-operator", ["ca_operator"]);
    const r = await svc.request("POST", "/api/certificates", {
      token: operator,
      json: {
        profile: "individual", keyGeneration: "server", pkcs12Password: "mat-khau-123", keyAlgorithm: "ec-p256",
        subject: {
          commonName: "Trần Thị Bích Ngọc", organization: "Sở Nội vụ tỉnh Lào Cai", title: "Phó Giám đốc",
          identity: { type: "CCCD", number: IDENTITY }, email: "ngocttb@laocai.gov.vn",
        },
      },
    });
    expect(r.status, await r.clone().text()).to.equal(201);
    serial = ((await r.json()) as { serial: string }).serial;
  });
  after(async () => {
    await svc?.stop();
    pg?.stop();
  });

  const page = async (p: string) => {
    const r = await svc.request("GET", p);
    return { status: r.status, html: await r.text() };
  };

  it("finds it only after handover, by name, serial and e-mail, never by identity digits", async () => {
    expect((await page("/tra-cuu?q=tran+thi+bich+ngoc")).html).to.contain("Không tìm thấy chứng thư số đã công bố");
    expect((await page(`/chung-thu/${serial}`)).status).to.equal(404);
    await svc.services.db("certificates").where({ serial }).update({ handed_over_at: new Date().toISOString() });
    for (const q of ["tran thi bich ngoc", "TRẦN THỊ BÍCH NGỌC", "so noi vu lao cai", serial, "ngocttb@laocai.gov.vn"]) {
      const { html } = await page(`/tra-cuu?q=${encodeURIComponent(q)}`);
      expect(html, q).to.contain("Trần Thị Bích Ngọc").and.contain("còn hiệu lực");
      expect(html, q).to.not.contain(IDENTITY);
    }
    // The staff search_text holds the identity number; the public search never looks at it.
    const partial = await page("/tra-cuu?q=190001234");
    expect(partial.status).to.equal(400);
    const part = await page("/tra-cuu?q=0001234");
    expect(part.html).to.contain("Không tìm thấy chứng thư số đã công bố").and.not.contain("Bích Ngọc");
  });

  it("shows the certificate page with the fields the CA wrote, and its status after revocation and hold", async () => {
    const { html } = await page(`/chung-thu/${serial}`);
    expect(html).to.contain("Phó Giám đốc").and.contain("CCCD:*********234").and.contain("ECDSA P-256").and.not.contain(IDENTITY);
    const der = Buffer.from(await (await svc.request("GET", `/certificates/${serial}`)).arrayBuffer());
    const fp = execFileSync("openssl", ["x509", "-inform", "DER", "-noout", "-fingerprint", "-sha256"], { input: der }).toString().trim().split("=")[1];
    expect(html).to.contain(fp);

    const hold = await svc.request("POST", `/api/certificates/${serial}/revoke`, { token: operator, json: { reason: "certificateHold" } });
    expect(hold.status, await hold.clone().text()).to.be.oneOf([200, 201]);
    expect((await page(`/chung-thu/${serial}`)).html).to.contain("tạm dừng hiệu lực");
    const revoke = await svc.request("POST", `/api/certificates/${serial}/revoke`, { token: operator, json: { reason: "affiliationChanged" } });
    expect(revoke.status, await revoke.clone().text()).to.be.oneOf([200, 201]);
    const after = (await page(`/chung-thu/${serial}`)).html;
    expect(after).to.contain("đã thu hồi").and.contain("thay đổi cơ quan công tác");
  });

  it("never lets LIKE wildcards through: punctuation separates words", async () => {
    for (const q of ["%%%", "___", "%_%_%"]) expect((await page(`/tra-cuu?q=${encodeURIComponent(q)}`)).status, q).to.equal(400);
    expect((await page(`/tra-cuu?q=${encodeURIComponent("t%n")}`)).html).to.not.contain("Bích Ngọc");
    expect((await page(`/tra-cuu?q=${encodeURIComponent("tran%ngoc")}`)).html).to.contain("Bích Ngọc");
  });

  it("lists the newest CRLs of the status capability's table", async () => {
    const db = svc.services.db;
    const ca = (await db("cas").where({ role: "issuing" }).first("name")).name as string;
    if (!(await db.schema.hasTable("crls"))) {
      await db.schema.createTable("crls", (t) => {
        t.increments("id"); t.string("ca_name", 64).notNullable(); t.bigInteger("number").notNullable(); t.string("kind", 8).notNullable();
        t.bigInteger("base_number"); t.string("this_update", 30).notNullable(); t.string("next_update", 30).notNullable();
        t.integer("entries").notNullable(); t.integer("revoked_total").notNullable(); t.string("max_revoked_at", 30);
        t.binary("der").notNullable(); t.string("sha256", 64).notNullable(); t.string("created_at", 30).notNullable();
      });
    }
    const row = (number: number, kind: string, at: string) => ({ ca_name: ca, number: 1000 + number, kind, this_update: at, next_update: at,
      entries: 0, revoked_total: 0, der: Buffer.from([0x30, 0]), sha256: "00", created_at: at });
    await db("crls").insert([row(1, "full", "2030-01-01T00:00:00Z"), row(2, "full", "2030-01-02T00:00:00Z"), row(3, "delta", "2030-01-02T01:00:00Z")]);
    const { html } = await page("/kho-luu-tru");
    expect(html).to.contain(`/crl/${ca}.crl</a> (số 1002)`).and.contain(`/crl/${ca}/delta.crl</a> (số 1003)`).and.not.contain("(số 1001)");
  });

  it("checks the CA's certificate online through the real chain to its root", async () => {
    const other = await svc.request("POST", "/api/certificates", {
      token: operator,
      json: { profile: "individual", keyGeneration: "server", pkcs12Password: "mat-khau-123", keyAlgorithm: "rsa-2048",
        subject: { commonName: "Lò Văn Páo", organization: "UBND xã Bát Xát", email: "paolv@laocai.gov.vn" } },
    });
    const { serial: s2, pem } = (await other.json()) as { serial: string; pem: string };
    const r = await svc.request("POST", "/kiem-tra", { body: new URLSearchParams({ pem }), headers: { "content-type": "application/x-www-form-urlencoded" } });
    const html = await r.text();
    expect(r.status).to.equal(200);
    expect(html).to.contain("Chứng thư số hợp lệ").and.contain("Lò Văn Páo").and.contain("RSA 2048 bit");
    expect(html.match(/<span class="outcome">đạt<\/span>/g)).to.have.length(4);
    expect(s2).to.match(/^[0-9a-f]+$/);
  });
});

describe("online check against damaged certificates", () => {
  let svc: TestService;
  before(async () => (svc = await startTestService({ PUBLIC_RATE_LIMIT_PER_MINUTE: "100000" })));
  after(() => svc?.stop());

  it("answers every damaged DER with a 200 or a 4xx page, never a 500", async () => {
    const der = Buffer.from(await (await svc.request("GET", "/ca/" + (await svc.services.db("cas").first("name")).name + ".crt")).arrayBuffer());
    let seed = 12345;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) % n);
    const statuses = new Set<number>();
    for (let i = 0; i < 300; i++) {
      const bad = Buffer.from(der);
      for (let k = 0; k <= rand(3); k++) bad[rand(bad.length)] = rand(256);
      const cut = i % 7 === 0 ? bad.subarray(0, rand(bad.length)) : bad;
      const form = new FormData();
      form.append("tep", new Blob([cut]), "x.cer");
      const r = await svc.request("POST", "/kiem-tra", { body: form });
      statuses.add(r.status);
      expect(r.status, `mutation ${i}`).to.be.oneOf([200, 400]);
      expect(r.headers.get("content-type")).to.match(/text\/html/);
    }
    expect([...statuses]).to.include(400);
  });
});
