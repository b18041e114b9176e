import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { expect } from "chai";
import { hasCommand, requirePeer } from "../support/peers";
import { startTestService, type TestService } from "../support/service";
import { ldapsearch, parseLdif, startSlapd, type Slapd } from "../support/slapd";
import { createTestCa, issueTestCertificate } from "../support/certificates";
import { schedulePublish } from "../../src/directory/schedule";
import { personId } from "../../src/directory/dit";
import { PERSON_KEY_FILE } from "../../src/directory/personKey";
import { verifyChain } from "../../src/audit/audit";

const run = promisify(execFile);
const BASE = "o=Ban Co yeu Chinh phu,c=VN";
const IDENTITY = "CCCD:001080000077";
/** The RDN id of the unkeyed scheme (before this change): SHA-256 anyone could compute. */
const legacyId = (identity: string) => "p" + createHash("sha256").update("chungthu/person/" + identity).digest("hex").slice(0, 20);
const personDn = (id: string) => `uid=${id},ou=people,ou=Văn phòng Chính phủ,${BASE}`;
const person = { cn: "Phạm Thị Thu", uid: IDENTITY, email: "thu@vpcp.gov.vn", title: "Chuyên viên" };

describe("person RDN keyed by the provider's secret", function () {
  describe("embedded directory", () => {
    let svc: TestService | undefined;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "chungthu-rdn-"));
    before(function () {
      requirePeer(this, "ldap-utils", hasCommand("ldapsearch"), "apt-get install ldap-utils");
    });
    after(async () => {
      await svc?.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    const dnsOf = async (s: TestService, filter: string) => {
      const r = await ldapsearch(s.services.directoryServer!.url, BASE, filter, ["1.1"]);
      expect(r.code, r.stderr).to.equal(0);
      return parseLdif(r.stdout).map((e) => e.dn);
    };

    it("creates a 0600 key in DATA_DIR on first start, keeps it across restarts, and the DN needs it", async () => {
      svc = await startTestService({ LDAP_PORT: "0" }, dir);
      const file = path.join(dir, PERSON_KEY_FILE);
      expect(fs.statSync(file).mode & 0o777).to.equal(0o600);
      const key = Buffer.from(fs.readFileSync(file, "utf8").trim(), "base64url");
      expect(key.length).to.equal(32);
      expect(svc.services.directory.personKey.equals(key)).to.equal(true);

      const ca = await createTestCa(svc.services.db);
      const c = await issueTestCertificate(svc.services.db, ca, person);
      await svc.services.db.transaction((trx) => schedulePublish(trx, c.serial));
      await svc.drainOutbox();
      expect(await dnsOf(svc, "(mail=thu@vpcp.gov.vn)")).to.deep.equal([personDn(personId(IDENTITY, key))]);
      // Knowing the identity number is not enough: the unkeyed id finds nothing.
      expect(await dnsOf(svc, `(uid=${legacyId(IDENTITY)})`)).to.deep.equal([]);

      await svc.stop();
      svc = await startTestService({ LDAP_PORT: "0" }, dir);
      expect(svc.services.directory.personKey.equals(key)).to.equal(true);
      expect(await dnsOf(svc, "(mail=thu@vpcp.gov.vn)")).to.deep.equal([personDn(personId(IDENTITY, key))]);
    });

    it("a configured DIRECTORY_RDN_KEY moves every person entry to its new DN", async () => {
      const oldDn = (await dnsOf(svc!, "(mail=thu@vpcp.gov.vn)"))[0];
      await svc!.stop();
      const configured = "khóa bí mật của danh bạ, đủ dài: 0123456789abcdef";
      svc = await startTestService({ LDAP_PORT: "0", DIRECTORY_RDN_KEY: configured }, dir);
      const newDn = personDn(personId(IDENTITY, Buffer.from(configured, "utf8")));
      expect(newDn).to.not.equal(oldDn);
      expect(await dnsOf(svc, "(mail=thu@vpcp.gov.vn)")).to.deep.equal([newDn]);
      expect(await dnsOf(svc, `(uid=${oldDn.slice(4, 25)})`)).to.deep.equal([]);
    });
  });

  describe("OpenLDAP slapd: the reconciliation and resync move entries from the old RDN", () => {
    let slapd: Slapd;
    let svc: TestService | undefined;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "chungthu-rdn-"));
    let env: Record<string, string>;

    before(async function () {
      requirePeer(this, "slapd", hasCommand("slapd") && hasCommand("ldapsearch") && hasCommand("ldapmodrdn"), "apt-get install slapd ldap-utils");
      slapd = await startSlapd(BASE);
      env = { LDAP_URL: slapd.url, LDAP_BIND_DN: slapd.rootDn, LDAP_BIND_PASSWORD: slapd.rootPw };
    });
    after(async () => {
      await svc?.stop();
      await slapd?.destroy();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    const entriesOf = async (filter: string) => parseLdif(await slapd.search(BASE, filter, ["uid", "userCertificate;binary"]));

    it("a directory published with the unkeyed RDN is repaired by the periodic reconciliation", async () => {
      // Publish, then rename the entry to the RDN the unkeyed scheme gave it: a directory as it
      // stood before the upgrade.
      svc = await startTestService(env, dir);
      const ca = await createTestCa(svc.services.db);
      const c = await issueTestCertificate(svc.services.db, ca, person);
      await svc.services.db.transaction((trx) => schedulePublish(trx, c.serial));
      await svc.drainOutbox();
      const keyed = personDn(personId(IDENTITY, svc.services.directory.personKey));
      expect((await entriesOf("(mail=thu@vpcp.gov.vn)")).map((e) => e.dn)).to.deep.equal([keyed]);
      await run("ldapmodrdn", ["-x", "-H", slapd.url, "-D", slapd.rootDn, "-w", slapd.rootPw, "-r", keyed, `uid=${legacyId(IDENTITY)}`]);
      const legacy = personDn(legacyId(IDENTITY));
      expect((await entriesOf("(mail=thu@vpcp.gov.vn)")).map((e) => e.dn)).to.deep.equal([legacy]);

      const report = await svc.services.directory.reconcile(svc.services.db);
      const after = await entriesOf("(mail=thu@vpcp.gov.vn)");
      expect(after.map((e) => e.dn)).to.deep.equal([keyed]);
      expect(after[0].attrs.uid).to.deep.equal([personId(IDENTITY, svc.services.directory.personKey)]);
      expect((after[0].attrs["userCertificate;binary"][0] as Buffer).equals(c.der)).to.equal(true);
      expect(await entriesOf(`(uid=${legacyId(IDENTITY)})`)).to.deep.equal([]);
      const row = await svc.services.db("audit_log").where({ action: "directory.repaired" }).first();
      expect(JSON.parse(row.details)).to.include({ what: "person_entries", added: 1, removed: 1 });
      // Person entries are repaired; what is left (e.g. CA entries never published here) is other drift.
      const left = await svc.services.directory.diff(svc.services.db);
      expect(left.filter((d) => d.dn.includes("ou=people"))).to.deep.equal([]);
      expect(report.drift).to.equal(left.length);
    });

    it("`directory resync` moves entries when the key changes: old DN removed, new added", async () => {
      const oldKey = svc!.services.directory.personKey;
      const oldDn = personDn(personId(IDENTITY, oldKey));
      const newKey = "một khóa khác được cấu hình cho mọi nút, 0123456789";
      const newDn = personDn(personId(IDENTITY, Buffer.from(newKey, "utf8")));
      const cliEnv = { ...process.env, DATA_DIR: dir, LOG_LEVEL: "silent", CA_PASSPHRASE: "test-passphrase-123", ...env, DIRECTORY_RDN_KEY: newKey };
      const cli = path.resolve(__dirname, "../../bin/chungthu.js");
      let dry = "";
      try {
        await run(process.execPath, [cli, "directory", "resync", "--dry-run"], { env: cliEnv });
      } catch (err: any) {
        dry = err.stdout;
        expect(err.code).to.equal(2);
      }
      expect(dry).to.include(`+ dn: ${newDn}`).and.include(`- dn: ${oldDn}`);
      await run(process.execPath, [cli, "directory", "resync"], { env: cliEnv });
      const after = await entriesOf("(mail=thu@vpcp.gov.vn)");
      expect(after.map((e) => e.dn)).to.deep.equal([newDn]);
      expect(after[0].attrs["userCertificate;binary"]).to.have.length(1);
      const rows = await svc!.services.db("audit_log").where({ action: "directory.resync" }).orderBy("seq");
      expect(rows.map((r) => JSON.parse(r.details).outcome)).to.deep.equal(["dry_run", "applied"]);
      // The run also adds what this test never published (the CA entries): counts as in the printed diff.
      const printed = (mark: string) => dry.split("\n").filter((l) => l.startsWith(`${mark} dn: `)).length;
      expect(JSON.parse(rows[1].details)).to.include({ added: printed("+"), removed: 1 });
      expect((await verifyChain(svc!.services.db)).ok).to.equal(true);
    });
  });
});
