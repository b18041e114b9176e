import fs from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { expect } from "chai";
import type { TestService } from "../support/service";
import { createTestCa } from "../support/testCa";
import { certInfo } from "../../src/status/certInfo";
import { ServiceKeys } from "../../src/status/serviceKeys";
import { openssl, startStatusService, type IssuingCa } from "../support/status";

/** OCSPResponse ::= SEQUENCE { responseStatus ENUMERATED, … }: the status of a DER answer. */
const responseStatus = (b: Buffer) => {
  expect(b[0]).to.equal(0x30);
  const off = b[1] & 0x80 ? 2 + (b[1] & 0x7f) : 2;
  expect(b[off]).to.equal(0x0a);
  return b[off + 2];
};

describe("OCSP responder (RFC 6960, RFC 5019)", function () {
  let svc: TestService;
  let ca: IssuingCa;
  let dir: string;
  let leaf: { serial: string; pem: string };
  let other: { serial: string; pem: string };
  let url: string;

  const ocsp = (args: string[]) => openssl(["ocsp", "-issuer", "issuing.pem", "-CAfile", "ca.pem", "-url", url, ...args], { cwd: dir });

  before(async () => {
    ({ svc, ca, dir } = await startStatusService());
    url = svc.url + "/ocsp";
    leaf = await ca.issue("Phạm Thị Dung");
    other = await ca.issue("Hoàng Văn Em");
    fs.writeFileSync(path.join(dir, "leaf.pem"), leaf.pem);
    fs.writeFileSync(path.join(dir, "other.pem"), other.pem);
  });
  after(async () => svc?.stop());

  it("reports good with a verified signature from the delegated responder, nonce echoed", async () => {
    const { out, code } = await ocsp(["-cert", "leaf.pem", "-resp_text"]);
    expect(code, out).to.equal(0);
    expect(out).to.include("Response verify OK");
    expect(out).to.include("leaf.pem: good");
    expect(out).to.include("OCSP Nonce");
    expect(out).to.include("Next Update:");
    expect(out).to.include("OCSP Signing");
    expect(out).to.include("OCSP No Check");
    expect(out).to.match(/Responder Id: [0-9A-F]{40}/);
    const row = await svc.services.db("service_keys").where({ purpose: "ocsp" }).first();
    fs.writeFileSync(path.join(dir, "responder.der"), row.certificate);
    await openssl(["x509", "-inform", "der", "-in", "responder.der", "-out", "responder.pem"], { cwd: dir });
  });

  it("serves a pre-signed response without a nonce (-no_nonce), the same bytes twice", async () => {
    const a = await ocsp(["-cert", "leaf.pem", "-no_nonce", "-respout", "a.der"]);
    expect(a.out).to.include("Response verify OK");
    expect(a.out).to.include("leaf.pem: good");
    await ocsp(["-cert", "leaf.pem", "-no_nonce", "-respout", "b.der"]);
    expect(fs.readFileSync(path.join(dir, "a.der")).equals(fs.readFileSync(path.join(dir, "b.der")))).to.equal(true);
    let stored = await svc.services.db("ocsp_responses").where({ serial: leaf.serial });
    expect(stored).to.have.length(1);
    expect(stored[0].cert_status).to.equal("issued");
    // A SHA-256 CertID gets its own pre-signed response.
    const c = await ocsp(["-sha256", "-cert", "leaf.pem", "-no_nonce"]);
    expect(c.out).to.include("Response verify OK");
    expect(c.out).to.include("leaf.pem: good");
    stored = await svc.services.db("ocsp_responses").where({ serial: leaf.serial }).orderBy("hash_alg");
    expect(stored.map((r: any) => r.hash_alg)).to.deep.equal(["sha1", "sha256"]);
  });

  it("answers several certificates in one request", async () => {
    const { out } = await ocsp(["-cert", "leaf.pem", "-cert", "other.pem"]);
    expect(out).to.include("Response verify OK");
    expect(out).to.include("leaf.pem: good");
    expect(out).to.include("other.pem: good");
  });

  it("reports revoked with time and reason after a revocation, with and without nonce", async () => {
    await ca.revoke(leaf.serial, 1);
    await svc.drainOutbox();
    for (const extra of [[], ["-no_nonce"]]) {
      const { out } = await ocsp(["-cert", "leaf.pem", ...extra]);
      expect(out).to.include("Response verify OK");
      expect(out).to.include("leaf.pem: revoked");
      expect(out).to.include("Reason: keyCompromise");
      expect(out).to.include("Revocation Time:");
    }
  });

  it("answers unknown for a serial the CA never issued, never good", async () => {
    for (const extra of [[], ["-no_nonce"]]) {
      const { out } = await ocsp(["-serial", "0x1234567890abcdef", ...extra]);
      expect(out).to.include("Response verify OK");
      expect(out).to.match(/0x1234567890abcdef: unknown/i);
    }
    // A pending (never signed) row is unknown too.
    await svc.services.db("certificates").insert({ serial: "abcdef01", ca_name: ca.name, status: "pending", profile: "x", created_at: new Date().toISOString() });
    const { out } = await ocsp(["-serial", "0xabcdef01"]);
    expect(out).to.match(/0xabcdef01: unknown/i);
  });

  it("answers unknown when the issuer key hash does not match (-VAfile), and unauthorized for a foreign CA", async () => {
    // Another key under the same name: issuerNameHash matches, issuerKeyHash does not → unknown.
    const twin = await createTestCa(svc.services.db, "twin-ca", { subjectDer: certInfo(Buffer.from((await svc.services.db("cas").where({ name: ca.name }).first()).certificate)).subjectDer });
    await svc.services.db("cas").where({ name: "twin-ca" }).update({ active: false });
    fs.writeFileSync(path.join(dir, "twin.pem"), twin.pem);
    const t = await openssl(["ocsp", "-issuer", "twin.pem", "-serial", "0x" + other.serial, "-url", url, "-VAfile", "responder.pem"], { cwd: dir });
    expect(t.out).to.include("Response verify OK");
    expect(t.out).to.match(/: unknown/);
    // A CA we do not serve at all → unauthorized (RFC 5019 §2.2.3).
    const foreign = await createTestCa(svc.services.db, "foreign-ca");
    await svc.services.db("cas").where({ name: "foreign-ca" }).update({ active: false });
    fs.writeFileSync(path.join(dir, "foreign.pem"), foreign.pem);
    const r = await openssl(["ocsp", "-issuer", "foreign.pem", "-serial", "0x" + other.serial, "-url", url, "-resp_text", "-noverify"], { cwd: dir });
    expect(r.out).to.match(/Responder Error: unauthorized|unauthorized \(6\)/);
  });

  it("serves GET /ocsp/{base64} with RFC 5019 cache headers and 304 on If-None-Match", async () => {
    await openssl(["ocsp", "-issuer", "issuing.pem", "-cert", "other.pem", "-no_nonce", "-reqout", "req.der"], { cwd: dir });
    const req = fs.readFileSync(path.join(dir, "req.der"));
    const p = "/ocsp/" + encodeURIComponent(req.toString("base64"));
    const r = await svc.request("GET", p);
    expect(r.status).to.equal(200);
    expect(r.headers.get("content-type")).to.equal("application/ocsp-response");
    const maxAge = Number(/max-age=(\d+)/.exec(r.headers.get("cache-control") ?? "")?.[1]);
    expect(maxAge).to.be.greaterThan(90 * 3600).and.at.most(96 * 3600);
    expect(r.headers.get("last-modified")).to.be.a("string");
    expect(r.headers.get("expires")).to.be.a("string");
    const etag = r.headers.get("etag")!;
    expect(etag).to.match(/^".+"$/);
    const body = Buffer.from(await r.arrayBuffer());
    fs.writeFileSync(path.join(dir, "get.der"), body);
    const parsed = await openssl(["ocsp", "-respin", "get.der", "-issuer", "issuing.pem", "-cert", "other.pem", "-CAfile", "ca.pem"], { cwd: dir });
    expect(parsed.out).to.include("Response verify OK");
    expect(parsed.out).to.include("other.pem: good");
    const r304 = await svc.request("GET", p, { headers: { "if-none-match": etag } });
    expect(r304.status).to.equal(304);
    // Base64 with an unescaped "/" in the path works too.
    const raw = await svc.request("GET", "/ocsp/" + req.toString("base64"));
    expect(Buffer.from(await raw.arrayBuffer()).equals(body)).to.equal(true);
  });

  it("renders the responder certificate as issued by the CA, stored with its sealed key", async () => {
    const rows = await svc.services.db("service_keys").where({ purpose: "ocsp" });
    expect(rows).to.have.length(1);
    expect(Buffer.from(rows[0].key_encrypted).subarray(0, 4).toString()).to.equal("CTKE");
    fs.writeFileSync(path.join(dir, "responder.der"), rows[0].certificate);
    const { out } = await openssl(["x509", "-inform", "der", "-in", "responder.der", "-text", "-noout"], { cwd: dir });
    expect(out).to.include("OCSP Signing");
    expect(out).to.include("OCSP No Check");
    const cert = await svc.services.db("certificates").where({ serial: rows[0].serial }).first();
    expect(cert.profile).to.equal("ocsp-responder");
  });

  it("renews the responder certificate before it expires", async () => {
    const before = await svc.services.db("service_keys").where({ purpose: "ocsp", active: true });
    expect(before).to.have.length(1);
    await svc.services.db("service_keys").where({ id: before[0].id }).update({ not_after: new Date(Date.now() + 10 * 86400_000).toISOString() });
    const fresh = new ServiceKeys(svc.services); // a restart: nothing in memory
    const key = await fresh.get("ocsp", ca.name);
    expect(key.id).to.not.equal(before[0].id);
    expect(key.notAfter.getTime()).to.be.greaterThan(Date.now() + 80 * 86400_000);
    const after = await svc.services.db("service_keys").where({ purpose: "ocsp", active: true });
    expect(after.map((r: any) => r.id)).to.deep.equal([key.id]);
    // A key that is not due is loaded, not re-issued.
    expect((await new ServiceKeys(svc.services).get("ocsp", ca.name)).id).to.equal(key.id);
  });

  it("pre-signs responses for every issued certificate", async () => {
    const third = await ca.issue("Vũ Thị Giang");
    const n = await svc.services.status.ocsp.presign(ca.name);
    expect(n).to.be.greaterThan(0);
    const stored = await svc.services.db("ocsp_responses").where({ serial: third.serial });
    expect(stored).to.have.length(1);
  });

  it("reports stale pre-signed responses in /healthz and re-signs them on the schedule", async () => {
    let h = (await (await svc.request("GET", "/healthz")).json()) as any;
    expect(h.checks.ocsp.status).to.equal("ok");
    await svc.services.db("ocsp_responses").where({ serial: other.serial }).update({ next_update: "2020-01-01T00:00:00.000Z", refresh_at: "2020-01-01T00:00:00.000Z" });
    h = await (await svc.request("GET", "/healthz")).json();
    expect(h.checks.ocsp.status).to.equal("degraded");
    expect(h.checks.ocsp.critical).to.equal(false);
    await svc.services.status.ocsp.tick();
    h = await (await svc.request("GET", "/healthz")).json();
    expect(h.checks.ocsp.status).to.equal("ok");
    const row = await svc.services.db("ocsp_responses").where({ serial: other.serial }).first();
    expect(Date.parse(row.next_update)).to.be.greaterThan(Date.now() + 90 * 3600_000);
  });

  it("answers malformed, truncated and random requests with an OCSP error status, never a 500", async () => {
    const req = fs.readFileSync(path.join(dir, "req.der"));
    const post = async (body: Buffer) => {
      const r = await svc.request("POST", "/ocsp", { body: new Uint8Array(body), headers: { "content-type": "application/ocsp-request" } });
      expect(r.status).to.equal(200);
      expect(r.headers.get("content-type")).to.equal("application/ocsp-response");
      return responseStatus(Buffer.from(await r.arrayBuffer()));
    };
    expect(await post(Buffer.from("not der"))).to.equal(1);
    expect(await post(req.subarray(0, req.length - 3))).to.equal(1);
    const g = await svc.request("GET", "/ocsp/%%%");
    expect(responseStatus(Buffer.from(await g.arrayBuffer()))).to.equal(1);
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.uint8Array({ minLength: 1, maxLength: 300 }),
          fc.integer({ min: 1, max: req.length - 1 }).map((n) => req.subarray(0, n)),
          fc.tuple(fc.integer({ min: 0, max: req.length - 1 }), fc.integer({ min: 0, max: 255 })).map(([i, v]) => {
            const b = Buffer.from(req);
            b[i] = v;
            return b;
          }),
        ),
        async (bytes) => {
          const st = await post(Buffer.from(bytes));
          expect([0, 1, 6]).to.include(st);
        },
      ),
      { seed: 6006, numRuns: 300 },
    );
    const { out } = await ocsp(["-cert", "other.pem"]);
    expect(out).to.include("other.pem: good");
  });
});

