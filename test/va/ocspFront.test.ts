import fs from "node:fs";
import path from "node:path";
import { expect } from "chai";
import type { TestService } from "../support/service";
import { openssl, startStatusService, type IssuingCa } from "../support/status";

/** OCSPResponse ::= SEQUENCE { responseStatus ENUMERATED, … }: the status of a DER answer. */
const responseStatus = (b: Buffer) => {
  const off = b[1] & 0x80 ? 2 + (b[1] & 0x7f) : 2;
  return b[off + 2];
};

const waitFor = async <T>(what: string, f: () => Promise<T | undefined>, ms = 10_000): Promise<T> => {
  const until = Date.now() + ms;
  for (;;) {
    const v = await f();
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
};

describe("OCSP processes on OCSP_PORT (src/va/front)", function () {
  this.timeout(60_000);
  let svc: TestService;
  let ca: IssuingCa;
  let dir: string;
  let front: string;
  let leaf: { serial: string; pem: string };

  const ask = async (url: string, cert: string, extra: string[] = []) => {
    const { out, code } = await openssl(["ocsp", "-issuer", "issuing.pem", "-CAfile", "ca.pem", "-url", url, "-cert", cert, ...extra], { cwd: dir });
    expect(code, out).to.equal(0);
    expect(out).to.include("Response verify OK");
    return new RegExp(`${cert.replace(".", "\\.")}: (\\w+)`).exec(out)?.[1];
  };

  before(async () => {
    ({ svc, ca, dir } = await startStatusService({ OCSP_PORT: "0", OCSP_PROCESSES: "2" }));
    const f = svc.services.status.ocspFront;
    expect(f.processes).to.have.length(2);
    expect(f.port).to.be.greaterThan(0);
    expect(svc.url).not.to.include(`:${f.port}`);
    front = `http://127.0.0.1:${f.port}`;
    leaf = await ca.issue("Lê Thị Hồng");
    fs.writeFileSync(path.join(dir, "hong.pem"), leaf.pem);
  });
  after(async () => svc?.stop());

  it("answers openssl with the service's pre-signed response, the same bytes as the service's own port", async () => {
    for (let i = 0; i < 4; i++) expect(await ask(front + "/ocsp", "hong.pem", ["-no_nonce", "-respout", `front${i}.der`])).to.equal("good");
    expect(await ask(svc.url + "/ocsp", "hong.pem", ["-no_nonce", "-respout", "service.der"])).to.equal("good");
    const service = fs.readFileSync(path.join(dir, "service.der"));
    for (let i = 0; i < 4; i++) expect(fs.readFileSync(path.join(dir, `front${i}.der`)).equals(service), `answer ${i}`).to.equal(true);
    // The processes answer from their own memory: with the service not answering them, they still do.
    const ocsp = svc.services.status.ocsp;
    const respond = ocsp.respond;
    let asked = 0;
    ocsp.respond = () => {
      asked++;
      return new Promise(() => undefined);
    };
    try {
      for (let i = 0; i < 6; i++) expect(await ask(front + "/ocsp", "hong.pem", ["-no_nonce"])).to.equal("good");
    } finally {
      ocsp.respond = respond;
    }
    expect(asked).to.equal(0);
    // A request with a nonce is signed afresh by the service and echoes it.
    const { out } = await openssl(["ocsp", "-issuer", "issuing.pem", "-CAfile", "ca.pem", "-url", front + "/ocsp", "-cert", "hong.pem", "-resp_text"], { cwd: dir });
    expect(out).to.include("Response verify OK");
    expect(out).to.include("OCSP Nonce");
  });

  it("answers revoked from every process as soon as the service revokes", async () => {
    const other = await ca.issue("Đỗ Văn Nam");
    fs.writeFileSync(path.join(dir, "nam.pem"), other.pem);
    for (let i = 0; i < 4; i++) expect(await ask(front + "/ocsp", "nam.pem", ["-no_nonce"])).to.equal("good");
    await ca.revoke(other.serial, 1);
    await svc.drainOutbox();
    // The processes were told to forget the entry: no interval to wait for.
    for (let i = 0; i < 6; i++) expect(await ask(front + "/ocsp", "nam.pem", ["-no_nonce"])).to.equal("revoked");
  });

  it("serves GET /ocsp/{base64} with the service's cache headers, and passes a conditional GET on", async () => {
    await openssl(["ocsp", "-issuer", "issuing.pem", "-cert", "hong.pem", "-no_nonce", "-reqout", "hong.req"], { cwd: dir });
    const p = "/ocsp/" + encodeURIComponent(fs.readFileSync(path.join(dir, "hong.req")).toString("base64"));
    const a = await fetch(svc.url + p);
    const b = await fetch(front + p);
    expect(b.status).to.equal(200);
    for (const h of ["content-type", "etag", "last-modified", "expires", "x-content-type-options", "strict-transport-security"]) expect(b.headers.get(h), h).to.equal(a.headers.get(h));
    expect(Buffer.from(await b.arrayBuffer()).equals(Buffer.from(await a.arrayBuffer()))).to.equal(true);
    const c = await fetch(front + p, { headers: { "if-none-match": b.headers.get("etag")! } });
    expect(c.status).to.equal(304);
  });

  it("answers bad OCSP requests as the service does, and nothing but OCSP", async () => {
    // The port relying parties reach: the staff pages and the API are not behind it.
    for (const [method, p] of [["GET", "/healthz"], ["GET", "/api/certificates"], ["POST", "/api/requests"], ["GET", "/quan-tri"], ["GET", "/ocspx"]]) {
      const r = await fetch(front + p, { method, headers: { authorization: "Bearer x", "content-type": "application/json" }, body: method === "POST" ? "{}" : undefined });
      expect(r.status, p).to.equal(404);
      expect(((await r.json()) as { error: { code: string; message: string } }).error).to.deep.include({ code: "not_found", message: "Không tìm thấy địa chỉ yêu cầu." });
    }
    const head = await fetch(front + "/ocsp/" + "MA==", { method: "HEAD" });
    expect(head.status).to.equal((await fetch(svc.url + "/ocsp/" + "MA==", { method: "HEAD" })).status);
    const wrongType = await fetch(front + "/ocsp", { method: "POST", headers: { "content-type": "text/plain" }, body: "xin chào" });
    expect(wrongType.status).to.equal(415);
    const body = (await wrongType.json()) as { error: { code: string; message: string } };
    expect(body.error.code).to.equal("unsupported_media_type");
    expect(body.error.message).to.include("Kiểu nội dung");
    for (const bytes of [Buffer.from([0x30, 0x03, 0x02, 0x01]), Buffer.from("không phải DER"), Buffer.alloc(0)]) {
      const r = await fetch(front + "/ocsp", { method: "POST", headers: { "content-type": "application/ocsp-request" }, body: bytes });
      expect(r.status).to.equal(200);
      expect(responseStatus(Buffer.from(await r.arrayBuffer()))).to.equal(1); // malformedRequest
    }
  });

  it("starts a process again when one dies, and keeps answering meanwhile", async () => {
    const f = svc.services.status.ocspFront;
    const [victim, survivor] = f.processes;
    const health = async () => ((await (await fetch(svc.url + "/healthz")).json()) as { checks: Record<string, { status: string; processes: number }> }).checks.ocspProcesses;
    expect(await health()).to.deep.include({ status: "ok", processes: 2 });
    process.kill(victim, "SIGKILL");
    expect(await ask(front + "/ocsp", "hong.pem", ["-no_nonce"])).to.equal("good");
    const now = await waitFor("a new OCSP process", async () => (f.processes.length === 2 && !f.processes.includes(victim) ? f.processes : undefined));
    expect(now).to.include(survivor);
    expect(await health()).to.deep.include({ status: "ok", processes: 2 });
    for (let i = 0; i < 4; i++) expect(await ask(front + "/ocsp", "hong.pem", ["-no_nonce"])).to.equal("good");
  });
});

describe("OCSP processes: revocations recorded by another node (OCSP_RECHECK_SECONDS)", function () {
  this.timeout(60_000);
  let svc: TestService;
  let ca: IssuingCa;
  let dir: string;

  before(async () => {
    ({ svc, ca, dir } = await startStatusService({ OCSP_PORT: "0", OCSP_PROCESSES: "2", OCSP_RECHECK_SECONDS: "1" }));
  });
  after(async () => svc?.stop());

  it("answers revoked once an answer held by a process has been checked against the database", async () => {
    const leaf = await ca.issue("Vũ Thị Lan");
    fs.writeFileSync(path.join(dir, "lan.pem"), leaf.pem);
    const url = `http://127.0.0.1:${svc.services.status.ocspFront.port}/ocsp`;
    const ask = async () => {
      const { out } = await openssl(["ocsp", "-issuer", "issuing.pem", "-CAfile", "ca.pem", "-url", url, "-cert", "lan.pem", "-no_nonce"], { cwd: dir });
      expect(out).to.include("Response verify OK");
      return /lan\.pem: (\w+)/.exec(out)?.[1];
    };
    for (let i = 0; i < 4; i++) expect(await ask()).to.equal("good");
    // Another node revokes it in the shared database: no event reaches this node or its processes.
    await svc.services.db("certificates").where({ serial: leaf.serial }).update({ status: "revoked", revoked_at: new Date().toISOString(), revocation_reason: 1 });
    expect(await ask()).to.equal("good"); // trusted for OCSP_RECHECK_SECONDS
    await new Promise((r) => setTimeout(r, 1100));
    // Answers past the interval are sent back for the database check; once it has read the new
    // status, every process answers revoked.
    await waitFor("revoked", async () => ((await ask()) === "revoked" ? true : undefined));
    for (let i = 0; i < 4; i++) expect(await ask()).to.equal("revoked");
  });
});
