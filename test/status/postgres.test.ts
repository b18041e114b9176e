import fs from "node:fs";
import path from "node:path";
import { expect } from "chai";
import type { TestService } from "../support/service";
import { hasPostgres, startPostgres, type TestPostgres } from "../support/postgres";
import { requirePeer } from "../support/peers";
import { openssl, startStatusService, type IssuingCa } from "../support/status";

/** CRLs, OCSP and the TSA on PostgreSQL: their SQL (keyset pages, upserts, joins) stays portable. */
describe("status services on PostgreSQL", function () {
  let pg: TestPostgres;
  let svc: TestService;
  let ca: IssuingCa;
  let dir: string;

  before(async function () {
    requirePeer(this, "PostgreSQL (initdb, pg_ctl)", hasPostgres(), "apt-get install postgresql");
    pg = await startPostgres();
    ({ svc, ca, dir } = await startStatusService({ DATABASE_URL: pg.url }));
  });
  after(async () => {
    await svc?.stop();
    pg?.stop();
  });

  it("issues CRLs, answers OCSP and grants timestamps", async () => {
    const a = await ca.issue("Lý Thị Kim");
    const b = await ca.issue("Trịnh Văn Long");
    fs.writeFileSync(path.join(dir, "a.pem"), a.pem);
    fs.writeFileSync(path.join(dir, "b.pem"), b.pem);
    const url = svc.url + "/ocsp";
    let r = await openssl(["ocsp", "-issuer", "issuing.pem", "-CAfile", "ca.pem", "-cert", "a.pem", "-no_nonce", "-url", url], { cwd: dir });
    expect(r.out).to.include("a.pem: good");
    await ca.revoke(a.serial, 1);
    await svc.drainOutbox();
    r = await openssl(["ocsp", "-issuer", "issuing.pem", "-CAfile", "ca.pem", "-cert", "a.pem", "-no_nonce", "-url", url], { cwd: dir });
    expect(r.out).to.include("a.pem: revoked");
    const crl = await svc.request("GET", `/crl/${ca.name}.crl`);
    expect(crl.status).to.equal(200);
    fs.writeFileSync(path.join(dir, "pg.crl"), Buffer.from(await crl.arrayBuffer()));
    await openssl(["crl", "-inform", "der", "-in", "pg.crl", "-out", "pg.crl.pem"], { cwd: dir });
    r = await openssl(["verify", "-crl_check", "-CAfile", "ca.pem", "-CRLfile", "pg.crl.pem", "a.pem"], { cwd: dir });
    expect(r.out).to.include("certificate revoked");
    r = await openssl(["verify", "-crl_check", "-CAfile", "ca.pem", "-CRLfile", "pg.crl.pem", "b.pem"], { cwd: dir });
    expect(r.out).to.include("b.pem: OK");
    fs.writeFileSync(path.join(dir, "d.txt"), "PostgreSQL");
    await openssl(["ts", "-query", "-data", "d.txt", "-sha256", "-cert", "-out", "q.tsq"], { cwd: dir });
    const t = await svc.request("POST", "/tsa", { body: new Uint8Array(fs.readFileSync(path.join(dir, "q.tsq"))), headers: { "content-type": "application/timestamp-query" } });
    fs.writeFileSync(path.join(dir, "q.tsr"), Buffer.from(await t.arrayBuffer()));
    r = await openssl(["ts", "-verify", "-data", "d.txt", "-in", "q.tsr", "-CAfile", "ca.pem"], { cwd: dir });
    expect(r.out).to.include("Verification: OK");
    const h = (await (await svc.request("GET", "/healthz")).json()) as any;
    expect(h.checks.ocsp.status).to.equal("ok");
  });
});
