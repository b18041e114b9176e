import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect } from "chai";
import { hasCommand, requirePeer } from "../support/peers";
import { startSlapd, type Slapd } from "../support/slapd";
import { DirectoryClient, DirectoryUnavailable } from "../../src/directory/client";
import { createLogger } from "../../src/log";

const log = createLogger("silent");

describe("directory client over TLS (ldaps:// and StartTLS)", function () {
  let slapd: Slapd;
  let dir: string;
  let ca: Buffer;

  before(async function () {
    requirePeer(this, "slapd", hasCommand("slapd") && hasCommand("openssl"), "apt-get install slapd ldap-utils openssl");
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "chungthu-tls-"));
    const keyFile = path.join(dir, "key.pem");
    const certFile = path.join(dir, "cert.pem");
    execFileSync("openssl", ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", keyFile,
      "-out", certFile, "-days", "1", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"], { stdio: "ignore" });
    ca = fs.readFileSync(certFile);
    slapd = await startSlapd("o=TLS,c=VN", { tls: { certFile, keyFile } });
  });
  after(async () => {
    await slapd?.destroy();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  const entry = (cn: string) => ({ dn: `cn=${cn},o=TLS,c=VN`, attributes: { objectClass: ["top", "device"], cn: [cn] } });

  it("publishes over ldaps:// with a bind DN, checking the server certificate", async () => {
    const c = new DirectoryClient({ url: slapd.ldapsUrl!, bindDn: slapd.rootDn, password: slapd.rootPw, tlsOptions: { ca }, log });
    try {
      await c.add({ dn: "o=TLS,c=VN", attributes: { objectClass: ["top", "organization"], o: ["TLS"] } });
      expect(await c.add(entry("ldaps"))).to.equal(true);
      expect(await c.add(entry("ldaps"))).to.equal(false); // 68 alreadyExists counts as done
      expect((await c.read(`cn=ldaps,o=TLS,c=VN`))?.attributes.cn).to.deep.equal(["ldaps"]);
    } finally {
      await c.close();
    }
  });

  it("publishes after StartTLS on ldap://", async () => {
    const c = new DirectoryClient({ url: slapd.url, startTls: true, bindDn: slapd.rootDn, password: slapd.rootPw, tlsOptions: { ca }, log });
    try {
      expect(await c.add(entry("starttls"))).to.equal(true);
    } finally {
      await c.close();
    }
  });

  it("refuses a server certificate it does not trust, as 'unavailable' (the job retries)", async () => {
    const c = new DirectoryClient({ url: slapd.ldapsUrl!, bindDn: slapd.rootDn, password: slapd.rootPw, connectTimeoutMs: 2000, log });
    try {
      await c.add(entry("untrusted"));
      expect.fail("should not connect");
    } catch (err) {
      expect(err).to.be.instanceOf(DirectoryUnavailable);
    } finally {
      await c.close();
    }
  });

  it("reconnects after the server restarts", async () => {
    const c = new DirectoryClient({ url: slapd.url, bindDn: slapd.rootDn, password: slapd.rootPw, log });
    try {
      await c.ping();
      await slapd.stop();
      await c.ping().then(() => expect.fail("server is down"), (err) => expect(err).to.be.instanceOf(DirectoryUnavailable));
      await slapd.start();
      await c.ping();
      expect(await c.add(entry("after-restart"))).to.equal(true);
    } finally {
      await c.close();
    }
  });
});
