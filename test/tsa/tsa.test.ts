import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { expect } from "chai";
import type { TestService } from "../support/service";
import { openssl, startStatusService } from "../support/status";
import * as der from "../../src/status/der";

/** TimeStampResp: PKIStatusInfo status and failInfo bit numbers, read from the DER. */
function statusOf(b: Buffer): { status: number; failBits: number[] } {
  const top = der.readTlv(b, 0);
  expect(top.end).to.equal(b.length);
  const [info] = der.children(b, top);
  const kids = der.children(b, info);
  const status = der.content(b, kids[0]).readUIntBE(0, kids[0].end - kids[0].contentStart);
  const failBits: number[] = [];
  const bs = kids.find((k) => k.tag === 0x03);
  if (bs) {
    const c = der.content(b, bs);
    for (let i = 1; i < c.length; i++) for (let j = 0; j < 8; j++) if (c[i] & (0x80 >> j)) failBits.push((i - 1) * 8 + j);
  }
  return { status, failBits };
}

describe("Timestamp authority (RFC 3161)", function () {
  let svc: TestService;
    let dir: string;

  const post = async (body: Buffer, type = "application/timestamp-query") => {
    const r = await svc.request("POST", "/tsa", { body: new Uint8Array(body), headers: { "content-type": type } });
    expect(r.status).to.equal(200);
    expect(r.headers.get("content-type")).to.equal("application/timestamp-reply");
    return Buffer.from(await r.arrayBuffer());
  };

  before(async () => {
    ({ svc, dir } = await startStatusService({ TSA_POLICY_OID: "1.2.3.4.5" }));
    fs.writeFileSync(path.join(dir, "data.txt"), "Quyết định số 123/QĐ-BCY ngày 25 tháng 11 năm 2026\n");
  });
  after(async () => svc?.stop());

  for (const alg of ["sha256", "sha384", "sha512"]) {
    it(`grants a token that openssl ts -verify accepts (${alg}, nonce, certReq)`, async () => {
      const q = await openssl(["ts", "-query", "-data", "data.txt", `-${alg}`, "-cert", "-out", `${alg}.tsq`], { cwd: dir });
      expect(q.code, q.out).to.equal(0);
      fs.writeFileSync(path.join(dir, `${alg}.tsr`), await post(fs.readFileSync(path.join(dir, `${alg}.tsq`))));
      const text = await openssl(["ts", "-reply", "-in", `${alg}.tsr`, "-text"], { cwd: dir });
      expect(text.out).to.include("Status: Granted.");
      expect(text.out).to.include("Policy OID: 1.2.3.4.5");
      expect(text.out).to.include(`Hash Algorithm: ${alg}`);
      expect(text.out).to.include("Accuracy: 0x01 seconds");
      expect(text.out).to.match(/Nonce: 0x[0-9A-F]+/);
      const v = await openssl(["ts", "-verify", "-data", "data.txt", "-in", `${alg}.tsr`, "-CAfile", "ca.pem"], { cwd: dir });
      expect(v.out, v.out).to.include("Verification: OK");
      const vq = await openssl(["ts", "-verify", "-queryfile", `${alg}.tsq`, "-in", `${alg}.tsr`, "-CAfile", "ca.pem"], { cwd: dir });
      expect(vq.out, vq.out).to.include("Verification: OK");
    });
  }

  it("leaves the certificate out without certReq (then openssl needs -untrusted) and without a nonce", async () => {
    await openssl(["ts", "-query", "-data", "data.txt", "-sha256", "-no_nonce", "-out", "plain.tsq"], { cwd: dir });
    fs.writeFileSync(path.join(dir, "plain.tsr"), await post(fs.readFileSync(path.join(dir, "plain.tsq"))));
    const row = await svc.services.db("service_keys").where({ purpose: "tsa" }).first();
    fs.writeFileSync(path.join(dir, "tsa.der"), row.certificate);
    await openssl(["x509", "-inform", "der", "-in", "tsa.der", "-out", "tsa.pem"], { cwd: dir });
    const no = await openssl(["ts", "-verify", "-data", "data.txt", "-in", "plain.tsr", "-CAfile", "ca.pem"], { cwd: dir });
    expect(no.out).not.to.include("Verification: OK");
    const v = await openssl(["ts", "-verify", "-data", "data.txt", "-in", "plain.tsr", "-CAfile", "ca.pem", "-untrusted", "tsa.pem"], { cwd: dir });
    expect(v.out).to.include("Verification: OK");
    const text = await openssl(["ts", "-reply", "-in", "plain.tsr", "-text"], { cwd: dir });
    expect(text.out).to.include("Nonce: unspecified");
  });

  it("issues the TSA certificate from the CA with a critical timeStamping EKU", async () => {
    const { out } = await openssl(["x509", "-in", "tsa.pem", "-text", "-noout"], { cwd: dir });
    expect(out).to.match(/X509v3 Extended Key Usage: critical\s+Time Stamping/);
    const v = await openssl(["verify", "-CAfile", "ca.pem", "-purpose", "timestampsign", "tsa.pem"], { cwd: dir });
    expect(v.out).to.include("tsa.pem: OK");
  });

  it("gives every token a different serial number", async () => {
    const q = fs.readFileSync(path.join(dir, "sha256.tsq"));
    const serials = new Set<string>();
    for (let i = 0; i < 20; i++) {
      fs.writeFileSync(path.join(dir, "s.tsr"), await post(q));
      const { out } = await openssl(["ts", "-reply", "-in", "s.tsr", "-text"], { cwd: dir });
      serials.add(/Serial number: (0x[0-9A-F]+)/.exec(out)![1]);
    }
    expect(serials.size).to.equal(20);
  });

  it("rejects other hash algorithms (badAlg), other policies (unacceptedPolicy) and bad imprints (badDataFormat)", async () => {
    await openssl(["ts", "-query", "-data", "data.txt", "-sha1", "-out", "sha1.tsq"], { cwd: dir });
    let r = await post(fs.readFileSync(path.join(dir, "sha1.tsq")));
    expect(statusOf(r)).to.deep.equal({ status: 2, failBits: [0] });
    fs.writeFileSync(path.join(dir, "sha1.tsr"), r);
    const text = await openssl(["ts", "-reply", "-in", "sha1.tsr", "-text"], { cwd: dir });
    expect(text.out).to.include("Status: Rejected");
    expect(text.out).to.include("unrecognized or unsupported algorithm identifier");
    expect(text.out).to.match(/Status description: \S+/);
    expect(r.toString("utf8")).to.include("Thuật toán băm không được hỗ trợ");

    await openssl(["ts", "-query", "-data", "data.txt", "-sha256", "-tspolicy", "1.2.3.9", "-out", "pol.tsq"], { cwd: dir });
    r = await post(fs.readFileSync(path.join(dir, "pol.tsq")));
    expect(statusOf(r)).to.deep.equal({ status: 2, failBits: [15] });

    // SHA-256 OID with a 20-byte imprint.
    const q = der.seq(der.intNumber(1), der.seq(der.seq(der.oid("2.16.840.1.101.3.4.2.1")), der.octets(crypto.randomBytes(20))));
    expect(statusOf(await post(q))).to.deep.equal({ status: 2, failBits: [5] });
    // version 2
    const q2 = der.seq(der.intNumber(2), der.seq(der.seq(der.oid("2.16.840.1.101.3.4.2.1")), der.octets(crypto.randomBytes(32))));
    expect(statusOf(await post(q2))).to.deep.equal({ status: 2, failBits: [2] });
  });

  it("answers random and truncated queries with a rejection, never a 500, and keeps serving", async () => {
    const good = fs.readFileSync(path.join(dir, "sha256.tsq"));
    expect(statusOf(await post(Buffer.alloc(0))).status).to.equal(2);
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.uint8Array({ minLength: 1, maxLength: 300 }),
          fc.integer({ min: 1, max: good.length - 1 }).map((n) => good.subarray(0, n)),
          fc.tuple(fc.integer({ min: 0, max: good.length - 1 }), fc.integer({ min: 0, max: 255 })).map(([i, v]) => {
            const b = Buffer.from(good);
            b[i] = v;
            return b;
          }),
        ),
        async (bytes) => {
          const st = statusOf(await post(Buffer.from(bytes)));
          if (st.status !== 0) {
            expect(st.status).to.equal(2);
            expect(st.failBits).to.have.length(1);
          }
        },
      ),
      { seed: 3161, numRuns: 300 },
    );
    expect(statusOf(await post(good)).status).to.equal(0);
  });
});
