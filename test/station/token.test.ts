import { expect } from "chai";
import { execFileSync, spawnSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { startTestService, type TestService } from "../support/service";
import { hasCommand, requirePeer } from "../support/peers";
import { sampleDossier } from "../support/dossiers";
import { transitionDossier } from "../../src/ra/dossiers/transition";
import { systemActor } from "../../src/auth/actor";

/**
 * The device station against a real PKCS#11 token (SoftHSM2, its own token directory for this file)
 * and the real service. The station runs as a child process (`chungthu token …`), the way an
 * officer runs it; the token is checked with an independent client (pkcs11-tool) and the
 * certificates with openssl.
 */
const MODULE = "/usr/lib/softhsm/libsofthsm2.so";
const SO_PIN = "87654321";
const PIN = "123456";
const NEW_PIN = "24681357";
const LABEL = "CT-TEST-01";
const ROOT = path.resolve(__dirname, "../..");

describe("device station (chungthu token) on SoftHSM2", function () {
  let svc: TestService;
  let officer: string;
  let clerk: string;
  let dir: string;
  let env: NodeJS.ProcessEnv;

  const station = (...args: string[]) =>
    spawnSync(process.execPath, [path.join(ROOT, "bin/chungthu.js"), "token", ...args, "--module", MODULE, "--url", svc.url], {
      env: { ...env, CHUNGTHU_TOKEN: officer }, encoding: "utf8",
    });
  const stationJson = (...args: string[]) => {
    const r = station(...args);
    if (r.status !== 0) throw new Error(`station ${args[0]} failed (${r.status}): ${r.stderr}${r.stdout}`);
    return JSON.parse(r.stdout);
  };
  const p11tool = (...args: string[]) => execFileSync("pkcs11-tool", ["--module", MODULE, "--token-label", LABEL, ...args], { env, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  const p11toolBin = (...args: string[]) => execFileSync("pkcs11-tool", ["--module", MODULE, "--token-label", LABEL, ...args], { env, stdio: ["ignore", "pipe", "pipe"] });
  const tmp = (name: string) => path.join(dir, name);

  /** A dossier created by the clerk through the API, then accepted (review's commands set that status). */
  async function acceptedDossier(body: Record<string, unknown>): Promise<string> {
    const r = await svc.request("POST", "/api/requests", { token: clerk, json: body });
    if (r.status !== 201) throw new Error(`create dossier: ${r.status} ${await r.text()}`);
    const { id } = await r.json();
    await svc.services.db.transaction(async (trx) => {
      for (const to of ["received", "under_review", "accepted"] as const) await transitionDossier(trx, systemActor, id, { action: to, to });
    });
    return id;
  }

  before(async function () {
    requirePeer(this, "softhsm2", fs.existsSync(MODULE) && hasCommand("softhsm2-util"), "apt-get install softhsm2");
    requirePeer(this, "pkcs11-tool", hasCommand("pkcs11-tool"), "apt-get install opensc");
    requirePeer(this, "openssl", hasCommand("openssl"), "apt-get install openssl");
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "chungthu-softhsm-"));
    fs.mkdirSync(path.join(dir, "tokens"));
    fs.writeFileSync(tmp("softhsm2.conf"), `directories.tokendir = ${dir}/tokens\nobjectstore.backend = file\nlog.level = ERROR\n`);
    env = { ...process.env, SOFTHSM2_CONF: tmp("softhsm2.conf") };
    execFileSync("softhsm2-util", ["--init-token", "--free", "--label", LABEL, "--so-pin", SO_PIN, "--pin", PIN], { env, stdio: "ignore" });
    svc = await startTestService();
    officer = await svc.userWithRoles("officer", ["device_officer"]);
    clerk = await svc.userWithRoles("clerk", ["clerk"]);
  });
  after(async () => {
    await svc?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("lists the token by label (slot ids are SoftHSM2's random ones)", () => {
    const tokens = stationJson("list");
    const t = tokens.find((x: any) => x.label === LABEL);
    expect(t).to.include({ initialized: true, userPinInitialized: true });
    expect(t.slotId).to.not.equal("0000000000000000");
  });

  let enrolled: { deviceId: string; deviceSerial: string; certificateSerial: string; keyId: string; chain: number };
  let dossierId: string;
  let certDer: Buffer;

  it("enrols: key pair on the token, certificate issued by the service and written back with the key's CKA_ID", async () => {
    dossierId = await acceptedDossier(sampleDossier("individual", 1));
    enrolled = stationJson("enrol", "--label", LABEL, "--dossier", dossierId, "--subscriber", "0", "--pin", PIN, "--so-pin", SO_PIN);
    expect(enrolled.keyId).to.match(/^[0-9a-f]{40}$/);
    expect(enrolled.chain).to.be.greaterThan(0);
    const row = await svc.services.db("certificates").where({ serial: enrolled.certificateSerial }).first();
    expect(row.device_id).to.equal(enrolled.deviceId);
    certDer = Buffer.from(row.der);
  });

  it("keeps the private key on the token: sensitive, never extractable (pkcs11-tool)", () => {
    const objects = p11tool("--login", "--pin", PIN, "-O");
    const priv = objects.split(/\n(?=\S)/).find((b) => b.startsWith("Private Key Object"))!;
    expect(priv, objects).to.be.a("string");
    expect(priv).to.include(`ID:         ${enrolled.keyId}`);
    expect(priv).to.match(/Access:.*\bsensitive\b/);
    expect(priv).to.match(/never extractable/);
    expect(priv).to.not.match(/Access:[^\n]*\bextractable\b(?! *never)/);
    // And an export attempt fails: the token refuses to hand the key out.
    const r = spawnSync("pkcs11-tool", ["--module", MODULE, "--token-label", LABEL, "--login", "--pin", PIN, "--read-object", "--type", "privkey", "--id", enrolled.keyId], { env });
    expect(r.status).to.not.equal(0);
  });

  it("holds the issued certificate byte for byte, and it verifies with openssl against our chain", async () => {
    const onToken = p11toolBin("--read-object", "--type", "cert", "--id", enrolled.keyId);
    expect(Buffer.compare(onToken, certDer)).to.equal(0);
    const row = await svc.services.db("certificates").where({ serial: enrolled.certificateSerial }).first();
    const chain = await (await svc.request("GET", `/ca/${row.ca_name}/chain.pem`)).text();
    const pems = chain.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----\n?/g)!;
    fs.writeFileSync(tmp("root.pem"), pems[pems.length - 1]);
    fs.writeFileSync(tmp("untrusted.pem"), pems.slice(0, -1).join(""));
    fs.writeFileSync(tmp("leaf.der"), onToken);
    execFileSync("openssl", ["x509", "-inform", "DER", "-in", tmp("leaf.der"), "-out", tmp("leaf.pem")]);
    const args = ["verify", "-CAfile", tmp("root.pem"), ...(pems.length > 1 ? ["-untrusted", tmp("untrusted.pem")] : []), tmp("leaf.pem")];
    expect(execFileSync("openssl", args, { encoding: "utf8" })).to.include("OK");
    // The CA chain is on the token too.
    const certs = p11tool("--list-objects", "--type", "cert");
    expect(certs.match(/Certificate Object/g)!.length).to.equal(1 + enrolled.chain);
  });

  it("signs with the token, and the signature verifies with the certificate's public key (openssl)", () => {
    const data = tmp("data.txt");
    fs.writeFileSync(data, "Văn bản ký số chuyên dùng công vụ");
    execFileSync("pkcs11-tool", ["--module", MODULE, "--token-label", LABEL, "--login", "--pin", PIN, "--sign", "--mechanism", "SHA256-RSA-PKCS",
      "--id", enrolled.keyId, "--input-file", data, "--output-file", tmp("data.sig")], { env, stdio: "ignore" });
    execFileSync("openssl", ["x509", "-in", tmp("leaf.pem"), "-pubkey", "-noout", "-out", tmp("pub.pem")]);
    const out = execFileSync("openssl", ["dgst", "-sha256", "-verify", tmp("pub.pem"), "-signature", tmp("data.sig"), data], { encoding: "utf8" });
    expect(out).to.include("Verified OK");
    // and independently with node's crypto (WebCrypto-equivalent)
    const ok = crypto.verify("sha256", fs.readFileSync(data), new crypto.X509Certificate(certDer).publicKey, fs.readFileSync(tmp("data.sig")));
    expect(ok).to.equal(true);
  });

  it("answers which device holds the certificate and which certificates are on the device", async () => {
    const d = await (await svc.request("GET", `/api/certificates/${enrolled.certificateSerial}/device`, { token: clerk })).json();
    expect(d).to.include({ id: enrolled.deviceId, serial: enrolled.deviceSerial, state: "issued", tokenLabel: LABEL });
    const list = await (await svc.request("GET", `/api/devices/${enrolled.deviceId}/certificates`, { token: clerk })).json();
    expect(list.items.map((c: any) => c.serial)).to.deep.equal([enrolled.certificateSerial]);
    const g = await (await svc.request("GET", `/api/devices/${enrolled.deviceId}`, { token: clerk })).json();
    expect(g.events.map((e: any) => e.to)).to.deep.equal(["in_stock", "initialized", "issued"]);
  });

  it("hands the device over", async () => {
    const r = await svc.request("POST", "/api/handovers", {
      token: officer,
      json: {
        place: { kind: "provider", address: "Cục Chứng thực số và Bảo mật thông tin, 23 Ngụy Như Kon Tum, Hà Nội" },
        handedAt: "2026-11-25T09:30:00+07:00",
        handingOfficer: { name: "Phạm Văn Giao", position: "Chuyên viên", agency: "Cục Chứng thực số và Bảo mật thông tin" },
        items: [{ deviceId: enrolled.deviceId, certificateSerial: enrolled.certificateSerial }],
      },
    });
    expect(r.status, await r.clone().text()).to.equal(201);
    const h = await r.json();
    expect(h.items[0].device.state).to.equal("handed_over");
  });

  it("locks the device after five wrong PINs at the station (our record: SoftHSM2 does not lock)", async () => {
    for (let i = 1; i <= 5; i++) {
      const r = station("check-pin", "--label", LABEL, "--pin", "999999");
      expect(r.status, r.stderr).to.equal(2);
      const out = JSON.parse(r.stdout);
      expect(out.ok).to.equal(false);
      expect(out.device.wrongPinCount).to.equal(i);
      expect(out.device.state).to.equal(i < 5 ? "handed_over" : "locked");
    }
  });

  let recoveryDossier: string;
  it("refuses to recover without an accepted Mẫu 06 dossier naming the device, and leaves the token alone", async () => {
    const body = sampleDossier("device_recovery");
    body.devices = [{ serial: enrolled.deviceSerial, model: "SoftHSM v2" }];
    const r = await svc.request("POST", "/api/requests", { token: clerk, json: body });
    expect(r.status).to.equal(201);
    recoveryDossier = (await r.json()).id;
    const refused = station("recover", "--label", LABEL, "--dossier", recoveryDossier, "--so-pin", SO_PIN, "--new-pin", NEW_PIN);
    expect(refused.status).to.not.equal(0);
    expect(refused.stderr).to.include("chưa được chấp nhận");
    // the old PIN still logs in: nothing was done to the token
    expect(p11tool("--login", "--pin", PIN, "-O")).to.include("Private Key Object");

    const other = await acceptedDossier(sampleDossier("device_recovery"));
    const wrong = station("recover", "--label", LABEL, "--dossier", other, "--so-pin", SO_PIN, "--new-pin", NEW_PIN);
    expect(wrong.status).to.not.equal(0);
    expect(wrong.stderr).to.include(enrolled.deviceSerial);
  });

  it("recovers through the accepted Mẫu 06 dossier: the new PIN logs in, the keys and the certificate are still there", async () => {
    await svc.services.db.transaction(async (trx) => {
      for (const to of ["received", "under_review", "accepted"] as const) await transitionDossier(trx, systemActor, recoveryDossier, { action: to, to });
    });
    const out = stationJson("recover", "--label", LABEL, "--dossier", recoveryDossier, "--so-pin", SO_PIN, "--new-pin", NEW_PIN);
    expect(out.device.state).to.equal("recovered");
    expect(out.recovery).to.include({ dossierId: recoveryDossier, method: "unblock", keysDestroyed: false });

    const objects = p11tool("--login", "--pin", NEW_PIN, "-O");
    expect(objects).to.include("Private Key Object");
    expect(objects).to.include(`ID:         ${enrolled.keyId}`);
    expect(Buffer.compare(p11toolBin("--read-object", "--type", "cert", "--id", enrolled.keyId), certDer)).to.equal(0);
    const old = spawnSync("pkcs11-tool", ["--module", MODULE, "--token-label", LABEL, "--login", "--pin", PIN, "-O"], { env });
    expect(old.status).to.not.equal(0);

    const g = await (await svc.request("GET", `/api/devices/${enrolled.deviceId}`, { token: clerk })).json();
    expect(g).to.include({ state: "recovered", wrongPinCount: 0 });
    expect(g.recoveries).to.have.length(1);
    expect(g.recoveries[0]).to.include({ dossierId: recoveryDossier, performedBy: "officer" });

    // one recovery per dossier
    const again = await svc.request("POST", `/api/devices/${enrolled.deviceId}/recover`, { token: officer, json: { dossierId: recoveryDossier } });
    expect(again.status).to.equal(409);
  });
});
