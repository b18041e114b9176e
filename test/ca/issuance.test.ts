import { expect } from "chai";
import fs from "node:fs";
import path from "node:path";
import { startTestService, type TestService } from "../support/service";
import { requirePeer, hasCommand } from "../support/peers";
import { openssl, opensslStatus, tmpDir } from "./openssl";

const person = {
  commonName: "Nguyễn Thị Hồng Nhung",
  organization: "Sở Tài chính tỉnh Quảng Nam",
  organizationalUnit: "Phòng Quản lý ngân sách",
  title: "Phó Trưởng phòng",
  locality: "Thành phố Tam Kỳ",
  province: "Quảng Nam",
  identity: { type: "CCCD", number: "049185001234" },
  email: "nhungnth@quangnam.gov.vn",
};

describe("certificate issuance", function () {
  let svc: TestService;
  let op: string;
  let clerk: string;
  let dir: string;
  let rootPem: string;
  let issuingPem: string;

  const post = async (p: string, json: unknown, token = op) => svc.request("POST", p, { token, json });
  const pemFile = (name: string, pem: string) => {
    const f = path.join(dir, name);
    fs.writeFileSync(f, pem);
    return f;
  };
  const verify = (leafPem: string) =>
    openssl(["verify", "-CAfile", path.join(dir, "root.pem"), "-untrusted", path.join(dir, "issuing.pem"), pemFile(`leaf-${Math.random()}.pem`, leafPem)]);
  const text = (pem: string) => openssl(["x509", "-noout", "-text", "-nameopt", "utf8,sep_comma_plus_space"], pem);

  before(async function () {
    requirePeer(this, "openssl", hasCommand("openssl"), "apt-get install openssl");
    svc = await startTestService({ PUBLIC_BASE_URL: "https://ca.example.gov.vn", LDAP_PORT: "off", LDAP_URL: "ldap://ldap.example.gov.vn:389" });
    op = await svc.userWithRoles("operator1", ["ca_operator"]);
    clerk = await svc.userWithRoles("clerk1", ["clerk"]);
    dir = tmpDir();
    const { items } = (await (await svc.request("GET", "/api/ca", { token: op })).json()) as { items: { name: string; role: string; isIssuing: boolean }[] };
    const root = items.find((c) => c.role === "root")!.name;
    const iss = items.find((c) => c.isIssuing)!.name;
    rootPem = await (await svc.request("GET", `/ca/${root}.pem`)).text();
    issuingPem = await (await svc.request("GET", `/ca/${iss}.pem`)).text();
    pemFile("root.pem", rootPem);
    pemFile("issuing.pem", issuingPem);
    openssl(["req", "-new", "-newkey", "rsa:2048", "-nodes", "-keyout", path.join(dir, "rsa.key"), "-out", path.join(dir, "rsa.csr"), "-subj", "/CN=ignored"]);
    openssl(["req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", path.join(dir, "ec.key"), "-out", path.join(dir, "ec.csr"), "-subj", "/CN=ignored"]);
    openssl(["req", "-new", "-newkey", "rsa:1024", "-nodes", "-keyout", path.join(dir, "weak.key"), "-out", path.join(dir, "weak.csr"), "-subj", "/CN=weak"]);
  });
  after(async () => svc?.stop());

  const csr = (name: string) => fs.readFileSync(path.join(dir, name), "utf8");

  it("issues from an openssl RSA-2048 CSR; openssl verifies the chain and reads the profile", async () => {
    const r = await post("/api/certificates", { profile: "individual", subject: person, csr: csr("rsa.csr") });
    expect(r.status, await r.clone().text()).to.equal(201);
    const body = (await r.json()) as { serial: string; pem: string; pkcs12?: string };
    expect(body.serial).to.match(/^[1-9a-f][0-9a-f]{31}$/);
    expect(body.pkcs12).to.equal(undefined);
    expect(verify(body.pem)).to.match(/: OK/);
    const t = text(body.pem);
    expect(t).to.include("Subject: C=VN, ST=Quảng Nam, L=Thành phố Tam Kỳ, O=Sở Tài chính tỉnh Quảng Nam, OU=Phòng Quản lý ngân sách, title=Phó Trưởng phòng, CN=Nguyễn Thị Hồng Nhung, UID=CCCD:049185001234");
    expect(t).to.match(/X509v3 Key Usage: critical\s+Digital Signature, Non Repudiation\n/);
    expect(t).to.match(/X509v3 Extended Key Usage:\s+E-mail Protection, TLS Web Client Authentication, Microsoft Encrypted File System|X509v3 Extended Key Usage:\s+E-mail Protection, TLS Web Client Authentication, 1\.3\.6\.1\.4\.1\.311\.10\.3\.12/);
    expect(t).to.match(/X509v3 Basic Constraints: critical\s+CA:FALSE/);
    expect(t).to.include("X509v3 Subject Key Identifier");
    expect(t).to.include("X509v3 Authority Key Identifier");
    expect(t).to.include("Policy: 2.16.704.1.2.1.1.1");
    expect(t).to.match(/URI:https:\/\/ca\.example\.gov\.vn\/crl\/dev-issuing\.crl/);
    expect(t).to.include("URI:ldap://ldap.example.gov.vn:389/cn=dev-issuing,o=Ban%20Co%20yeu%20Chinh%20phu,c=VN?certificateRevocationList;binary");
    expect(t).to.include("OCSP - URI:https://ca.example.gov.vn/ocsp");
    expect(t).to.include("CA Issuers - URI:https://ca.example.gov.vn/ca/dev-issuing.crt");
    expect(t).to.include("email:nhungnth@quangnam.gov.vn");
    // Every DirectoryString is UTF8String, the country PrintableString.
    const asn = openssl(["asn1parse"], body.pem);
    expect(asn).to.match(/PRINTABLESTRING\s+:VN/);
    expect(asn).to.match(/UTF8STRING\s+:Nguy/);
  });

  it("issues from an openssl EC P-256 CSR (device profile, SANs)", async () => {
    const r = await post("/api/certificates", {
      profile: "device", usage: "server",
      subject: { commonName: "dichvucong.quangnam.gov.vn", organization: "Sở Thông tin và Truyền thông tỉnh Quảng Nam", dnsNames: ["dichvucong.quangnam.gov.vn"], ipAddresses: ["10.1.2.3", "2001:db8::1"] },
      csr: csr("ec.csr"),
    });
    expect(r.status, await r.clone().text()).to.equal(201);
    const { pem } = (await r.json()) as { pem: string };
    expect(verify(pem)).to.match(/: OK/);
    const t = text(pem);
    expect(t).to.include("DNS:dichvucong.quangnam.gov.vn, IP Address:10.1.2.3, IP Address:2001:DB8:0:0:0:0:0:1");
    expect(t).to.match(/Extended Key Usage:\s+TLS Web Server Authentication\n/);
    expect(t).to.match(/Key Usage: critical\s+Digital Signature\n/);
    const chain = path.join(dir, "chain.pem");
    fs.writeFileSync(chain, issuingPem + rootPem);
    expect(openssl(["verify", "-purpose", "sslserver", "-CAfile", path.join(dir, "root.pem"), "-untrusted", path.join(dir, "issuing.pem"), pemFile("dev.pem", pem)])).to.match(/OK/);
  });

  it("generates the key on the server and delivers it once as a PKCS#12 openssl opens with the password only", async () => {
    const password = "Mật-khẩu-tạm-2026";
    const r = await post("/api/certificates", { profile: "individual", subject: { ...person, commonName: "Trần Văn Bình", identity: { type: "CMND", number: "201234567" } }, keyGeneration: "server", pkcs12Password: password });
    expect(r.status, await r.clone().text()).to.equal(201);
    const body = (await r.json()) as { serial: string; pem: string; pkcs12: string };
    expect(r.headers.get("cache-control")).to.equal("no-store");
    const p12 = path.join(dir, "k.p12");
    fs.writeFileSync(p12, Buffer.from(body.pkcs12, "base64"));
    const info = opensslStatus(["pkcs12", "-info", "-in", p12, "-passin", `pass:${password}`, "-nodes"]);
    expect(info.status, info.stderr).to.equal(0);
    expect(info.stderr + info.stdout).to.include("PBES2, PBKDF2, AES-256-CBC");
    expect(info.stderr + info.stdout).to.include("MAC: sha256");
    expect(info.stdout).to.include("BEGIN PRIVATE KEY");
    expect(info.stdout.match(/BEGIN CERTIFICATE/g)).to.have.length(3);
    // The key in the file is the key of the certificate.
    const keyPem = info.stdout.slice(info.stdout.indexOf("-----BEGIN PRIVATE KEY"), info.stdout.indexOf("-----END PRIVATE KEY") + 25);
    const pubFromKey = openssl(["pkey", "-pubout"], keyPem);
    const pubFromCert = openssl(["x509", "-noout", "-pubkey"], body.pem);
    expect(pubFromKey).to.equal(pubFromCert);
    const wrong = opensslStatus(["pkcs12", "-info", "-in", p12, "-passin", "pass:sai-mat-khau", "-nodes"]);
    expect(wrong.status).to.not.equal(0);
    // The key was not kept: nothing of it in the database.
    const der = Buffer.from(keyPem.replace(/-----[A-Z ]+-----|\s/g, ""), "base64");
    const rows = await svc.services.db("certificates").select("der", "tbs", "subject_json");
    for (const row of rows) expect(row.der ? Buffer.from(row.der).includes(der.subarray(-64)) : false).to.equal(false);
  });

  it("refuses a tampered CSR, an RSA-1024 CSR and garbage with a Vietnamese 4xx", async () => {
    const good = csr("rsa.csr");
    const der = Buffer.from(good.replace(/-----[A-Z ]+-----|\s/g, ""), "base64");
    // Change one byte inside the subject (CN=ignored → CN=ignorEd): the signature no longer matches.
    const at = der.indexOf(Buffer.from("ignored"));
    der[at + 5] = "E".charCodeAt(0);
    const tampered = `-----BEGIN CERTIFICATE REQUEST-----\n${der.toString("base64").replace(/(.{64})/g, "$1\n")}\n-----END CERTIFICATE REQUEST-----\n`;
    const cases: [string, string][] = [
      [tampered, "csr_signature_invalid"],
      [csr("weak.csr"), "weak_key"],
      ["xin chào, đây không phải CSR", "csr_invalid"],
      ["-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----\n", "csr_invalid"],
      [issuingPem, "csr_invalid"],
    ];
    for (const [c, code] of cases) {
      const r = await post("/api/certificates", { profile: "individual", subject: person, csr: c });
      expect(r.status, code).to.equal(400);
      const e = ((await r.json()) as { error: { code: string; message: string } }).error;
      expect(e.code).to.equal(code);
      expect(e.message).to.match(/[ạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹđ]/);
    }
  });

  it("refuses a subject the profile does not allow, and a caller without the role", async () => {
    const r = await post("/api/certificates", { profile: "individual", subject: { ...person, identity: { type: "MST", number: "0101234567" } }, csr: csr("rsa.csr") });
    expect(r.status).to.equal(400);
    expect(((await r.json()) as { error: { code: string } }).error.code).to.equal("identity_type_not_allowed");
    const f = await post("/api/certificates", { profile: "individual", subject: person, csr: csr("rsa.csr") }, clerk);
    expect(f.status).to.equal(403);
    const v = await post("/api/certificates", { profile: "individual", subject: person, csr: csr("rsa.csr"), validityYears: 6 });
    expect(v.status).to.equal(400);
  });

  it("issues 200 certificates in parallel with 200 distinct serials", async () => {
    const reqs = Array.from({ length: 200 }, (_, i) =>
      post("/api/certificates", { profile: "individual", subject: { ...person, commonName: `Người thứ ${i}` }, csr: csr(i % 2 ? "ec.csr" : "rsa.csr") }),
    );
    const res = await Promise.all(reqs);
    const serials = await Promise.all(res.map(async (r) => {
      expect(r.status).to.equal(201);
      return ((await r.json()) as { serial: string }).serial;
    }));
    expect(new Set(serials).size).to.equal(200);
    const rows = await svc.services.db("certificates").whereIn("serial", serials).select("status");
    expect(rows.filter((r) => r.status === "issued")).to.have.length(200);
  });

  it("serves a certificate publicly by serial in any case, with colons, as DER and PEM", async () => {
    const r = await post("/api/certificates", { profile: "individual", subject: person, csr: csr("rsa.csr") });
    const { serial, pem } = (await r.json()) as { serial: string; pem: string };
    const colons = serial.toUpperCase().match(/../g)!.join(":");
    const d = await svc.request("GET", `/certificates/${colons}`);
    expect(d.status).to.equal(200);
    expect(d.headers.get("content-type")).to.equal("application/pkix-cert");
    expect(d.headers.get("cache-control")).to.match(/max-age/);
    const der = Buffer.from(await d.arrayBuffer());
    expect(openssl(["x509", "-inform", "DER", "-noout", "-serial"], der).trim()).to.equal(`serial=${serial.toUpperCase()}`);
    const p = await svc.request("GET", `/certificates/${serial}.pem`);
    expect(await p.text()).to.equal(pem);
    expect((await svc.request("GET", "/certificates/zz-not-hex")).status).to.equal(400);
    expect((await svc.request("GET", "/certificates/abcdef0123")).status).to.equal(404);
  });

  it("revokes with a reason and invalidity date, queues unpublish and CRL jobs, and refuses a second revocation", async () => {
    const { serial } = (await (await post("/api/certificates", { profile: "individual", subject: person, csr: csr("rsa.csr") })).json()) as { serial: string };
    const inv = new Date(Date.now() - 3600_000).toISOString();
    const r = await post(`/api/certificates/${serial}/revoke`, { reason: "keyCompromise", invalidityDate: inv, comment: "Mất thiết bị" });
    expect(r.status, await r.clone().text()).to.equal(200);
    const body = (await r.json()) as { status: string; revocationReason: string; revokedAt: string; invalidityDate: string };
    expect(body.status).to.equal("revoked");
    expect(body.revocationReason).to.equal("keyCompromise");
    expect(body.invalidityDate).to.equal(inv);
    const jobs = await svc.services.db("outbox").select("kind", "payload");
    expect(jobs.some((j) => j.kind === "directory.unpublish" && JSON.parse(j.payload).serial === serial)).to.equal(true);
    expect(jobs.some((j) => j.kind === "crl.regenerate" && JSON.parse(j.payload).ca === "dev-issuing")).to.equal(true);
    const again = await post(`/api/certificates/${serial}/revoke`, { reason: "superseded" });
    expect(again.status).to.equal(409);
    const bad = await post(`/api/certificates/${serial}/revoke`, { reason: "broken" });
    expect(bad.status).to.equal(400);
  });

  it("puts a certificate on hold and releases it with removeFromCRL", async () => {
    const { serial } = (await (await post("/api/certificates", { profile: "individual", subject: person, csr: csr("rsa.csr") })).json()) as { serial: string };
    expect((await post(`/api/certificates/${serial}/revoke`, { reason: "certificateHold" })).status).to.equal(200);
    const r = await post(`/api/certificates/${serial}/revoke`, { reason: "removeFromCRL" });
    expect(((await r.json()) as { status: string }).status).to.equal("issued");
    // Revoked again after the release: new directory and CRL jobs (not swallowed by the first ones' dedupe keys).
    expect((await post(`/api/certificates/${serial}/revoke`, { reason: "keyCompromise" })).status).to.equal(200);
    const jobs = await svc.services.db("outbox").where({ kind: "directory.unpublish" }).select("payload");
    expect(jobs.filter((j) => JSON.parse(j.payload).serial === serial)).to.have.length(2);
  });

  it("renews with the same key (adds at most 3 years) and links the two certificates", async () => {
    const first = (await (await post("/api/certificates", { profile: "individual", subject: person, csr: csr("rsa.csr"), validityYears: 1 })).json()) as { serial: string; notAfter: string; pem: string };
    const r = await post(`/api/certificates/${first.serial}/renew`, { years: 3 });
    expect(r.status, await r.clone().text()).to.equal(201);
    const renewed = (await r.json()) as { serial: string; notAfter: string; pem: string };
    const expected = new Date(first.notAfter);
    expected.setUTCFullYear(expected.getUTCFullYear() + 3);
    expect(renewed.notAfter).to.equal(expected.toISOString());
    expect(openssl(["x509", "-noout", "-pubkey"], renewed.pem)).to.equal(openssl(["x509", "-noout", "-pubkey"], first.pem));
    expect(verify(renewed.pem)).to.match(/OK/);
    const old = (await (await svc.request("GET", `/api/certificates/${first.serial}`, { token: clerk })).json()) as { replacedBy: string; status: string };
    expect(old.replacedBy).to.equal(renewed.serial);
    expect(old.status).to.equal("issued");
    expect((await post(`/api/certificates/${renewed.serial}/renew`, { years: 4 })).status).to.equal(400);
    const twice = await post(`/api/certificates/${first.serial}/renew`, {});
    expect(twice.status).to.equal(409);
    expect(((await twice.json()) as { error: { code: string } }).error.code).to.equal("already_replaced");
  });

  it("changes information: new subject, old certificate revoked as affiliationChanged", async () => {
    const first = (await (await post("/api/certificates", { profile: "individual", subject: person, csr: csr("ec.csr") })).json()) as { serial: string; notAfter: string };
    const r = await post(`/api/certificates/${first.serial}/change`, { changes: { organization: "Sở Nội vụ tỉnh Quảng Nam", title: "Trưởng phòng" }, reason: "affiliationChanged" });
    expect(r.status, await r.clone().text()).to.equal(201);
    const changed = (await r.json()) as { serial: string; pem: string; notAfter: string };
    expect(changed.notAfter).to.equal(first.notAfter);
    expect(text(changed.pem)).to.include("O=Sở Nội vụ tỉnh Quảng Nam, OU=Phòng Quản lý ngân sách, title=Trưởng phòng, CN=Nguyễn Thị Hồng Nhung");
    const old = (await (await svc.request("GET", `/api/certificates/${first.serial}`, { token: op })).json()) as { status: string; revocationReason: string; replacedBy: string };
    expect(old).to.include({ status: "revoked", revocationReason: "affiliationChanged", replacedBy: changed.serial });
    const neu = (await (await svc.request("GET", `/api/certificates/${changed.serial}`, { token: op })).json()) as { replaces: string };
    expect(neu.replaces).to.equal(first.serial);
  });

  it("searches by unaccented name, identity number, status and expiry window, paginated", async () => {
    const byName = (await (await svc.request("GET", "/api/certificates?q=hong%20nhung&limit=5", { token: clerk })).json()) as { items: unknown[]; total: number };
    expect(byName.items).to.have.length(5);
    expect(byName.total).to.be.greaterThan(5);
    const byUid = (await (await svc.request("GET", "/api/certificates?uid=201234567", { token: clerk })).json()) as { items: { uid: string }[] };
    expect(byUid.items.map((i) => i.uid)).to.deep.equal(["CMND:201234567"]);
    const revoked = (await (await svc.request("GET", "/api/certificates?status=revoked", { token: clerk })).json()) as { items: { status: string }[] };
    expect(revoked.items.length).to.be.greaterThan(0);
    expect(revoked.items.every((i) => i.status === "revoked")).to.equal(true);
    const soon = (await (await svc.request("GET", "/api/certificates?expiringWithinDays=400", { token: clerk })).json()) as { items: { notAfter: string }[] };
    expect(soon.items.length).to.be.greaterThan(0);
    expect(soon.items.every((i) => Date.parse(i.notAfter) < Date.now() + 400 * 86400_000)).to.equal(true);
  });
});
