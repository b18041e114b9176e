import { expect } from "chai";
import fs from "node:fs";
import path from "node:path";
import { sealKey, openKey, KeyEnvelopeError } from "../../src/ca/keys/envelope";
import { generateKeyPair, describePublicKey } from "../../src/ca/algorithms";
import { importSigningKey } from "../../src/ca/signers/software";
import { startTestService, type TestService } from "../support/service";
import { requirePeer, hasCommand } from "../support/peers";
import { openssl, tmpDir } from "./openssl";
import { toPem } from "../../src/ca/x509/certificate";
import { loadConfig } from "../../src/config";
import { resolvePassphrase } from "../../src/ca/keys/passphrase";

describe("CA key envelope", () => {
  it("opens with the right passphrase and refuses a wrong one", async () => {
    const k = await generateKeyPair({ kind: "ec", curve: "P-256" });
    const env = await sealKey(k.pkcs8, "correct horse battery");
    expect(env.subarray(0, 4).toString()).to.equal("CTKE");
    expect(env[5]).to.be.at.least(15); // scrypt N ≥ 2^15
    expect(env.includes(k.pkcs8.subarray(40, 72))).to.equal(false);
    expect((await openKey(env, "correct horse battery")).equals(k.pkcs8)).to.equal(true);
    let err: unknown;
    try {
      await openKey(env, "wrong horse battery");
    } catch (e) {
      err = e;
    }
    expect(err).to.be.instanceOf(KeyEnvelopeError);
  });

  it("refuses an envelope whose header was edited (parameters are authenticated)", async () => {
    const k = await generateKeyPair({ kind: "ec", curve: "P-256" });
    const env = await sealKey(k.pkcs8, "passphrase-1");
    env[6] = 9; // r
    let failed = false;
    try {
      await openKey(env, "passphrase-1");
    } catch {
      failed = true;
    }
    expect(failed).to.equal(true);
  });

  it("generates a development passphrase file with mode 0600 when none is configured", () => {
    const dir = tmpDir();
    const config = loadConfig({ DATA_DIR: dir });
    const r = resolvePassphrase(config);
    expect(r.source).to.equal("development");
    const st = fs.statSync(path.join(dir, "ca-passphrase"));
    expect(st.mode & 0o777).to.equal(0o600);
    expect(resolvePassphrase(config).passphrase).to.equal(r.passphrase);
  });

  for (const spec of [{ kind: "rsa", bits: 2048 }, { kind: "ec", curve: "P-256" }, { kind: "ec", curve: "P-384" }] as const) {
    it(`software signer signs verifiably with ${spec.kind} ${"bits" in spec ? spec.bits : spec.curve}`, async function () {
      requirePeer(this, "openssl", hasCommand("openssl"), "apt-get install openssl");
      const k = await generateKeyPair(spec);
      const key = await importSigningKey(k.pkcs8);
      const data = Buffer.from("dữ liệu cần ký");
      const sig = Buffer.from(await key.sign(data));
      const dir = tmpDir();
      fs.writeFileSync(path.join(dir, "pub.pem"), toPem(k.spki, "PUBLIC KEY"));
      fs.writeFileSync(path.join(dir, "sig"), sig);
      fs.writeFileSync(path.join(dir, "data"), data);
      const dgst = spec.kind === "ec" && spec.curve === "P-384" ? "-sha384" : "-sha256";
      expect(openssl(["dgst", dgst, "-verify", path.join(dir, "pub.pem"), "-signature", path.join(dir, "sig"), path.join(dir, "data")])).to.match(/Verified OK/);
    });
  }
});

