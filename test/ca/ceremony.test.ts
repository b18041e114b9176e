import { expect } from "chai";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { startTestService } from "../support/service";
import { requirePeer, hasCommand } from "../support/peers";
import { openssl, tmpDir } from "./openssl";

const bin = path.resolve(__dirname, "../../bin/chungthu.js");
const cli = (dataDir: string, args: string[], env: Record<string, string> = {}) =>
  spawnSync(process.execPath, [bin, ...args], { encoding: "utf8", env: { ...process.env, DATA_DIR: dataDir, CA_PASSPHRASE: "test-passphrase-123", LOG_LEVEL: "silent", ...env } });

describe("CA ceremony (chungthu ca …)", () => {
  it("ca init --algorithm ecdsa creates a P-384 root and P-256 issuing CA the service issues from", async function () {
    requirePeer(this, "openssl", hasCommand("openssl"), "apt-get install openssl");
    const dir = tmpDir();
    const r = cli(dir, ["ca", "init", "--algorithm", "ecdsa", "--root-name", "goc-ec", "--issuing-name", "cap-phat-ec", "--root-years", "15", "--issuing-years", "8"]);
    expect(r.status, r.stderr).to.equal(0);
    expect(r.stdout).to.match(/goc-ec\tSHA-256 [0-9a-f]{64}/);
    const list = cli(dir, ["ca", "list"]);
    expect(list.stdout).to.include("cap-phat-ec\tissuing\tec-p256");
    expect(list.stdout).to.include("goc-ec\troot\tec-p384");
    expect(list.stdout).to.not.include("PHÁT TRIỂN");

    const svc = await startTestService({}, dir);
    try {
      const { items } = (await (await svc.request("GET", "/api/ca", { token: svc.adminToken })).json()) as { items: { name: string; development: boolean; isIssuing: boolean }[] };
      expect(items.map((c) => c.name).sort()).to.deep.equal(["cap-phat-ec", "goc-ec"]);
      expect(items.find((c) => c.isIssuing)!.name).to.equal("cap-phat-ec");
      expect(items.every((c) => !c.development)).to.equal(true);
      const op = await svc.userWithRoles("op-ec", ["ca_operator"]);
      openssl(["req", "-new", "-newkey", "rsa:2048", "-nodes", "-keyout", path.join(dir, "k.key"), "-out", path.join(dir, "k.csr"), "-subj", "/CN=x"]);
      const res = await svc.request("POST", "/api/certificates", {
        token: op, json: { profile: "individual", subject: { commonName: "Phạm Thị Dung", organization: "Bộ Ngoại giao" }, csr: fs.readFileSync(path.join(dir, "k.csr"), "utf8") },
      });
      expect(res.status, await res.clone().text()).to.equal(201);
      const { pem } = (await res.json()) as { pem: string };
      fs.writeFileSync(path.join(dir, "leaf.pem"), pem);
      fs.writeFileSync(path.join(dir, "root.pem"), await (await svc.request("GET", "/ca/goc-ec.pem")).text());
      fs.writeFileSync(path.join(dir, "iss.pem"), await (await svc.request("GET", "/ca/cap-phat-ec.pem")).text());
      expect(openssl(["verify", "-CAfile", path.join(dir, "root.pem"), "-untrusted", path.join(dir, "iss.pem"), path.join(dir, "leaf.pem")])).to.match(/OK/);
      expect(openssl(["x509", "-noout", "-text"], pem)).to.include("Signature Algorithm: ecdsa-with-SHA256");
      expect(openssl(["x509", "-noout", "-text", "-in", path.join(dir, "iss.pem")])).to.include("Signature Algorithm: ecdsa-with-SHA384");
    } finally {
      await svc.stop();
    }
  });

  it("refuses to start with a wrong CA passphrase, naming the problem", async () => {
    const dir = tmpDir();
    expect(cli(dir, ["ca", "init", "--algorithm", "ecdsa"]).status).to.equal(0);
    // In a child process: a service that fails at start must exit, not linger.
    const r = spawnSync(process.execPath, ["--import", "tsx", path.resolve(__dirname, "../../src/main.ts")], {
      encoding: "utf8", timeout: 30_000,
      env: { ...process.env, DATA_DIR: dir, CA_PASSPHRASE: "wrong-passphrase-456", PORT: "0", LDAP_PORT: "off", LOG_LEVEL: "silent", OUTBOX_POLL_MS: "0" },
    });
    expect(r.status).to.equal(1);
    expect(r.stderr).to.match(/wrong CA passphrase/);
  });

  it("ca import takes an existing openssl-made CA (certificate + PKCS#1 key) and issues from it", async function () {
    requirePeer(this, "openssl", hasCommand("openssl"), "apt-get install openssl");
    const dir = tmpDir();
    openssl(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", path.join(dir, "ca.key"), "-out", path.join(dir, "ca.pem"), "-days", "3650",
      "-subj", "/C=VN/O=Ban Cơ yếu Chính phủ/CN=CA nhập khẩu", "-utf8", "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign"]);
    openssl(["rsa", "-in", path.join(dir, "ca.key"), "-out", path.join(dir, "ca-pkcs1.key"), "-traditional"]);
    const r = cli(dir, ["ca", "import", "--cert", path.join(dir, "ca.pem"), "--key", path.join(dir, "ca-pkcs1.key"), "--name", "imported", "--role", "issuing"]);
    expect(r.status, r.stderr).to.equal(0);
    const wrongKey = path.join(dir, "other.key");
    openssl(["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", wrongKey]);
    const bad = cli(dir, ["ca", "import", "--cert", path.join(dir, "ca.pem"), "--key", wrongKey, "--name", "mismatch"]);
    expect(bad.status).to.not.equal(0);
    expect(bad.stderr).to.match(/does not match/);
    const db = fs.readFileSync(path.join(dir, "chungthu.sqlite"));
    const keyDer = Buffer.from(fs.readFileSync(path.join(dir, "ca.key"), "utf8").replace(/-----[A-Z ]+-----|\s/g, ""), "base64");
    // Bytes of the private exponent (the modulus, earlier in the key, is public and in the certificate).
    expect(db.includes(keyDer.subarray(400, 460))).to.equal(false);

    const svc = await startTestService({}, dir);
    try {
      const op = await svc.userWithRoles("op-imp", ["ca_operator"]);
      openssl(["req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", path.join(dir, "k.key"), "-out", path.join(dir, "k.csr"), "-subj", "/CN=x"]);
      const res = await svc.request("POST", "/api/certificates", {
        token: op, json: { profile: "individual", subject: { commonName: "Hoàng Văn Em", organization: "Bộ Công an" }, csr: fs.readFileSync(path.join(dir, "k.csr"), "utf8") },
      });
      expect(res.status, await res.clone().text()).to.equal(201);
      fs.writeFileSync(path.join(dir, "leaf.pem"), ((await res.json()) as { pem: string }).pem);
      expect(openssl(["verify", "-CAfile", path.join(dir, "ca.pem"), path.join(dir, "leaf.pem")])).to.match(/OK/);
    } finally {
      await svc.stop();
    }
  });
});
