import { expect } from "chai";
import { execFileSync, spawn, spawnSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { startTestService, type TestService } from "../support/service";
import { hasCommand, requirePeer } from "../support/peers";
import { sampleDossier } from "../support/dossiers";
import { transitionDossier } from "../../src/ra/dossiers/transition";
import { systemActor } from "../../src/auth/actor";
import { workingDayDeadline } from "../../src/ra/devices/returnDeadline";
import { loadWorkingCalendar } from "../../src/ra/calendar/calendar";

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

  // The service runs in this process: the station must run asynchronously or it would wait for a
  // service whose event loop it blocks.
  const station = (...args: string[]) =>
    new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve, reject) => {
      const child = spawn(process.execPath, [path.join(ROOT, "bin/chungthu.js"), "token", ...args, "--module", MODULE, "--url", svc.url], {
        env: { ...env, CHUNGTHU_TOKEN: officer },
      });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (b) => (stdout += b));
      child.stderr.on("data", (b) => (stderr += b));
      child.on("error", reject);
      child.on("close", (status) => resolve({ status, stdout, stderr }));
    });
  const stationJson = async (...args: string[]) => {
    const r = await station(...args);
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

  it("lists the token by label (slot ids are SoftHSM2's random ones)", async () => {
    const tokens = await stationJson("list");
    const t = tokens.find((x: any) => x.label === LABEL);
    expect(t).to.include({ initialized: true, userPinInitialized: true });
    expect(t.slotId).to.not.equal("0000000000000000");
  });

  let enrolled: { deviceId: string; deviceSerial: string; certificateSerial: string; keyId: string; chain: number };
  let dossierId: string;
  let certDer: Buffer;

  it("enrols: key pair on the token, certificate issued by the service and written back with the key's CKA_ID", async () => {
    dossierId = await acceptedDossier(sampleDossier("individual", 1));
    enrolled = await stationJson("enrol", "--label", LABEL, "--dossier", dossierId, "--subscriber", "0", "--pin", PIN, "--so-pin", SO_PIN);
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
    const access = /Access:\s*([^\n]*)/.exec(priv)![1].split(",").map((x) => x.trim());
    expect(access).to.include("sensitive");
    expect(access).to.include("never extractable");
    expect(access).to.not.include("extractable");
    // And no export: asked for the private exponent, the token answers CKR_ATTRIBUTE_SENSITIVE
    // (checked through pkcs11js directly, in a child process with this token directory).
    const script = `
      const p = require("pkcs11js"); const m = new p.PKCS11(); m.load(${JSON.stringify(MODULE)}); m.C_Initialize();
      const slot = m.C_GetSlotList(true).find((s) => m.C_GetTokenInfo(s).label.trim() === ${JSON.stringify(LABEL)});
      const h = m.C_OpenSession(slot, p.CKF_SERIAL_SESSION); m.C_Login(h, p.CKU_USER, ${JSON.stringify(PIN)});
      m.C_FindObjectsInit(h, [{ type: p.CKA_CLASS, value: p.CKO_PRIVATE_KEY }, { type: p.CKA_ID, value: Buffer.from(${JSON.stringify(enrolled.keyId)}, "hex") }]);
      const [k] = m.C_FindObjects(h, 1); m.C_FindObjectsFinal(h);
      const flags = m.C_GetAttributeValue(h, k, [{ type: p.CKA_EXTRACTABLE }, { type: p.CKA_SENSITIVE }, { type: p.CKA_TOKEN }, { type: p.CKA_PRIVATE }]).map((a) => a.value[0]);
      let exported = "yes"; try { m.C_GetAttributeValue(h, k, [{ type: p.CKA_PRIVATE_EXPONENT }]); } catch (e) { exported = e.message; }
      console.log(JSON.stringify({ flags, exported })); m.C_Finalize();`;
    const probe = spawnSync(process.execPath, ["-e", script], { env, cwd: ROOT, encoding: "utf8" });
    expect(probe.status, probe.stderr).to.equal(0);
    const { flags, exported } = JSON.parse(probe.stdout);
    expect(flags).to.deep.equal([0, 1, 1, 1]); // extractable false; sensitive, token, private true
    expect(exported).to.include("CKR_ATTRIBUTE_SENSITIVE");
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

  it("appoints the handover: the \"ready for handover\" e-mail gives the time and place", async () => {
    const place = "Cục Chứng thực số và Bảo mật thông tin, 23 Ngụy Như Kon Tum, Hà Nội";
    const r = await svc.request("POST", "/api/handover-appointments", { token: officer, json: { dossierId, handoverAt: "2026-11-25T09:30:00+07:00", place } });
    expect(r.status, await r.clone().text()).to.equal(202);
    await svc.drainOutbox();
    const mailDir = path.join(svc.dataDir, "mail");
    const files = fs.readdirSync(mailDir).filter((f) => f.endsWith(".eml"));
    const { simpleParser } = await import("mailparser");
    const texts = await Promise.all(files.map(async (f) => (await simpleParser(fs.readFileSync(path.join(mailDir, f)))).text ?? ""));
    const mail = texts.find((t) => t.includes("Ngụy Như Kon Tum"));
    expect(mail, texts.join("\n---\n")).to.be.a("string");
    expect(mail).to.match(/09[: giờh]+30/);
    expect(mail).to.include("25/11/2026");
  });

  it("hands the device over with a biên bản (Mẫu 07) that pdftotext reads: every party, device serial and certificate serial", async function () {
    requirePeer(this, "pdftotext", hasCommand("pdftotext"), "apt-get install poppler-utils");
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
    // the receiver defaults to the one the dossier named
    expect(h.receiver).to.deep.equal({ name: "Trần Thị Nhận", position: "Văn thư", agency: "Bộ Tài chính", idNumber: "001190123456" });
    expect(h.dossiersHandedOver).to.deep.equal([dossierId]);
    const d = await (await svc.request("GET", `/api/requests/${dossierId}`, { token: clerk })).json();
    expect(d.status).to.equal("handed_over");
    const cert = await svc.services.db("certificates").where({ serial: enrolled.certificateSerial }).first();
    expect(cert.handed_over_at).to.equal("2026-11-25T02:30:00.000Z");
    const jobs = await svc.services.db("outbox").where({ kind: "directory.publish" });
    expect(jobs.map((j: any) => JSON.parse(j.payload).serial)).to.include(enrolled.certificateSerial);

    const pdfRes = await svc.request("GET", `/api/handovers/${h.id}/handover-record.pdf`, { token: clerk });
    expect(pdfRes.status).to.equal(200);
    expect(pdfRes.headers.get("content-type")).to.equal("application/pdf");
    const pdf = Buffer.from(await pdfRes.arrayBuffer());
    expect(crypto.createHash("sha256").update(pdf).digest("hex")).to.equal(h.recordSha256);
    expect(pdfRes.headers.get("etag")).to.equal(`"${h.recordSha256}"`);
    fs.writeFileSync(tmp("bienban.pdf"), pdf);
    if (process.env.KEEP_PDF) fs.writeFileSync(process.env.KEEP_PDF, pdf);
    const text = execFileSync("pdftotext", [tmp("bienban.pdf"), "-"], { encoding: "utf8" }).normalize("NFC");
    for (const needle of [
      "BIÊN BẢN", "Phạm Văn Giao", "Cục Chứng thực số và Bảo mật thông tin", "Trần Thị Nhận", "Bộ Tài chính", "001190123456",
      "Nguyễn Văn Thử 1", enrolled.deviceSerial, enrolled.certificateSerial.toUpperCase(), "23 Ngụy Như Kon Tum",
    ]) {
      expect(text.replace(/\s+/g, " "), needle).to.include(needle);
    }
    // stored once: the same bytes again
    const again = Buffer.from(await (await svc.request("GET", `/api/handovers/${h.id}/handover-record.pdf`, { token: clerk })).arrayBuffer());
    expect(Buffer.compare(again, pdf)).to.equal(0);

    // a device cannot be handed over twice
    const twice = await svc.request("POST", "/api/handovers", {
      token: officer,
      json: {
        place: { kind: "agency", address: "Bộ Tài chính" }, handedAt: "2026-11-25T10:00:00+07:00",
        handingOfficer: { name: "Phạm Văn Giao", position: "Chuyên viên", agency: "Cục" },
        items: [{ deviceId: enrolled.deviceId, certificateSerial: enrolled.certificateSerial }],
      },
    });
    expect(twice.status).to.equal(409);
    expect((await twice.json()).error.message).to.include(enrolled.deviceSerial);
  });

  it("locks the device after five wrong PINs at the station (our record: SoftHSM2 does not lock)", async () => {
    for (let i = 1; i <= 5; i++) {
      const r = await station("check-pin", "--label", LABEL, "--pin", "999999");
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
    const refused = await station("recover", "--label", LABEL, "--dossier", recoveryDossier, "--so-pin", SO_PIN, "--new-pin", NEW_PIN);
    expect(refused.status).to.not.equal(0);
    expect(refused.stderr).to.include("chưa được chấp nhận");
    // the old PIN still logs in: nothing was done to the token
    expect(p11tool("--login", "--pin", PIN, "-O")).to.include("Private Key Object");

    const other = await acceptedDossier(sampleDossier("device_recovery"));
    const wrong = await station("recover", "--label", LABEL, "--dossier", other, "--so-pin", SO_PIN, "--new-pin", NEW_PIN);
    expect(wrong.status).to.not.equal(0);
    expect(wrong.stderr).to.include(enrolled.deviceSerial);
  });

  it("recovers through the accepted Mẫu 06 dossier: the new PIN logs in, the keys and the certificate are still there", async () => {
    await svc.services.db.transaction(async (trx) => {
      for (const to of ["received", "under_review", "accepted"] as const) await transitionDossier(trx, systemActor, recoveryDossier, { action: to, to });
    });
    const out = await stationJson("recover", "--label", LABEL, "--dossier", recoveryDossier, "--so-pin", SO_PIN, "--new-pin", NEW_PIN);
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

  it("gives the recovered device back to its holder with a new handover record", async () => {
    const r = await svc.request("POST", "/api/handovers", {
      token: officer,
      json: {
        place: { kind: "agency", address: "Bộ Tài chính, 28 Trần Hưng Đạo, Hà Nội" }, handedAt: "2026-11-26T14:00:00+07:00",
        handingOfficer: { name: "Phạm Văn Giao", position: "Chuyên viên", agency: "Cục Chứng thực số và Bảo mật thông tin" },
        items: [{ deviceId: enrolled.deviceId, certificateSerial: enrolled.certificateSerial, notes: "Trả lại sau khôi phục" }],
      },
    });
    expect(r.status, await r.clone().text()).to.equal(201);
    const h = await r.json();
    expect(h.number).to.equal("2/2026/BB-BG");
    expect(h.items[0].device.state).to.equal("handed_over");
  });

  it("tracks the return deadline (05 working days) once the certificate is revoked", async () => {
    const caOp = await svc.userWithRoles("caop", ["ca_operator"]);
    const rv = await svc.request("POST", `/api/certificates/${enrolled.certificateSerial}/revoke`, { token: caOp, json: { reason: "cessationOfOperation" } });
    expect(rv.status, await rv.clone().text()).to.equal(200);
    const cert = await svc.services.db("certificates").where({ serial: enrolled.certificateSerial }).first();
    const d = await (await svc.request("GET", `/api/devices/${enrolled.deviceId}`, { token: clerk })).json();
    expect(d.returnReasonAt).to.equal(new Date(cert.revoked_at).toISOString());
    const year = new Date(cert.revoked_at).getUTCFullYear();
    const cal = await loadWorkingCalendar(svc.services.db, year, year + 1);
    expect(d.returnDeadline).to.equal(workingDayDeadline(new Date(cert.revoked_at), 5, cal.isWorkingDay).toISOString());
    const days = (Date.parse(d.returnDeadline) - Date.parse(cert.revoked_at)) / 86400_000;
    expect(days).to.be.within(5, 12);
    const overdue = await (await svc.request("GET", "/api/devices?overdue=true", { token: clerk })).json();
    expect(overdue.items.map((x: any) => x.id)).to.not.include(enrolled.deviceId);
  });

  it("withdraws the device (thu hồi) and destroys its keys at the station: back in stock, nothing left on the token", async () => {
    const r = await svc.request("POST", `/api/devices/${enrolled.deviceId}/transition`, { token: officer, json: { to: "returned", reason: "Thu hồi sau khi chứng thư bị thu hồi" } });
    expect(r.status).to.equal(200);
    expect((await r.json()).returnDeadline).to.equal(null);
    const out = await stationJson("destroy-keys", "--label", LABEL, "--pin", NEW_PIN);
    expect(out.destroyed).to.be.greaterThan(2);
    expect(out.device.state).to.equal("in_stock");
    const objects = p11tool("--login", "--pin", NEW_PIN, "-O");
    expect(objects).to.not.include("Private Key Object");
    expect(objects).to.not.include("Certificate Object");
  });

  let ec: typeof enrolled;
  it("initialises a blank token itself (--init) and enrols an EC P-256 key: CSR signed with CKM_ECDSA, certificate verifies, token signature verifies", async () => {
    const label2 = "CT-TEST-02";
    const id = await acceptedDossier(sampleDossier("individual", 1));
    ec = await stationJson("enrol", "--init", "--label", label2, "--dossier", id, "--subscriber", "0", "--pin", PIN, "--so-pin", SO_PIN, "--key-type", "ec-p256");
    const out = ec;
    expect(out.deviceSerial).to.not.equal(enrolled.deviceSerial);
    const tool = (...a: string[]) => execFileSync("pkcs11-tool", ["--module", MODULE, "--token-label", label2, ...a], { env, stdio: ["ignore", "pipe", "pipe"] });
    const der = tool("--read-object", "--type", "cert", "--id", out.keyId);
    const row = await svc.services.db("certificates").where({ serial: out.certificateSerial }).first();
    expect(Buffer.compare(der, Buffer.from(row.der))).to.equal(0);
    fs.writeFileSync(tmp("ec.der"), der);
    execFileSync("openssl", ["x509", "-inform", "DER", "-in", tmp("ec.der"), "-out", tmp("ec.pem")]);
    const args = ["verify", "-CAfile", tmp("root.pem"), ...(fs.statSync(tmp("untrusted.pem")).size ? ["-untrusted", tmp("untrusted.pem")] : []), tmp("ec.pem")];
    expect(execFileSync("openssl", args, { encoding: "utf8" })).to.include("OK");
    expect(execFileSync("openssl", ["x509", "-in", tmp("ec.pem"), "-noout", "-text"], { encoding: "utf8" })).to.include("prime256v1");
    const data = tmp("ec-data.txt");
    fs.writeFileSync(data, "Ký bằng khóa EC trên token");
    // SoftHSM2 offers CKM_ECDSA over a digest (not CKM_ECDSA_SHA256): hash here, sign on the token.
    fs.writeFileSync(tmp("ec-data.sha256"), crypto.createHash("sha256").update(fs.readFileSync(data)).digest());
    tool("--login", "--pin", PIN, "--sign", "--mechanism", "ECDSA", "--signature-format", "openssl", "--id", out.keyId, "--input-file", tmp("ec-data.sha256"), "--output-file", tmp("ec.sig"));
    execFileSync("openssl", ["x509", "-in", tmp("ec.pem"), "-pubkey", "-noout", "-out", tmp("ec-pub.pem")]);
    expect(execFileSync("openssl", ["dgst", "-sha256", "-verify", tmp("ec-pub.pem"), "-signature", tmp("ec.sig"), data], { encoding: "utf8" })).to.include("Verified OK");
    const access = /Access:\s*([^\n]*)/.exec(tool("--login", "--pin", PIN, "--list-objects", "--type", "privkey").toString())![1];
    expect(access).to.include("never extractable");
  });

  it("re-initialises a locked token when the keys must be destroyed (--method reinitialize): new PIN, no keys left", async () => {
    const label2 = "CT-TEST-02";
    const h = await svc.request("POST", "/api/handovers", {
      token: officer,
      json: {
        place: { kind: "agency", address: "Bộ Tài chính" }, handedAt: "2026-11-27T09:00:00+07:00",
        handingOfficer: { name: "Phạm Văn Giao", position: "Chuyên viên", agency: "Cục Chứng thực số và Bảo mật thông tin" },
        items: [{ deviceId: ec.deviceId, certificateSerial: ec.certificateSerial }],
      },
    });
    expect(h.status).to.equal(201);
    const lock = await svc.request("POST", `/api/devices/${ec.deviceId}/lock`, { token: officer, json: { failedAttempts: 10, reason: "Người dùng báo token bị khóa" } });
    expect((await lock.json()).state).to.equal("locked");
    const body = sampleDossier("device_recovery");
    body.devices = [{ serial: ec.deviceSerial }];
    const dossier = await acceptedDossier(body);
    // Dual control: the station stops before touching the token until a second device officer approves.
    const first = await station("recover", "--label", label2, "--dossier", dossier, "--so-pin", SO_PIN, "--new-pin", NEW_PIN, "--method", "reinitialize");
    expect(first.status).to.not.equal(0);
    expect(first.stderr + first.stdout).to.include("cần người thứ hai phê duyệt");
    const [pending] = (await (await svc.request("GET", "/api/approvals?status=pending&operation=device.reinitialize", { token: officer })).json()).items;
    expect((await svc.request("POST", `/api/approvals/${pending.id}/approve`, { token: officer, json: {} })).status).to.equal(403);
    const second = await svc.userWithRoles("officer-two", ["device_officer"]);
    const approved = await svc.request("POST", `/api/approvals/${pending.id}/approve`, { token: second, json: {} });
    expect((await approved.json()).status).to.equal("executed");
    const out = await stationJson("recover", "--label", label2, "--dossier", dossier, "--so-pin", SO_PIN, "--new-pin", NEW_PIN, "--method", "reinitialize");
    expect(out.recovery).to.include({ method: "reinitialize", keysDestroyed: true });
    const objects = execFileSync("pkcs11-tool", ["--module", MODULE, "--token-label", label2, "--login", "--pin", NEW_PIN, "-O"], { env, encoding: "utf8" });
    expect(objects).to.not.include("Private Key Object");
    expect(objects).to.not.include("Certificate Object");
  });
});
