import { execFile } from "node:child_process";
import { expect } from "chai";
import { Client } from "ldapts";
import { hasCommand, requirePeer } from "../support/peers";
import { startTestService, type TestService } from "../support/service";
import { ldapsearch, parseLdif } from "../support/slapd";
import { createTestCa, issueTestCertificate, storeTestCrl, type TestCa } from "../support/certificates";
import { schedulePublish, schedulePublishCrl, scheduleUnpublish } from "../../src/directory/schedule";
import { personId } from "../../src/directory/dit";

const BASE = "o=Ban Co yeu Chinh phu,c=VN";

function ldapTool(tool: string, url: string, args: string[], input = ""): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve) => {
    const p = execFile(tool, ["-x", "-H", url, ...args], (err, _o, stderr) =>
      resolve({ code: err ? (typeof (err as any).code === "number" ? (err as any).code : -1) : 0, stderr }));
    p.stdin!.end(input);
  });
}

describe("embedded LDAP directory", function () {
  let svc: TestService;
  let ca: TestCa;
  let url: string;
  const people: Record<string, { serial: string; der: Buffer }> = {};

  before(async function () {
    requirePeer(this, "ldap-utils", hasCommand("ldapsearch"), "apt-get install ldap-utils");
    svc = await startTestService({ LDAP_PORT: "0" });
    url = svc.services.directoryServer!.url;
    const db = svc.services.db;
    ca = await createTestCa(db);
    people.an = await issueTestCertificate(db, ca, { cn: "Nguyễn Văn An", uid: "CCCD:001080000001", email: "an@vpcp.gov.vn", title: "Chuyên viên", ou: "Vụ Pháp chế" });
    people.an2 = await issueTestCertificate(db, ca, { cn: "Nguyễn Văn An", uid: "CCCD:001080000001", email: "an@vpcp.gov.vn", title: "Chuyên viên", ou: "Vụ Pháp chế" });
    people.binh = await issueTestCertificate(db, ca, { cn: "Trần Thị Bình", uid: "CCCD:001080000002", email: "binh@vpcp.gov.vn", title: "Vụ trưởng" });
    people.cuong = await issueTestCertificate(db, ca, { cn: "Lê Cường", uid: "CCCD:079090000003", email: "cuong@mof.gov.vn", o: "Bộ Tài chính", st: "Hà Nội" });
    people.gate = await issueTestCertificate(db, ca, { cn: "Cổng dịch vụ công, máy chủ 1", profile: "device", o: "Bộ Tài chính", serialNumber: "SRV-0001" });
    people.hidden = await issueTestCertificate(db, ca, { cn: "Đỗ Chưa Giao", uid: "CCCD:001080000009", handedOver: false });
    await db.transaction(async (trx) => {
      for (const p of Object.values(people)) await schedulePublish(trx, p.serial);
      await schedulePublishCrl(trx, ca.name);
    });
    await svc.drainOutbox();
  });
  after(async () => svc?.stop());

  const search = async (filter: string, attrs: string[] = ["dn"], extra: string[] = [], base = BASE) => {
    const r = await ldapsearch(url, base, filter, attrs, extra);
    if (r.code !== 0) throw new Error(`ldapsearch ${r.code}: ${r.stderr}`);
    return parseLdif(r.stdout);
  };
  const dns = async (filter: string, extra: string[] = [], base = BASE) => (await search(filter, ["1.1"], extra, base)).map((e) => e.dn).sort();

  it("answers the root DSE with the naming context and LDAPv3", async () => {
    const [dse] = await search("(objectClass=*)", ["*", "+"], ["-s", "base"], "");
    expect(dse.dn).to.equal("");
    expect(dse.attrs.namingContexts).to.deep.equal([BASE]);
    expect(dse.attrs.supportedLDAPVersion).to.deep.equal(["3"]);
  });

  it("finds a person by mail, uid and cn (case-insensitive, UTF-8), with every valid certificate byte for byte", async () => {
    const byMail = await search("(mail=AN@vpcp.gov.vn)", ["userCertificate;binary", "cn", "sn", "givenName", "uid"]);
    expect(byMail).to.have.length(1);
    expect(byMail[0].dn).to.equal(`uid=${personId("CCCD:001080000001", svc.services.directory.personKey)},ou=people,ou=Văn phòng Chính phủ,${BASE}`);
    expect(byMail[0].attrs.sn).to.deep.equal(["Nguyễn"]);
    expect(byMail[0].attrs.givenName).to.deep.equal(["An"]);
    const certs = byMail[0].attrs["userCertificate;binary"] as Buffer[];
    expect(certs.map((c) => c.toString("hex")).sort()).to.deep.equal([people.an.der, people.an2.der].map((c) => c.toString("hex")).sort());
    expect(await dns(`(uid=${personId("CCCD:001080000001", svc.services.directory.personKey)})`)).to.deep.equal([byMail[0].dn]);
    // The identity number is not an attribute of the entry: nobody finds a person by guessing it.
    expect(await dns("(uid=CCCD:001080000001)")).to.deep.equal([]);
    expect(byMail[0].attrs.uid).to.deep.equal([personId("CCCD:001080000001", svc.services.directory.personKey)]);
    expect(await dns("(cn=nguyễn văn an)")).to.deep.equal([byMail[0].dn]);
    // Asking for the attribute without the ;binary option returns it too.
    const plain = await search("(mail=an@vpcp.gov.vn)", ["userCertificate"]);
    expect(plain[0].attrs["userCertificate;binary"]).to.have.length(2);
  });

  it("never shows a certificate that was not handed over", async () => {
    expect(await dns(`(uid=${personId("CCCD:001080000009", svc.services.directory.personKey)})`)).to.deep.equal([]);
  });

  it("supports base, one-level and subtree scopes", async () => {
    const agency = `ou=Bộ Tài chính,${BASE}`;
    expect(await dns("(objectClass=*)", ["-s", "base"], agency)).to.deep.equal([agency]);
    expect(await dns("(objectClass=*)", ["-s", "one"], agency)).to.deep.equal([`ou=devices,${agency}`, `ou=people,${agency}`]);
    const sub = await dns("(objectClass=pkiUser)", ["-s", "sub"], agency);
    expect(sub).to.have.length(2);
    expect(await dns("(objectClass=*)", ["-s", "one"])).to.include.members([`ou=CAs,${BASE}`, `ou=Văn phòng Chính phủ,${BASE}`, agency]);
  });

  it("supports presence, substring, and/or/not filters", async () => {
    expect(await dns("(userCertificate=*)")).to.have.length(4);
    expect((await search("(cn=*dịch vụ*)", ["cn", "serialNumber"]))[0].attrs).to.deep.include({ serialNumber: ["SRV-0001"] });
    expect(await dns("(sn=Nguy*)")).to.have.length(1);
    expect(await dns("(mail=*@vpcp.gov.vn)")).to.have.length(2);
    expect(await dns("(&(objectClass=inetOrgPerson)(|(mail=an@vpcp.gov.vn)(mail=cuong@mof.gov.vn)))")).to.have.length(2);
    expect(await dns("(&(objectClass=inetOrgPerson)(!(o=Văn phòng Chính phủ)))")).to.deep.equal([`uid=${personId("CCCD:079090000003", svc.services.directory.personKey)},ou=people,ou=Bộ Tài chính,${BASE}`]);
    expect(await dns("(|(title=Vụ trưởng)(serialNumber=SRV-0001))")).to.have.length(2);
    // Filter metacharacters are data, never syntax.
    expect(await dns("(cn=*\\29\\28\\2a*)")).to.deep.equal([]);
  });

  it("returns only the attributes asked for, none for 1.1", async () => {
    const [e] = await search("(mail=binh@vpcp.gov.vn)", ["MAIL", "title"]);
    expect(Object.keys(e.attrs).sort()).to.deep.equal(["mail", "title"]);
    const [n] = await search("(mail=binh@vpcp.gov.vn)", ["1.1"]);
    expect(n.attrs).to.deep.equal({});
  });

  it("publishes the CA certificate and the CRL as stored", async () => {
    const crl = await storeTestCrl(svc.services.db, ca, [people.an.serial], { number: 7 });
    await svc.services.db.transaction((trx) => schedulePublishCrl(trx, ca.name));
    await svc.drainOutbox();
    const [e] = await search("(&(objectClass=pkiCA)(cn=Cơ quan chứng thực thử nghiệm))", ["cACertificate;binary", "certificateRevocationList;binary"]);
    expect((e.attrs["cACertificate;binary"][0] as Buffer).equals(Buffer.from(ca.cert.rawData))).to.equal(true);
    expect((e.attrs["certificateRevocationList;binary"][0] as Buffer).equals(crl)).to.equal(true);
  });

  it("removes exactly the revoked certificate from its holder", async () => {
    await svc.services.db("certificates").where({ serial: people.an.serial }).update({ status: "revoked", revoked_at: new Date().toISOString() });
    await svc.services.db.transaction((trx) => scheduleUnpublish(trx, people.an.serial));
    await svc.drainOutbox();
    const [e] = await search("(mail=an@vpcp.gov.vn)", ["userCertificate;binary"]);
    expect(e.attrs["userCertificate;binary"]).to.have.length(1);
    expect((e.attrs["userCertificate;binary"][0] as Buffer).equals(people.an2.der)).to.equal(true);
  });

  it("enforces the size limit with sizeLimitExceeded (4) and answers noSuchObject (32) with the matched DN", async () => {
    const r = await ldapsearch(url, BASE, "(objectClass=*)", ["1.1"], ["-z", "2"]);
    expect(r.code).to.equal(4);
    expect(parseLdif(r.stdout)).to.have.length(2);
    const missing = await ldapsearch(url, `ou=Không có,${BASE}`, "(objectClass=*)", ["1.1"]);
    expect(missing.code).to.equal(32);
    expect(missing.stderr).to.include(`Matched DN: ${BASE}`);
    const invalid = await ldapsearch(url, "không phải DN", "(objectClass=*)", ["1.1"]);
    expect(invalid.code).to.equal(34);
  });

  it("refuses writes and non-anonymous binds", async () => {
    const add = await ldapTool("ldapadd", url, [], `dn: cn=x,${BASE}\nobjectClass: device\ncn: x\n`);
    expect(add.code).to.equal(50);
    const mod = await ldapTool("ldapmodify", url, [], `dn: ou=CAs,${BASE}\nchangetype: modify\nadd: description\ndescription: x\n`);
    expect(mod.code).to.equal(50);
    expect((await ldapTool("ldapdelete", url, [`ou=CAs,${BASE}`])).code).to.equal(50);
    expect((await ldapTool("ldapmodrdn", url, [`ou=CAs,${BASE}`, "ou=X"])).code).to.equal(50);
    const bind = await ldapsearch(url, BASE, "(objectClass=*)", ["1.1"], ["-D", `cn=admin,${BASE}`, "-w", "secret"]);
    expect(bind.code).to.equal(48);
    // Still served afterwards.
    expect(await dns("(mail=binh@vpcp.gov.vn)")).to.have.length(1);
  });

  it("answers 50 ldapsearch processes at once, each correctly", async () => {
    const mails = ["an@vpcp.gov.vn", "binh@vpcp.gov.vn", "cuong@mof.gov.vn"];
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => search(`(mail=${mails[i % 3]})`, ["mail"])));
    results.forEach((r, i) => expect(r.map((e) => e.attrs.mail[0])).to.deep.equal([mails[i % 3]]));
  });

  it("answers an ldapts client with 16 searches in flight, and one at a time", async () => {
    const client = new Client({ url });
    try {
      await client.bind("", "");
      for (let i = 0; i < 20; i++) {
        const { searchEntries } = await client.search(BASE, { filter: "(mail=binh@vpcp.gov.vn)", attributes: ["cn"] });
        expect(searchEntries.map((e) => e.cn)).to.deep.equal(["Trần Thị Bình"]);
      }
      const batch = await Promise.all(Array.from({ length: 16 }, (_, i) =>
        client.search(BASE, { filter: i % 2 ? "(mail=cuong@mof.gov.vn)" : "(cn=Trần Thị Bình)", attributes: ["mail"] })));
      batch.forEach((r, i) => expect(r.searchEntries.map((e) => e.mail)).to.deep.equal([i % 2 ? "cuong@mof.gov.vn" : "binh@vpcp.gov.vn"]));
    } finally {
      await client.unbind();
    }
  });

  it("survives garbage and truncated messages on the wire", async () => {
    const net = await import("node:net");
    const { port } = svc.services.directoryServer!;
    const garbage = [
      Buffer.from([0x30, 0x84, 0xff, 0xff, 0xff, 0xff]), // absurd length
      Buffer.from([0x30, 0x05, 0x02, 0x01, 0x01, 0x63]), // truncated search
      Buffer.from("GET / HTTP/1.1\r\n\r\n"),
      Buffer.from(Array.from({ length: 512 }, (_, i) => (i * 131 + 7) & 0xff)),
    ];
    for (const g of garbage) {
      await new Promise<void>((resolve) => {
        const sock = net.connect(port, "127.0.0.1", () => sock.end(g));
        sock.on("error", () => resolve());
        sock.on("close", () => resolve());
        sock.resume();
        setTimeout(() => { sock.destroy(); resolve(); }, 500);
      });
    }
    expect(await dns("(mail=binh@vpcp.gov.vn)")).to.have.length(1);
  });

  it("survives 400 mutated search requests (fixed seed)", async () => {
    const net = await import("node:net");
    const { port } = svc.services.directoryServer!;
    // A valid search request: (&(mail=a@b.vn)(cn=*x*)(!(uid=1))) under the base, attributes cn and userCertificate;binary.
    const valid = Buffer.from("30780201016373041b6f3d42616e20436f20796575204368696e68207068752c633d564e0a01020a0100020100020100010100a027a30e04046d61696c04066140622e766ea4090402636e3003810178a20aa3080403756964040131301c0402636e04167573657243657274696669636174653b62696e617279", "hex");
    let seed = 20261125;
    const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    const batch: Buffer[] = [];
    for (let i = 0; i < 400; i++) {
      const b = Buffer.from(valid);
      const flips = 1 + Math.floor(rand() * 4);
      for (let k = 0; k < flips; k++) b[Math.floor(rand() * b.length)] = Math.floor(rand() * 256);
      batch.push(rand() < 0.2 ? b.subarray(0, Math.floor(rand() * b.length)) : b);
    }
    for (let i = 0; i < batch.length; i += 20) {
      await Promise.all(batch.slice(i, i + 20).map((msg) => new Promise<void>((resolve) => {
        const sock = net.connect(port, "127.0.0.1", () => sock.end(msg));
        const done = () => { clearTimeout(t); sock.destroy(); resolve(); };
        const t = setTimeout(done, 300);
        sock.on("error", done);
        sock.on("close", done);
        sock.resume();
      })));
    }
    expect(await dns("(mail=binh@vpcp.gov.vn)")).to.have.length(1);
  });

  it("reports itself in /healthz", async () => {
    const health = (await (await svc.request("GET", "/healthz")).json()) as any;
    expect(health.checks.directory).to.include({ status: "ok", mode: "embedded", url });
    expect(health.checks.directory.entries).to.be.greaterThan(5);
  });
});
