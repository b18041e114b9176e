import { execFile } from "node:child_process";
import { promisify } from "node:util";
import path from "node:path";
import { expect } from "chai";
import { hasCommand, requirePeer } from "../support/peers";
import { startTestService, type TestService } from "../support/service";
import { startSlapd, parseLdif, type Slapd } from "../support/slapd";
import { createTestCa, issueTestCertificate, storeTestCrl, type TestCa } from "../support/certificates";
import { schedulePublish, schedulePublishCrl, scheduleUnpublish } from "../../src/directory/schedule";
import { personId } from "../../src/directory/dit";
import { formatDiff } from "../../src/directory/diff";

const run = promisify(execFile);
const BASE = "o=Ban Co yeu Chinh phu,c=VN";

async function openssl(args: string[], input: Buffer): Promise<string> {
  return new Promise((resolve, reject) => {
    const p = execFile("openssl", args, { encoding: "utf8" }, (err, stdout, stderr) => (err ? reject(new Error(stderr)) : resolve(stdout)));
    p.stdin!.end(input);
  });
}

const certsOf = (ldif: string, attr = "userCertificate;binary") =>
  parseLdif(ldif).flatMap((e) => (e.attrs[attr] ?? []) as Buffer[]);

describe("directory publishing into OpenLDAP slapd", function () {
  let slapd: Slapd;
  let svc: TestService;
  let ca: TestCa;

  before(async function () {
    requirePeer(this, "slapd", hasCommand("slapd") && hasCommand("ldapsearch"), "apt-get install slapd ldap-utils");
    slapd = await startSlapd(BASE);
    svc = await startTestService({ LDAP_URL: slapd.url, LDAP_BIND_DN: slapd.rootDn, LDAP_BIND_PASSWORD: slapd.rootPw });
    ca = await createTestCa(svc.services.db);
  });
  after(async () => {
    await svc?.stop();
    await slapd?.destroy();
  });

  const db = () => svc.services.db;
  const publish = async (serial: string) => {
    await db().transaction((trx) => schedulePublish(trx, serial));
    await svc.drainOutbox();
  };

  let first: { serial: string; der: Buffer };
  let second: { serial: string; der: Buffer };
  const khai = { cn: "Nguyễn Thị Minh Khai", uid: "CCCD:001099012345", email: "khai@vpcp.gov.vn", title: "Chuyên viên chính", ou: "Vụ Tổng hợp", o: "Văn phòng Chính phủ" };

  it("publishes a handed-over certificate whose DER equals the issued bytes, and openssl parses it", async () => {
    first = await issueTestCertificate(db(), ca, khai);
    await publish(first.serial);
    const out = await slapd.search(BASE, "(mail=khai@vpcp.gov.vn)", ["userCertificate;binary", "cn", "sn", "givenName", "mail", "title", "ou", "o", "uid"]);
    const [entry] = parseLdif(out);
    expect(entry.dn).to.equal(`uid=${personId("CCCD:001099012345", svc.services.directory.personKey)},ou=people,ou=Văn phòng Chính phủ,${BASE}`);
    expect(entry.attrs.cn).to.deep.equal(["Nguyễn Thị Minh Khai"]);
    expect(entry.attrs.sn).to.deep.equal(["Nguyễn"]);
    expect(entry.attrs.givenName).to.deep.equal(["Khai"]);
    expect(entry.attrs.mail).to.deep.equal(["khai@vpcp.gov.vn"]);
    expect(entry.attrs.title).to.deep.equal(["Chuyên viên chính"]);
    // The identity number stays in the certificate, never in an attribute anyone can search.
    expect(entry.attrs.uid).to.deep.equal([personId("CCCD:001099012345", svc.services.directory.personKey)]);
    const certs = certsOf(out);
    expect(certs).to.have.length(1);
    expect(certs[0].equals(first.der)).to.equal(true);
    const text = await openssl(["x509", "-inform", "der", "-noout", "-subject", "-serial", "-nameopt", "utf8,sep_comma_plus"], certs[0]);
    expect(text).to.include("CN=Nguyễn Thị Minh Khai");
    expect(text.toLowerCase()).to.include(`serial=${first.serial}`);
    const row = await db()("certificates").where({ serial: first.serial }).first();
    expect(row.published_at).to.be.a("string");
  });

  it("keeps the same entry for the holder's second certificate and follows the newest title", async () => {
    second = await issueTestCertificate(db(), ca, { ...khai, title: "Phó Vụ trưởng" });
    await publish(second.serial);
    const out = await slapd.search(BASE, "(mail=khai@vpcp.gov.vn)", ["userCertificate;binary", "title"]);
    expect(parseLdif(out)).to.have.length(1);
    const certs = certsOf(out);
    expect(certs).to.have.length(2);
    expect(certs.some((c) => c.equals(first.der)) && certs.some((c) => c.equals(second.der))).to.equal(true);
    expect(parseLdif(out)[0].attrs.title).to.deep.equal(["Phó Vụ trưởng"]);
  });

  it("does not publish a certificate that was not handed over", async () => {
    const pending = await issueTestCertificate(db(), ca, { cn: "Trần Văn Bình", uid: "CCCD:002088000111", handedOver: false });
    await publish(pending.serial);
    expect(await slapd.search(BASE, `(uid=${personId("CCCD:002088000111", svc.services.directory.personKey)})`, ["dn"])).to.equal("");
  });

  it("revoking removes exactly that value; the other certificate stays", async () => {
    await db()("certificates").where({ serial: first.serial }).update({ status: "revoked", revoked_at: new Date().toISOString(), revocation_reason: 4 });
    await db().transaction((trx) => scheduleUnpublish(trx, first.serial));
    await svc.drainOutbox();
    const certs = certsOf(await slapd.search(BASE, "(mail=khai@vpcp.gov.vn)", ["userCertificate;binary"]));
    expect(certs).to.have.length(1);
    expect(certs[0].equals(second.der)).to.equal(true);
    // Running the removal again is a no-op (LDAP 16 counts as done).
    await db()("outbox").where({ kind: "directory.unpublish" }).update({ status: "pending", next_attempt_at: new Date(0).toISOString() });
    await svc.drainOutbox();
    expect((await db()("outbox").where({ kind: "directory.unpublish" }).first()).status).to.equal("done");
  });

  it("publishes the CA certificate and its CRL byte for byte, never a CRL that does not exist", async () => {
    await db().transaction((trx) => schedulePublishCrl(trx, ca.name));
    await svc.drainOutbox();
    let out = await slapd.search(`ou=CAs,${BASE}`, "(objectClass=pkiCA)", ["*"]);
    let [entry] = parseLdif(out);
    expect((entry.attrs["cACertificate;binary"][0] as Buffer).equals(Buffer.from(ca.cert.rawData))).to.equal(true);
    expect(entry.attrs["certificateRevocationList;binary"]).to.equal(undefined);
    expect(entry.attrs.objectClass).to.include.members(["cRLDistributionPoint", "pkiCA", "deltaCRL"]);

    const crl = await storeTestCrl(db(), ca, [first.serial], { number: 1 });
    await db().transaction((trx) => schedulePublishCrl(trx, ca.name));
    await svc.drainOutbox();
    out = await slapd.search(`ou=CAs,${BASE}`, "(objectClass=cRLDistributionPoint)", ["certificateRevocationList;binary"]);
    [entry] = parseLdif(out);
    const published = entry.attrs["certificateRevocationList;binary"][0] as Buffer;
    expect(published.equals(crl)).to.equal(true);
    const text = await openssl(["crl", "-inform", "der", "-noout", "-text"], published);
    expect(text.toUpperCase()).to.include(first.serial.toUpperCase());

    const crl2 = await storeTestCrl(db(), ca, [first.serial], { number: 2 });
    const delta = await storeTestCrl(db(), ca, [first.serial], { number: 3, delta: true });
    await db().transaction((trx) => schedulePublishCrl(trx, ca.name));
    await svc.drainOutbox();
    [entry] = parseLdif(await slapd.search(`ou=CAs,${BASE}`, "(objectClass=deltaCRL)", ["certificateRevocationList;binary", "deltaRevocationList;binary"]));
    expect(entry.attrs["certificateRevocationList;binary"]).to.have.length(1);
    expect((entry.attrs["certificateRevocationList;binary"][0] as Buffer).equals(crl2)).to.equal(true);
    expect((entry.attrs["deltaRevocationList;binary"][0] as Buffer).equals(delta)).to.equal(true);
  });

  it("while slapd is down the jobs wait and retry; once it is back everything arrives, nothing twice", async () => {
    await slapd.stop();
    const issued: Array<{ serial: string; der: Buffer }> = [];
    for (const cn of ["Lê Văn Cường", "Phạm Thị Dung", "Hoàng Ánh Dương"]) {
      const c = await issueTestCertificate(db(), ca, { cn, uid: `CCCD:0030${issued.length}1234567`, email: `u${issued.length}@mof.gov.vn`, o: "Bộ Tài chính" });
      issued.push(c);
      await db().transaction((trx) => schedulePublish(trx, c.serial));
    }
    await svc.drainOutbox();
    const r = await svc.request("GET", "/api/outbox?kind=directory.publish&status=pending", { token: svc.adminToken });
    const waiting = ((await r.json()) as { items: Array<{ id: number; attempts: number; lastError: string; nextAttemptAt: string; payload: { serial: string } }> }).items
      .filter((j) => issued.some((c) => c.serial === j.payload.serial));
    expect(waiting).to.have.length(3);
    for (const j of waiting) {
      expect(j.attempts).to.equal(1);
      expect(j.lastError).to.match(/unavailable|ECONNREFUSED|failed/);
      expect(Date.parse(j.nextAttemptAt)).to.be.greaterThan(Date.now());
    }
    // Nothing is due yet (backoff): another drain does not hammer the directory.
    expect(await svc.drainOutbox()).to.equal(0);

    await slapd.start(); // same port, same data
    for (const j of waiting) {
      const rr = await svc.request("POST", `/api/outbox/${j.id}/replay`, { token: svc.adminToken });
      expect(rr.status).to.equal(200);
    }
    await svc.drainOutbox();
    // Replaying a finished job again changes nothing (add-if-absent).
    await svc.request("POST", `/api/outbox/${waiting[0].id}/replay`, { token: svc.adminToken });
    await svc.drainOutbox();
    for (const c of issued) {
      const out = await slapd.search(BASE, `(userCertificate=*)`, ["userCertificate;binary"], []);
      const all = certsOf(out);
      expect(all.filter((d) => d.equals(c.der))).to.have.length(1);
    }
    const agencies = parseLdif(await slapd.search(BASE, "(ou=Bộ Tài chính)", ["dn"]));
    expect(agencies).to.have.length(1);
  });

  it("resync --dry-run shows the drift, resync corrects it, value by value", async () => {
    // Tamper with the directory as an operator might: drop the holder's certificate, add a stray value.
    const [entry] = parseLdif(await slapd.search(BASE, "(mail=khai@vpcp.gov.vn)", ["dn"]));
    const ldif = [
      `dn: ${entry.dn}`, "changetype: modify",
      "delete: userCertificate;binary", `userCertificate;binary:: ${second.der.toString("base64")}`, "-",
      "add: telephoneNumber", "telephoneNumber: 0243 000 000", "-", "",
    ].join("\n");
    await new Promise<void>((resolve, reject) => {
      const p = execFile("ldapmodify", ["-x", "-H", slapd.url, "-D", slapd.rootDn, "-w", slapd.rootPw], (err, _o, stderr) => (err ? reject(new Error(stderr)) : resolve()));
      p.stdin!.end(ldif);
    });
    const env = {
      ...process.env, DATA_DIR: svc.dataDir, LDAP_URL: slapd.url, LDAP_BIND_DN: slapd.rootDn, LDAP_BIND_PASSWORD: slapd.rootPw,
      LOG_LEVEL: "silent", CA_PASSPHRASE: "test-passphrase-123",
    };
    const cli = path.resolve(__dirname, "../../bin/chungthu.js");
    let dry: { stdout: string; code: number };
    try {
      dry = { stdout: (await run("node", [cli, "directory", "resync", "--dry-run"], { env })).stdout, code: 0 };
    } catch (err: any) {
      dry = { stdout: err.stdout, code: err.code };
    }
    expect(dry.code).to.equal(2);
    expect(dry.stdout).to.include(`~ dn: ${entry.dn}`);
    expect(dry.stdout).to.match(/\+ userCertificate;binary: <DER \d+ byte/);
    expect(dry.stdout).to.include("- telephoneNumber: 0243 000 000");
    // Dry run changed nothing.
    expect(certsOf(await slapd.search(BASE, "(mail=khai@vpcp.gov.vn)", ["userCertificate;binary"]))).to.have.length(0);
    const resyncRows = async () =>
      (await db()("audit_log").where({ action: "directory.resync" }).orderBy("seq")).map((r: any) => ({ actor: r.actor, ...JSON.parse(r.details) }));
    // One audit row for the dry run, its counts those of the printed diff.
    const printed = (mark: string) => dry.stdout.split("\n").filter((l) => l.startsWith(`${mark} dn: `)).length;
    const planned = { added: printed("+"), removed: printed("-"), repaired: printed("~") };
    expect(planned.repaired).to.equal(1);
    const [dryRow] = await resyncRows();
    expect(await resyncRows()).to.have.length(1);
    expect(dryRow).to.include({ actor: "cli", dryRun: true, outcome: "dry_run", url: slapd.url, ...planned, valuesRemoved: 1 });

    const applied = await run("node", [cli, "directory", "resync"], { env });
    expect(applied.stdout).to.include("Đồng bộ xong");
    const out = await slapd.search(BASE, "(mail=khai@vpcp.gov.vn)", ["userCertificate;binary", "telephoneNumber"]);
    const certs = certsOf(out);
    expect(certs).to.have.length(1);
    expect(certs[0].equals(second.der)).to.equal(true);
    expect(parseLdif(out)[0].attrs.telephoneNumber).to.equal(undefined);
    expect(await resyncRows()).to.have.length(2);
    expect((await resyncRows())[1]).to.deep.equal({ ...dryRow, dryRun: false, outcome: "applied" });
    expect(JSON.stringify(await resyncRows())).to.not.contain(slapd.rootPw);

    const diffs = await svc.services.directory.diff(db());
    expect(formatDiff(diffs)).to.equal("");
    const health = await (await svc.request("GET", "/healthz")).json() as any;
    expect(health.checks.directory.status).to.be.oneOf(["ok", "degraded"]);
    expect(health.checks.directory.mode).to.equal("external");
  });

  it("an expired certificate is removed as a single value by the periodic reconciliation", async () => {
    const other = await issueTestCertificate(db(), ca, { ...khai, title: "Phó Vụ trưởng" });
    await publish(other.serial);
    let certs = certsOf(await slapd.search(BASE, "(mail=khai@vpcp.gov.vn)", ["userCertificate;binary"]));
    expect(certs).to.have.length(2);
    // Time passes: the certificate's validity ends.
    await db()("certificates").where({ serial: other.serial }).update({ not_after: new Date(Date.now() - 1000).toISOString() });
    const report = await svc.services.directory.reconcile(db());
    expect(report.expiredQueued).to.equal(1);
    await svc.drainOutbox();
    certs = certsOf(await slapd.search(BASE, "(mail=khai@vpcp.gov.vn)", ["userCertificate;binary"]));
    expect(certs).to.have.length(1);
    expect(certs[0].equals(second.der)).to.equal(true);
    // Queued once only, however often the reconciliation runs.
    await svc.services.directory.reconcile(db());
    expect(await db()("outbox").where({ kind: "directory.unpublish" }).whereRaw("payload like ?", [`%${other.serial}%`]).count({ n: "*" }))
      .to.deep.equal([{ n: 1 }]);
  });

  it("the periodic reconciliation reports drift in /healthz", async () => {
    await new Promise<void>((resolve, reject) => {
      const p = execFile("ldapmodify", ["-x", "-H", slapd.url, "-D", slapd.rootDn, "-w", slapd.rootPw], (err, _o, stderr) => (err ? reject(new Error(stderr)) : resolve()));
      p.stdin!.end([`dn: cn=Lạ,ou=CAs,${BASE}`, "changetype: add", "objectClass: organizationalRole", "cn: Lạ", ""].join("\n"));
    });
    const report = await svc.services.directory.reconcile(db());
    expect(report.drift).to.equal(1);
    const health = await (await svc.request("GET", "/healthz")).json() as any;
    expect(health.checks.directory).to.include({ status: "degraded", drift: 1 });
  });
});