describe("OCSP responder: revocations recorded by another node (OCSP_RECHECK_SECONDS)", function () {
  let svc: TestService;
  let ca: IssuingCa;
  let dir: string;

  before(async () => {
    ({ svc, ca, dir } = await startStatusService({ OCSP_RECHECK_SECONDS: "1" }));
  });
  after(async () => svc?.stop());

  it("answers revoked once the recheck interval has passed, the memory answer served only until its database check is done", async () => {
    const leaf = await ca.issue("Trần Văn Khoa");
    fs.writeFileSync(path.join(dir, "khoa.pem"), leaf.pem);
    const ask = async () => {
      const { out } = await openssl(["ocsp", "-issuer", "issuing.pem", "-CAfile", "ca.pem", "-url", svc.url + "/ocsp", "-cert", "khoa.pem", "-no_nonce"], { cwd: dir });
      expect(out).to.include("Response verify OK");
      return /khoa\.pem: (\w+)/.exec(out)?.[1];
    };
    // Twice: the second request is answered from memory (the same request bytes).
    expect(await ask()).to.equal("good");
    expect(await ask()).to.equal("good");
    // Another node revokes it in the shared database: no event reaches this node.
    await svc.services.db("certificates").where({ serial: leaf.serial }).update({ status: "revoked", revoked_at: new Date().toISOString(), revocation_reason: 1 });
    expect(await ask()).to.equal("good"); // trusted for OCSP_RECHECK_SECONDS
    await new Promise((r) => setTimeout(r, 1100));
    // The first request after the interval is still answered from memory and queues the database
    // check; once that check has read the new status, the answer is revoked.
    expect(await ask()).to.be.oneOf(["good", "revoked"]);
    await svc.services.status.ocsp.rechecksDone();
    expect(await ask()).to.equal("revoked");
    const stored = await svc.services.db("ocsp_responses").where({ serial: leaf.serial, hash_alg: "sha1" }).first();
    expect(stored.cert_status).to.equal("revoked");
  });
});
