import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { expect } from "chai";
import { startTestService, type TestService } from "../support/service";
import { hasCommand, requirePeer } from "../support/peers";
import { sampleDossier } from "../support/dossiers";

const run = promisify(execFile);

/**
 * The whole procedure of the source article through the API, with independent checks at the end of
 * each step: dossier (Mẫu 01) → receipt → review → acceptance → issuance (server key generation) →
 * handover with its record → publication (embedded LDAP via ldapsearch, public website) →
 * revocation → OCSP (openssl ocsp), CRL (openssl crl) and directory follow.
 */
describe("the whole procedure, end to end", function () {
  this.timeout(180_000);
  let svc: TestService;
  let tmp: string;
  const tok: Record<string, string> = {};

  before(async function () {
    for (const [name, pkg] of [["openssl", "openssl"], ["ldapsearch", "ldap-utils"], ["pdftotext", "poppler-utils"]]) {
      requirePeer(this, name, hasCommand(name), `apt-get install ${pkg}`);
    }
    svc = await startTestService({ LDAP_PORT: "0" });
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "chungthu-e2e-"));
    for (const role of ["clerk", "reviewer", "ca_operator", "device_officer"] as const) tok[role] = await svc.userWithRoles(`e2e-${role}`, [role]);
  });
  after(() => svc?.stop());

  const api = async (role: string, method: string, p: string, json?: unknown, expected = [200, 201, 202, 204]) => {
    const r = await svc.request(method, p, { token: tok[role], json });
    const text = await r.text();
    expect(expected, `${method} ${p} → ${r.status} ${text.slice(0, 400)}`).to.include(r.status);
    return text ? JSON.parse(text) : undefined;
  };

  it("takes a dossier from request to a published certificate, then revokes it everywhere", async () => {
    // Step 1 — request (Mẫu 01), one official.
    const input = sampleDossier("individual", 1);
    const dossier = await api("clerk", "POST", "/api/requests", input);
    expect(dossier.status).to.equal("draft");
    const pdf = await svc.request("GET", `/api/requests/${dossier.id}/document.pdf`, { token: tok.clerk });
    fs.writeFileSync(path.join(tmp, "request.pdf"), Buffer.from(await pdf.arrayBuffer()));
    const { stdout: text } = await run("pdftotext", ["-layout", path.join(tmp, "request.pdf"), "-"]);
    expect(text).to.contain(input.subscribers[0].fullName).and.contain(input.agency.name);

    // Step 2 — receipt and review within 03 working days.
    const received = await api("clerk", "POST", `/api/requests/${dossier.id}/submit`, {});
    expect(received.status).to.equal("received");
    expect(received.deadline).to.be.a("string");
    await api("reviewer", "POST", `/api/requests/${dossier.id}/review`, { action: "start" });
    const accepted = await api("reviewer", "POST", `/api/requests/${dossier.id}/review`, { action: "accept" });
    expect(accepted.status).to.equal("accepted");

    // Step 3a — issuance with server-side key generation (PKCS#12 delivered once).
    const issued = await api("ca_operator", "POST", `/api/requests/${dossier.id}/certificates`, {
      subscriber: 0, keyGeneration: "server", pkcs12Password: "mật-khẩu-rất-dài-123",
    });
    const serial: string = issued.serial;
    fs.writeFileSync(path.join(tmp, "leaf.pem"), issued.pem);
    const chain = await (await svc.request("GET", "/ca/dev-issuing/chain.pem")).text();
    fs.writeFileSync(path.join(tmp, "chain.pem"), chain);
    const issuing = await (await svc.request("GET", "/ca/dev-issuing.pem")).text();
    fs.writeFileSync(path.join(tmp, "issuing.pem"), issuing);
    await run("openssl", ["verify", "-CAfile", path.join(tmp, "chain.pem"), path.join(tmp, "leaf.pem")]);

    // Not published before handover: neither the public site nor the directory has it.
    const before = await (await svc.request("GET", `/tra-cuu?q=${serial}`)).text();
    expect(before).to.not.contain(input.subscribers[0].fullName);

    // Step 3b — the device and its handover record.
    const device = await api("device_officer", "POST", "/api/devices", { serial: "TK-E2E-0001", model: "ePass3003", manufacturer: "Feitian", kind: "usb_token" });
    await api("device_officer", "POST", `/api/devices/${device.id}/transition`, { to: "initialized", reason: "Khởi tạo token" });
    await api("device_officer", "POST", `/api/devices/${device.id}/certificates`, { serial });
    const handover = await api("device_officer", "POST", "/api/handovers", {
      place: { kind: "provider", address: "Số 23 Ngụy Như Kon Tum, Thanh Xuân, Hà Nội" },
      handedAt: new Date().toISOString(),
      handingOfficer: { name: "Lê Văn Giao", position: "Chuyên viên", agency: "Cục Chứng thực số và Bảo mật thông tin" },
      items: [{ deviceId: device.id, certificateSerial: serial }],
    });
    const record = await svc.request("GET", `/api/handovers/${handover.id}/handover-record.pdf`, { token: tok.device_officer });
    expect(record.status).to.equal(200);
    fs.writeFileSync(path.join(tmp, "record.pdf"), Buffer.from(await record.arrayBuffer()));
    const { stdout: recordText } = await run("pdftotext", ["-layout", path.join(tmp, "record.pdf"), "-"]);
    expect(recordText.replace(/[\s:]+/g, "").toLowerCase()).to.contain(serial);
    expect(recordText).to.contain("TK-E2E-0001");

    // Step 4 — publication: the outbox publishes into the embedded directory.
    await svc.drainOutbox();
    const ldapUrl = (svc.services as any).directory?.url ?? `ldap://127.0.0.1:${(svc.services as any).directoryServer?.port}`;
    const mail = input.subscribers[0].email;
    const { stdout: ldif } = await run("ldapsearch", ["-x", "-LLL", "-o", "ldif-wrap=no", "-H", ldapUrl, "-b", svc.services.config.LDAP_BASE_DN, `(mail=${mail})`, "userCertificate;binary"]);
    const b64 = /userCertificate;binary:: (\S+)/.exec(ldif)?.[1];
    expect(b64, ldif).to.be.a("string");
    const der = Buffer.from(b64!, "base64");
    const pemDer = Buffer.from(issued.pem.replace(/-----[^-]+-----|\s/g, ""), "base64");
    expect(der.equals(pemDer)).to.equal(true);
    const found = await (await svc.request("GET", `/tra-cuu?q=${serial}`)).text();
    expect(found).to.contain("còn hiệu lực");
    // Its only certificate handed over and published: the dossier reached its final status.
    const done = await api("clerk", "GET", `/api/requests/${dossier.id}`);
    expect(done.status).to.equal("published");
    const steps = (await api("clerk", "GET", `/api/requests/${dossier.id}/history`)).items.map((h: any) => h.toStatus);
    expect(steps.slice(-4)).to.deep.equal(["issuing", "issued", "handed_over", "published"]);

    // OCSP says good.
    const ocsp = async () => (await run("openssl", ["ocsp", "-issuer", path.join(tmp, "issuing.pem"), "-cert", path.join(tmp, "leaf.pem"),
      "-url", `${svc.url}/ocsp`, "-CAfile", path.join(tmp, "chain.pem"), "-no_nonce"])).stdout;
    expect(await ocsp()).to.match(/: good/);

    // Revocation (Mẫu 05 path is another test; here a CA operator revokes as superseded).
    await api("ca_operator", "POST", `/api/certificates/${serial}/revoke`, { reason: "superseded" });
    await svc.drainOutbox();
    expect(await ocsp()).to.match(/: revoked/).and.match(/superseded/i);
    const crl = Buffer.from(await (await svc.request("GET", "/crl/dev-issuing.crl")).arrayBuffer());
    fs.writeFileSync(path.join(tmp, "issuing.crl"), crl);
    const { stdout: crlText } = await run("openssl", ["crl", "-inform", "der", "-in", path.join(tmp, "issuing.crl"), "-noout", "-text"]);
    expect(crlText.toLowerCase().replace(/:/g, "")).to.contain(serial.replace(/^0+/, ""));
    const { stdout: after } = await run("ldapsearch", ["-x", "-LLL", "-o", "ldif-wrap=no", "-H", ldapUrl, "-b", svc.services.config.LDAP_BASE_DN, `(mail=${mail})`, "userCertificate;binary"]);
    expect(after).to.not.contain("userCertificate;binary::");
    const page = await (await svc.request("GET", `/chung-thu/${serial}`)).text();
    expect(page).to.contain("đã thu hồi");
  });
});
