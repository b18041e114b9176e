import fs from "node:fs";
import path from "node:path";
import { expect } from "chai";
import type { TestService } from "../../support/service";
import { randomSerial } from "../../support/testCa";
import { openssl, startStatusService, type IssuingCa } from "../../support/status";

describe("CRLs (RFC 5280)", function () {
  let svc: TestService;
  let ca: IssuingCa;
  let dir: string;
  let good: { serial: string; pem: string };
  let compromised: { serial: string; pem: string };
  let superseded: { serial: string; pem: string };

  const fetchCrl = async (p: string, file: string) => {
    const r = await svc.request("GET", p);
    expect(r.status).to.equal(200);
    expect(r.headers.get("content-type")).to.equal("application/pkix-crl");
    fs.writeFileSync(path.join(dir, file), Buffer.from(await r.arrayBuffer()));
    await openssl(["crl", "-inform", "der", "-in", file, "-out", file + ".pem"], { cwd: dir });
    return r;
  };
  const crlNumbers = async () => (await svc.services.db("crls").where({ ca_name: ca.name }).orderBy("number")).map((r: any) => `${r.kind}:${r.number}`);

  before(async () => {
    ({ svc, ca, dir } = await startStatusService());
    good = await ca.issue("Nguyễn Văn An");
    compromised = await ca.issue("Trần Thị Bình");
    superseded = await ca.issue("Lê Văn Cường");
    fs.writeFileSync(path.join(dir, "good.pem"), good.pem);
    fs.writeFileSync(path.join(dir, "compromised.pem"), compromised.pem);
    fs.writeFileSync(path.join(dir, "superseded.pem"), superseded.pem);
    // A few thousand revoked certificates, inserted as rows (the 1,000,000 case is bench/crl.ts).
    const now = new Date().toISOString();
    const future = new Date(Date.now() + 86400_000 * 30).toISOString();
    const rows = Array.from({ length: 3000 }, (_, i) => ({
      serial: randomSerial(), ca_name: ca.name, status: "revoked", profile: "official-person", revoked_at: now,
      revocation_reason: i % 6, not_after: future, created_at: now,
    }));
    await svc.services.db.batchInsert("certificates", rows, 500);
    // An expired revoked certificate is left off the CRL (RFC 5280 §5.1.2.6).
    await svc.services.db("certificates").insert({ serial: "e0e0e0", ca_name: ca.name, status: "revoked", profile: "x", revoked_at: now, revocation_reason: 1, not_after: "2020-01-01T00:00:00.000Z", created_at: now });
    await ca.revoke(compromised.serial, 1, { invalidityDate: "2026-11-01T08:00:00.000Z" });
    await svc.drainOutbox();
  });
  after(async () => svc?.stop());

  it("issues a full CRL on revocation that openssl parses, with number, AKI, reasons, invalidity date and freshestCRL", async () => {
    const r = await fetchCrl(`/crl/${ca.name}.crl`, "full.crl");
    expect(r.headers.get("etag")).to.match(/^".+"$/);
    expect(r.headers.get("last-modified")).to.be.a("string");
    const maxAge = Number(/max-age=(\d+)/.exec(r.headers.get("cache-control") ?? "")?.[1]);
    expect(maxAge).to.be.greaterThan(23 * 3600).and.at.most(24 * 3600);
    const { out, code } = await openssl(["crl", "-inform", "der", "-in", "full.crl", "-text", "-noout", "-CAfile", "ca.pem"], { cwd: dir });
    expect(code, out).to.equal(0);
    expect(out).to.include("verify OK");
    expect(out).to.include("Version 2");
    expect(out).to.match(/X509v3 CRL Number:\s+1\b/);
    expect(out).to.include("X509v3 Authority Key Identifier");
    expect(out).to.include("Freshest CRL");
    expect(out).to.include(`/crl/${ca.name}/delta.crl`);
    expect(out).to.include(compromised.serial.toUpperCase());
    expect(out).to.include("Key Compromise");
    expect(out).to.include("Invalidity Date");
    expect(out).to.include("Nov  1 08:00:00 2026 GMT");
    expect(out).to.include("Superseded");
    expect(out).not.to.include("Unspecified"); // reason 0 is omitted (§5.3.1)
    expect(out).not.to.include("E0E0E0");
    expect(out.match(/Serial Number:/g)).to.have.length(3001);
    expect(out).to.match(/Next Update: /);
  });

  it("makes openssl verify -crl_check reject the revoked certificate and accept the good one", async () => {
    const bad = await openssl(["verify", "-crl_check", "-CAfile", "ca.pem", "-CRLfile", "full.crl.pem", "compromised.pem"], { cwd: dir });
    expect(bad.code).to.not.equal(0);
    expect(bad.out).to.include("certificate revoked");
    const ok = await openssl(["verify", "-crl_check", "-CAfile", "ca.pem", "-CRLfile", "full.crl.pem", "good.pem"], { cwd: dir });
    expect(ok.out).to.include("good.pem: OK");
  });

  it("answers 304 to If-None-Match and If-Modified-Since", async () => {
    const r = await svc.request("GET", `/crl/${ca.name}.crl`);
    const etag = r.headers.get("etag")!;
    const r2 = await svc.request("GET", `/crl/${ca.name}.crl`, { headers: { "if-none-match": etag } });
    expect(r2.status).to.equal(304);
    const r3 = await svc.request("GET", `/crl/${ca.name}.crl`, { headers: { "if-modified-since": r.headers.get("last-modified")! } });
    expect(r3.status).to.equal(304);
    const r4 = await svc.request("GET", `/crl/${ca.name}.crl`, { headers: { "if-none-match": '"other"' } });
    expect(r4.status).to.equal(200);
  });

  it("coalesces regeneration jobs when nothing changed", async () => {
    const before = await crlNumbers();
    for (let i = 0; i < 5; i++) await svc.services.db("outbox").insert({ kind: "crl.regenerate", payload: JSON.stringify({ ca: ca.name }), status: "pending", attempts: 0, max_attempts: 3, next_attempt_at: new Date().toISOString(), created_at: new Date().toISOString(), updated_at: new Date().toISOString() });
    await svc.drainOutbox();
    expect(await crlNumbers()).to.deep.equal(before);
  });

  it("issues a delta CRL whose base is the previous full CRL, usable by openssl -use_deltas", async () => {
    await ca.revoke(superseded.serial, 4);
    await ca.revoke((await ca.issue("Đỗ Văn Hải")).serial, 3); // a burst: several jobs, one new pair of CRLs
    await svc.drainOutbox();
    expect(await crlNumbers()).to.deep.equal(["full:1", "delta:2", "full:3", "delta:4"]);
    await fetchCrl(`/crl/${ca.name}/delta.crl`, "delta.crl");
    const { out, code } = await openssl(["crl", "-inform", "der", "-in", "delta.crl", "-text", "-noout", "-CAfile", "ca.pem"], { cwd: dir });
    expect(code, out).to.equal(0);
    expect(out).to.include("verify OK");
    expect(out).to.match(/Delta CRL Indicator: critical\s+1\b/);
    expect(out).to.match(/X509v3 CRL Number:\s+4\b/);
    expect(out).to.include(superseded.serial.toUpperCase());
    expect(out).to.include("Affiliation Changed");
    // The old full CRL (number 1) does not list it; with the delta, openssl sees the revocation.
    const withoutDelta = await openssl(["verify", "-crl_check", "-CAfile", "ca.pem", "-CRLfile", "full.crl.pem", "superseded.pem"], { cwd: dir });
    expect(withoutDelta.out).to.include("superseded.pem: OK");
    const withDelta = await openssl(["verify", "-crl_check", "-use_deltas", "-CAfile", "ca.pem", "-CRLfile", "full.crl.pem", "-CRLfile", "delta.crl.pem", "superseded.pem"], { cwd: dir });
    expect(withDelta.out).to.include("certificate revoked");
    // And the new full CRL lists it.
    await fetchCrl(`/crl/${ca.name}.crl`, "full2.crl");
    const full2 = await openssl(["verify", "-crl_check", "-CAfile", "ca.pem", "-CRLfile", "full2.crl.pem", "superseded.pem"], { cwd: dir });
    expect(full2.out).to.include("certificate revoked");
  });

  it("enqueues directory.publishCrl for each new CRL", async () => {
    const jobs = await svc.services.db("outbox").where({ kind: "directory.publishCrl" });
    expect(jobs.map((j: any) => JSON.parse(j.payload).ca)).to.deep.equal([ca.name, ca.name]);
    expect(jobs.map((j: any) => j.dedupe_key)).to.deep.equal([`directory.publishCrl:${ca.name}:1`, `directory.publishCrl:${ca.name}:3`]);
  });

  it("lists a certificate on hold, and a released one in the delta CRL as removeFromCRL (§5.3.1)", async () => {
    const held = await ca.issue("Ngô Thị Hoa");
    fs.writeFileSync(path.join(dir, "held.pem"), held.pem);
    await ca.revoke(held.serial, 6);
    await svc.drainOutbox();
    await fetchCrl(`/crl/${ca.name}.crl`, "held.crl");
    let v = await openssl(["verify", "-crl_check", "-CAfile", "ca.pem", "-CRLfile", "held.crl.pem", "held.pem"], { cwd: dir });
    expect(v.out).to.include("certificate revoked");
    let t = await openssl(["crl", "-in", "held.crl.pem", "-text", "-noout"], { cwd: dir });
    expect(t.out).to.include("Certificate Hold");
    await ca.revoke(held.serial, 8); // removeFromCRL: the hold is lifted
    await svc.drainOutbox();
    await fetchCrl(`/crl/${ca.name}.crl`, "released.crl");
    v = await openssl(["verify", "-crl_check", "-CAfile", "ca.pem", "-CRLfile", "released.crl.pem", "held.pem"], { cwd: dir });
    expect(v.out).to.include("held.pem: OK");
    await fetchCrl(`/crl/${ca.name}/delta.crl`, "released-delta.crl");
    t = await openssl(["crl", "-in", "released-delta.crl.pem", "-text", "-noout"], { cwd: dir });
    expect(t.out).to.include(held.serial.toUpperCase());
    expect(t.out).to.include("Remove From CRL");
  });

  it("reports a missed nextUpdate in /healthz as degraded, not critical", async () => {
    await svc.services.status.crl.tick(); // the schedule: the root's CRL (ARL) too
    let h = (await (await svc.request("GET", "/healthz")).json()) as any;
    expect(h.checks.crl.status).to.equal("ok");
    const last = (await svc.services.db("crls").where({ ca_name: ca.name }).max({ n: "number" }).first()) as { n: number };
    await svc.services.db("crls").where({ ca_name: ca.name, number: last.n }).orWhere({ ca_name: ca.name, number: last.n - 1 }).update({ next_update: "2020-01-01T00:00:00.000Z" });
    const r = await svc.request("GET", "/healthz");
    h = await r.json();
    expect(r.status).to.equal(200);
    expect(h.checks.crl.status).to.equal("degraded");
    expect(h.checks.crl.critical).to.equal(false);
    expect(h.checks.crl.overdue[0].ca).to.equal(ca.name);
    // The schedule repairs it.
    await svc.services.status.crl.tick();
    h = await (await svc.request("GET", "/healthz")).json();
    expect(h.checks.crl.status).to.equal("ok");
  });

  it("answers 404 with a Vietnamese message for an unknown CA", async () => {
    const r = await svc.request("GET", "/crl/khong-co.crl");
    expect(r.status).to.equal(404);
    const body = (await r.json()) as any;
    expect(body.error.code).to.equal("crl_not_found");
    expect(body.error.message).to.include("Chưa có");
  });
});
