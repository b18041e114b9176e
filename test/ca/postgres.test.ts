import { expect } from "chai";
import fs from "node:fs";
import path from "node:path";
import { startTestService, type TestService } from "../support/service";
import { hasPostgres, startPostgres, type TestPostgres } from "../support/postgres";
import { requirePeer, hasCommand } from "../support/peers";
import { openssl, tmpDir } from "./openssl";
import { generateKeyPair } from "../../src/ca/algorithms";
import { createBatch, runBatch } from "../../src/ca/commands/batch";

/** The CA's SQL on PostgreSQL: pending rows, the CASE update, unique serials, batches, revocation. */
describe("CA on PostgreSQL", function () {
  let pg: TestPostgres;
  let svc: TestService;
  let op: string;
  let dir: string;

  before(async function () {
    requirePeer(this, "PostgreSQL (initdb, pg_ctl)", hasPostgres(), "apt-get install postgresql");
    requirePeer(this, "openssl", hasCommand("openssl"), "apt-get install openssl");
    pg = await startPostgres();
    svc = await startTestService({ DATABASE_URL: pg.url });
    op = await svc.userWithRoles("op-pg", ["ca_operator"]);
    dir = tmpDir();
    openssl(["req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", path.join(dir, "k.key"), "-out", path.join(dir, "k.csr"), "-subj", "/CN=x"]);
  });
  after(async () => {
    await svc?.stop();
    pg?.stop();
  });

  it("issues in parallel, batches, revokes, renews and changes, and openssl verifies the results", async () => {
    const csr = fs.readFileSync(path.join(dir, "k.csr"), "utf8");
    const subject = { commonName: "Đỗ Thị Hạnh", organization: "Bộ Y tế", identity: { type: "CCCD", number: "001190004321" }, email: "hanhdt@moh.gov.vn" };
    const res = await Promise.all(Array.from({ length: 20 }, () => svc.request("POST", "/api/certificates", { token: op, json: { profile: "individual", subject, csr } })));
    const issued = await Promise.all(res.map(async (r) => ((await r.json()) as { serial: string; pem: string })));
    expect(res.every((r) => r.status === 201)).to.equal(true);
    expect(new Set(issued.map((c) => c.serial)).size).to.equal(20);

    const key = await generateKeyPair({ kind: "ec", curve: "P-256" });
    const b = await createBatch(svc.services, "system", { items: Array.from({ length: 150 }, (_, i) => ({ profile: "individual", subject: { commonName: `Người ${i}`, organization: "Bộ Y tế" }, publicKey: key.spki.toString("base64") })) });
    const done = await runBatch(svc.services, b.id, { chunkSize: 40 });
    expect(done).to.include({ status: "done", issued: 150, failed: 0 });

    const chain = (await (await svc.request("GET", "/ca/dev-issuing/chain.pem")).text()).split(/(?=-----BEGIN CERTIFICATE-----)/);
    fs.writeFileSync(path.join(dir, "iss.pem"), chain[0]);
    fs.writeFileSync(path.join(dir, "root.pem"), chain[1]);
    const one = (await svc.services.db("certificates").where({ batch_id: b.id }).first()) as { der: Buffer };
    fs.writeFileSync(path.join(dir, "leaf.der"), one.der);
    openssl(["x509", "-inform", "DER", "-in", path.join(dir, "leaf.der"), "-out", path.join(dir, "leaf.pem")]);
    expect(openssl(["verify", "-CAfile", path.join(dir, "root.pem"), "-untrusted", path.join(dir, "iss.pem"), path.join(dir, "leaf.pem")])).to.match(/OK/);

    const [a, c, d] = issued;
    expect((await svc.request("POST", `/api/certificates/${a.serial}/revoke`, { token: op, json: { reason: "keyCompromise" } })).status).to.equal(200);
    expect((await svc.request("POST", `/api/certificates/${c.serial}/renew`, { token: op, json: { years: 2 } })).status).to.equal(201);
    const ch = await svc.request("POST", `/api/certificates/${d.serial}/change`, { token: op, json: { changes: { title: "Vụ trưởng" }, reason: "superseded" } });
    expect(ch.status, await ch.clone().text()).to.equal(201);
    const found = (await (await svc.request("GET", "/api/certificates?uid=001190004321&status=revoked", { token: op })).json()) as { total: number };
    expect(found.total).to.equal(2);
  });
});
