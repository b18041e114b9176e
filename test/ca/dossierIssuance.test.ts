import { expect } from "chai";
import fs from "node:fs";
import path from "node:path";
import { startTestService, type TestService } from "../support/service";
import { requirePeer, hasCommand } from "../support/peers";
import { sampleDossier } from "../support/dossiers";
import { openssl, opensslStatus, tmpDir } from "./openssl";

describe("issuance for an accepted dossier", () => {
  let svc: TestService;
  let clerk: string;
  let reviewer: string;
  let op: string;
  let dir: string;

  const json = async (r: Response) => {
    const t = await r.text();
    return t ? JSON.parse(t) : undefined;
  };
  async function acceptedDossier(kind: string, n: number): Promise<string> {
    const c = await svc.request("POST", "/api/requests", { token: clerk, json: sampleDossier(kind, n) });
    expect(c.status, await c.clone().text()).to.equal(201);
    const { id } = await json(c);
    expect((await svc.request("POST", `/api/requests/${id}/submit`, { token: clerk, json: {} })).status).to.equal(200);
    expect((await svc.request("POST", `/api/requests/${id}/review`, { token: reviewer, json: { action: "start" } })).status).to.equal(200);
    const a = await svc.request("POST", `/api/requests/${id}/review`, { token: reviewer, json: { action: "accept" } });
    expect(a.status, await a.clone().text()).to.equal(200);
    return id;
  }
  const status = async (id: string) => (await json(await svc.request("GET", `/api/requests/${id}`, { token: op }))).status;

  before(async function () {
    requirePeer(this, "openssl", hasCommand("openssl"), "apt-get install openssl");
    svc = await startTestService();
    clerk = await svc.userWithRoles("clerk-ca", ["clerk"]);
    reviewer = await svc.userWithRoles("reviewer-ca", ["reviewer"]);
    op = await svc.userWithRoles("operator-ca", ["ca_operator"]);
    dir = tmpDir();
    openssl(["req", "-new", "-newkey", "rsa:2048", "-nodes", "-keyout", path.join(dir, "k.key"), "-out", path.join(dir, "k.csr"), "-subj", "/CN=x"]);
    openssl(["req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", path.join(dir, "e.key"), "-out", path.join(dir, "e.csr"), "-subj", "/CN=x"]);
    const chain = await (await svc.request("GET", "/ca/dev-issuing/chain.pem")).text();
    const certs = chain.split(/(?=-----BEGIN CERTIFICATE-----)/);
    fs.writeFileSync(path.join(dir, "issuing.pem"), certs[0]);
    fs.writeFileSync(path.join(dir, "root.pem"), certs[1]);
  });
  after(async () => svc?.stop());

  it("issues each person of a Mẫu 01 dossier with the dossier's data, moving it accepted → issuing → issued", async () => {
    const id = await acceptedDossier("individual", 2);
    const r0 = await svc.request("POST", `/api/requests/${id}/certificates`, { token: op, json: { subscriber: 0, csr: fs.readFileSync(path.join(dir, "k.csr"), "utf8") } });
    expect(r0.status, await r0.clone().text()).to.equal(201);
    const c0 = await json(r0);
    expect(c0.serial).to.match(/^[0-9a-f]+$/);
    expect(c0.pkcs12).to.equal(undefined);
    expect(await status(id)).to.equal("issuing");
    fs.writeFileSync(path.join(dir, "c0.pem"), c0.pem);
    expect(openssl(["verify", "-CAfile", path.join(dir, "root.pem"), "-untrusted", path.join(dir, "issuing.pem"), path.join(dir, "c0.pem")])).to.match(/OK/);
    const text = openssl(["x509", "-noout", "-subject", "-ext", "subjectAltName", "-nameopt", "utf8,sep_comma_plus_space"], c0.pem);
    expect(text).to.include("subject=C=VN, ST=Hà Nội, O=Vụ Tổ chức cán bộ, Bộ Tài chính, title=Chuyên viên, CN=Nguyễn Văn Thử 1, UID=CCCD:001085100000");
    expect(text).to.include("email:nguoi1@btc.gov.vn");

    const again = await svc.request("POST", `/api/requests/${id}/certificates`, { token: op, json: { subscriber: 0, csr: fs.readFileSync(path.join(dir, "k.csr"), "utf8") } });
    expect(again.status).to.equal(409);
    expect((await json(again)).error.code).to.equal("already_issued");

    const r1 = await svc.request("POST", `/api/requests/${id}/certificates`, { token: op, json: { subscriber: 1, keyGeneration: "server", pkcs12Password: "mat-khau-giao-1-lan" } });
    expect(r1.status, await r1.clone().text()).to.equal(201);
    const c1 = await json(r1);
    fs.writeFileSync(path.join(dir, "c1.p12"), Buffer.from(c1.pkcs12, "base64"));
    expect(opensslStatus(["pkcs12", "-in", path.join(dir, "c1.p12"), "-passin", "pass:mat-khau-giao-1-lan", "-nodes"]).status).to.equal(0);
    expect(await status(id)).to.equal("issued");

    const list = await json(await svc.request("GET", `/api/certificates?dossierId=${id}`, { token: op }));
    expect(list.total).to.equal(2);
    expect(list.items.map((c: { subscriberIndex: number }) => c.subscriberIndex).sort()).to.deep.equal([0, 1]);
  });

  it("issues a device dossier's asset with its DNS name, and an organization certificate with MST", async () => {
    const dev = await acceptedDossier("device", 1);
    const r = await svc.request("POST", `/api/requests/${dev}/certificates`, { token: op, json: { asset: 0, usage: "server", csr: fs.readFileSync(path.join(dir, "e.csr"), "utf8") } });
    expect(r.status, await r.clone().text()).to.equal(201);
    const pem = (await json(r)).pem;
    expect(openssl(["x509", "-noout", "-ext", "subjectAltName,extendedKeyUsage"], pem)).to.include("DNS:dvc1.mof.gov.vn").and.include("TLS Web Server Authentication");
    const org = await acceptedDossier("organization", 1);
    const o = await svc.request("POST", `/api/requests/${org}/certificates`, { token: op, json: { subscriber: 0, csr: fs.readFileSync(path.join(dir, "k.csr"), "utf8") } });
    expect(o.status, await o.clone().text()).to.equal(201);
    expect(openssl(["x509", "-noout", "-subject", "-nameopt", "utf8,sep_comma_plus_space"], (await json(o)).pem)).to.include("CN=Bộ Tài chính, UID=MST:0100100079");
  });

  it("issues a whole dossier as a batch and reports progress", async () => {
    const id = await acceptedDossier("individual", 5);
    const csr = fs.readFileSync(path.join(dir, "e.csr"), "utf8");
    const r = await svc.request("POST", `/api/requests/${id}/certificate-batch`, { token: op, json: { keys: [0, 1, 2, 3, 4].map((i) => ({ subscriber: i, csr })) } });
    expect(r.status, await r.clone().text()).to.equal(202);
    const b = await json(r);
    for (let i = 0; i < 200; i++) {
      const p = await json(await svc.request("GET", `/api/certificate-batches/${b.id}`, { token: op }));
      if (p.status === "done") break;
      await new Promise((res) => setTimeout(res, 50));
    }
    const p = await json(await svc.request("GET", `/api/certificate-batches/${b.id}`, { token: op }));
    expect(p).to.include({ status: "done", issued: 5, failed: 0, total: 5 });
    for (let i = 0; i < 50 && (await status(id)) !== "issued"; i++) await new Promise((res) => setTimeout(res, 50));
    expect(await status(id)).to.equal("issued");
  });

  it("refuses a dossier that is not accepted (409), an unknown person (404), and a clerk (403)", async () => {
    const c = await svc.request("POST", "/api/requests", { token: clerk, json: sampleDossier("individual", 1) });
    const { id } = await json(c);
    const csr = fs.readFileSync(path.join(dir, "k.csr"), "utf8");
    const r = await svc.request("POST", `/api/requests/${id}/certificates`, { token: op, json: { subscriber: 0, csr } });
    expect(r.status).to.equal(409);
    expect((await json(r)).error.code).to.equal("dossier_not_accepted");
    const acc = await acceptedDossier("individual", 1);
    expect((await svc.request("POST", `/api/requests/${acc}/certificates`, { token: op, json: { subscriber: 7, csr } })).status).to.equal(404);
    expect((await svc.request("POST", `/api/requests/${acc}/certificates`, { token: clerk, json: { subscriber: 0, csr } })).status).to.equal(403);
  });

  it("carries out an accepted Mẫu 05 revocation and a Mẫu 04 change of information, one result per serial", async () => {
    const csr = fs.readFileSync(path.join(dir, "k.csr"), "utf8");
    const issue = async (cn: string) =>
      (await json(await svc.request("POST", "/api/certificates", { token: op, json: { profile: "individual", subject: { commonName: cn, organization: "Bộ Tài chính", title: "Chuyên viên" }, csr } }))).serial as string;
    const a = await issue("Người A");
    const b = await issue("Người B");
    const accept = async (body: Record<string, unknown>) => {
      const c = await svc.request("POST", "/api/requests", { token: clerk, json: body });
      expect(c.status, await c.clone().text()).to.equal(201);
      const { id } = await json(c);
      expect((await svc.request("POST", `/api/requests/${id}/submit`, { token: clerk, json: {} })).status).to.equal(200);
      expect((await svc.request("POST", `/api/requests/${id}/review`, { token: reviewer, json: { action: "start" } })).status).to.equal(200);
      expect((await svc.request("POST", `/api/requests/${id}/review`, { token: reviewer, json: { action: "accept" } })).status).to.equal(200);
      return id as string;
    };
    const rev = await accept({ ...sampleDossier("revocation"), quantity: 2, certificates: [{ serial: a }, { serial: "0a1b2c3d" }], reason: "cessationOfOperation" });
    const r = await json(await svc.request("POST", `/api/requests/${rev}/execute`, { token: op }));
    expect(r.succeeded).to.equal(1);
    expect(r.items[1]).to.include({ ok: false, code: "certificate_not_found" });
    const ca = await json(await svc.request("GET", `/api/certificates/${a}`, { token: op }));
    expect(ca).to.include({ status: "revoked", revocationReason: "cessationOfOperation" });

    const chg = await accept({ ...sampleDossier("renewal_change"), quantity: 1, certificates: [{ serial: b }], changes: [{ field: "Chức vụ", newValue: "Phó Vụ trưởng" }] });
    const c = await json(await svc.request("POST", `/api/requests/${chg}/execute`, { token: op }));
    expect(c.items[0].ok, JSON.stringify(c)).to.equal(true);
    const neu = await json(await svc.request("GET", `/api/certificates/${c.items[0].newSerial}`, { token: op }));
    expect(neu.subjectInfo.title).to.equal("Phó Vụ trưởng");
    expect((await json(await svc.request("GET", `/api/certificates/${b}`, { token: op }))).revocationReason).to.equal("superseded");
  });
});