describe("CA hierarchy at start", () => {
  let svc: TestService;
  before(async () => {
    svc = await startTestService();
  });
  after(async () => svc?.stop());

  it("creates a development root and issuing CA on an empty data directory and lists them", async () => {
    const r = await svc.request("GET", "/api/ca", { token: svc.adminToken });
    expect(r.status).to.equal(200);
    const { items } = (await r.json()) as { items: { name: string; role: string; isIssuing: boolean; development: boolean; subject: string; fingerprint: string }[] };
    expect(items.map((c) => c.role).sort()).to.deep.equal(["issuing", "root"]);
    expect(items.every((c) => c.development)).to.equal(true);
    expect(items.filter((c) => c.isIssuing)).to.have.length(1);
    expect(items[0].fingerprint).to.match(/^[0-9a-f]{64}$/);
  });

  it("serves the CA certificates and chain; openssl verifies the chain and reads the Vietnamese names", async function () {
    requirePeer(this, "openssl", hasCommand("openssl"), "apt-get install openssl");
    const { items } = (await (await svc.request("GET", "/api/ca", { token: svc.adminToken })).json()) as { items: { name: string; isIssuing: boolean; role: string }[] };
    const iss = items.find((c) => c.isIssuing)!;
    const root = items.find((c) => c.role === "root")!;
    const der = await svc.request("GET", `/ca/${root.name}.crt`);
    expect(der.status).to.equal(200);
    expect(der.headers.get("content-type")).to.equal("application/pkix-cert");
    expect(der.headers.get("cache-control")).to.match(/max-age/);
    const dir = tmpDir();
    fs.writeFileSync(path.join(dir, "root.der"), Buffer.from(await der.arrayBuffer()));
    openssl(["x509", "-inform", "DER", "-in", path.join(dir, "root.der"), "-out", path.join(dir, "root.pem")]);
    const chain = await (await svc.request("GET", `/ca/${iss.name}/chain.pem`)).text();
    expect(chain.match(/BEGIN CERTIFICATE/g)).to.have.length(2);
    fs.writeFileSync(path.join(dir, "iss.pem"), await (await svc.request("GET", `/ca/${iss.name}.pem`)).text());
    expect(openssl(["verify", "-CAfile", path.join(dir, "root.pem"), path.join(dir, "iss.pem")])).to.match(/OK/);
    const text = openssl(["x509", "-in", path.join(dir, "iss.pem"), "-noout", "-text", "-nameopt", "utf8"]);
    expect(text).to.include("O=Ban Cơ yếu Chính phủ");
    expect(text).to.match(/CA:TRUE, pathlen:0/);
    expect(text).to.include("Certificate Sign, CRL Sign");
  });

  it("keeps CA keys out of the database and data directory in clear", async () => {
    const rows = await svc.services.db("cas").select("key_encrypted", "name");
    for (const r of rows) expect(Buffer.from(r.key_encrypted).subarray(0, 4).toString()).to.equal("CTKE");
    // The signer's key in PKCS#8 would start with SEQUENCE … INTEGER 0 … rsaEncryption OID: search every file.
    const rsaOidInPkcs8 = Buffer.from("020100300d06092a864886f70d0101010500", "hex");
    const walk = (d: string): string[] => fs.readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(d, e.name)) : [path.join(d, e.name)]));
    for (const f of walk(svc.dataDir)) {
      const data = fs.readFileSync(f);
      expect(data.includes(rsaOidInPkcs8), f).to.equal(false);
      expect(data.toString("latin1")).to.not.include("PRIVATE KEY");
    }
  });

  it("answers 404 with a Vietnamese message for an unknown CA", async () => {
    const r = await svc.request("GET", "/ca/khong-co.crt");
    expect(r.status).to.equal(404);
    expect(((await r.json()) as { error: { code: string } }).error.code).to.equal("ca_not_found");
  });
});

describe("public key description (fast DER path)", () => {
  it("agrees with OpenSSL on RSA sizes and EC curves, and reports other keys as other", async () => {
    const crypto = await import("node:crypto");
    const spki = (k: import("node:crypto").KeyObject) => k.export({ type: "spki", format: "der" });
    for (const bits of [1024, 2048, 3072]) {
      expect(describePublicKey(spki(crypto.generateKeyPairSync("rsa", { modulusLength: bits }).publicKey))).to.deep.equal({ kind: "rsa", bits });
    }
    expect(describePublicKey(spki(crypto.generateKeyPairSync("ec", { namedCurve: "P-256" }).publicKey))).to.deep.equal({ kind: "ec", curve: "P-256" });
    expect(describePublicKey(spki(crypto.generateKeyPairSync("ec", { namedCurve: "P-384" }).publicKey))).to.deep.equal({ kind: "ec", curve: "P-384" });
    expect(describePublicKey(spki(crypto.generateKeyPairSync("ec", { namedCurve: "P-521" }).publicKey))).to.deep.include({ kind: "other", type: "ec" });
    expect(describePublicKey(spki(crypto.generateKeyPairSync("ed25519").publicKey))).to.deep.equal({ kind: "other", type: "ed25519" });
    expect(() => describePublicKey(Buffer.from("30030201", "hex"))).to.throw();
  });
});
