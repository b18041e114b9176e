import net from "node:net";
import fs from "node:fs";
import path from "node:path";
import { expect } from "chai";
import fc from "fast-check";
import { Client } from "ldapts";
import type { TestService } from "../support/service";
import { openssl, startStatusService } from "../support/status";
import { hasCommand, requirePeer } from "../support/peers";
import * as der from "../../src/status/der";

/**
 * Hostile input to every public endpoint (issue 8): OCSP (POST and GET), the TSA, certificate,
 * CA certificate and CRL fetch, the public pages, and the embedded LDAP server over a raw TCP
 * socket. Random, truncated and bit-flipped inputs built from valid requests. No answer is a 5xx,
 * every answer carries the security headers and no stack trace, nothing is written, and the
 * process (and the LDAP server) keeps answering. Fixed seed in `npm test`; `npm run fuzz` longer.
 */
const SEED = Number(process.env.FUZZ_SEED ?? 20261125);
const ITERATIONS = Number(process.env.FUZZ_ITERATIONS ?? 6);
const RUNS = ITERATIONS * 5;

const hostile = [
  "' OR '1'='1' --", "*)(uid=*))(|(uid=*", "cn=*,o=x\\,y", "%00", "%ff%fe", "..%2f..%2fetc%2fpasswd", "😀".repeat(40),
  "Nguyễn".normalize("NFD"), "\n\u0005", "a\r\nSet-Cookie: x=y", "9".repeat(300), "-1", "00", "__proto__", "constructor", "%E0%A4%A", "a".repeat(3000), "${jndi:ldap://x}",
];

/** Bit flips, truncations, extensions and byte overwrites of a valid message. */
const mutated = (valid: Buffer) =>
  fc.oneof(
    fc.uint8Array({ minLength: 0, maxLength: 600 }).map((a) => Buffer.from(a)),
    fc.nat({ max: valid.length }).map((n) => valid.subarray(0, n)),
    fc.tuple(fc.nat({ max: valid.length - 1 }), fc.integer({ min: 0, max: 7 })).map(([i, bit]) => {
      const b = Buffer.from(valid);
      b[i] ^= 1 << bit;
      return b;
    }),
    fc.tuple(fc.nat({ max: valid.length - 1 }), fc.uint8Array({ minLength: 1, maxLength: 8 })).map(([i, bytes]) => {
      const b = Buffer.from(valid);
      b.set(bytes.subarray(0, b.length - i), i);
      return b;
    }),
    fc.uint8Array({ minLength: 1, maxLength: 64 }).map((extra) => Buffer.concat([valid, Buffer.from(extra)])),
  );

describe("fuzz: hostile input to the public endpoints", function () {
  this.timeout(300_000);
  let svc: TestService;
  let dir: string;
  let serial: string;
  let caName: string;
  let ocspReq: Buffer;
  let tsq: Buffer;
  let leafDer: Buffer;
  const failures: string[] = [];

  before(async function () {
    requirePeer(this, "openssl", hasCommand("openssl"), "apt-get install openssl");
    let ca;
    ({ svc, dir, ca } = await startStatusService({ LDAP_PORT: "0", PUBLIC_RATE_LIMIT_PER_MINUTE: "100000" }));
    caName = ca.name;
    const leaf = await ca.issue("Nguyễn Văn Thử");
    serial = leaf.serial;
    // Handed over, so published: the public download serves it.
    await svc.services.db("certificates").where({ serial }).update({ handed_over_at: new Date().toISOString() });
    leafDer = Buffer.from(leaf.pem.replace(/-----[^-]+-----|\s/g, ""), "base64");
    fs.writeFileSync(path.join(dir, "leaf.pem"), leaf.pem);
    await openssl(["ocsp", "-issuer", "issuing.pem", "-cert", "leaf.pem", "-reqout", "req.der"], { cwd: dir });
    ocspReq = fs.readFileSync(path.join(dir, "req.der"));
    fs.writeFileSync(path.join(dir, "data.txt"), "x");
    await openssl(["ts", "-query", "-data", "data.txt", "-sha256", "-cert", "-out", "q.tsq"], { cwd: dir });
    tsq = fs.readFileSync(path.join(dir, "q.tsq"));
    // Warm up: the OCSP responder and TSA certificates are issued on first use (rows of their own).
    await svc.request("POST", "/ocsp", { body: new Uint8Array(ocspReq), headers: { "content-type": "application/ocsp-request" } });
    await svc.request("POST", "/tsa", { body: new Uint8Array(tsq), headers: { "content-type": "application/timestamp-query" } });
  });
  after(() => svc?.stop());

  const tables = ["certificates", "cas", "crls", "users", "approvals", "audit_checkpoints"];
  const counts = async () => Object.fromEntries(await Promise.all(tables.map(async (t) => [t, Number((await svc.services.db(t).count({ n: "*" }))[0].n)])));

  const send = async (method: string, p: string, body?: Buffer, type?: string) => {
    let r: Response;
    try {
      r = await svc.request(method, p, { body: body ? new Uint8Array(body) : undefined, headers: type ? { "content-type": type } : {} });
    } catch (e) {
      failures.push(`${method} ${p.slice(0, 80)}: ${(e as Error).message}`);
      return;
    }
    const text = Buffer.from(await r.arrayBuffer()).toString("latin1");
    if (r.status >= 500) failures.push(`${method} ${p.slice(0, 80)} → ${r.status}`);
    if (r.headers.get("x-content-type-options") !== "nosniff") failures.push(`${method} ${p.slice(0, 80)} → ${r.status} without security headers`);
    if (/at .+\.(ts|js):\d+/.test(text) || text.includes("Error:")) failures.push(`${method} ${p.slice(0, 80)} → a stack trace`);
    return r;
  };

  it("answers OCSP, TSA and repository fetches without a 5xx, with security headers, writing nothing", async () => {
    const before = await counts();
    for (const body of fc.sample(mutated(ocspReq), { numRuns: RUNS, seed: SEED })) {
      const r = await send("POST", "/ocsp", body, "application/ocsp-request");
      if (r && r.status !== 200) failures.push(`POST /ocsp → ${r.status}, expected an OCSPResponse`);
      await send("GET", "/ocsp/" + encodeURIComponent(body.toString("base64")));
      await send("GET", "/ocsp/" + body.toString("base64url"));
    }
    for (const body of fc.sample(mutated(tsq), { numRuns: RUNS, seed: SEED + 1 })) {
      const r = await send("POST", "/tsa", body, "application/timestamp-query");
      if (r && r.status !== 200) failures.push(`POST /tsa → ${r.status}, expected a TimeStampResp`);
    }
    // Strict media types: a JSON, form, text or missing type is refused (415, or 400 when the body is not what its type says).
    for (const [p, body] of [["/ocsp", ocspReq], ["/tsa", tsq]] as const) {
      for (const type of ["application/json", "application/x-www-form-urlencoded", "text/plain", undefined]) {
        const r = await send("POST", p, body, type);
        if (r && r.status !== 415 && r.status !== 400) failures.push(`POST ${p} as ${type} → ${r.status}, expected 415`);
      }
    }
    const strings = [...hostile, ...fc.sample(fc.string({ unit: "binary", maxLength: 40 }), { numRuns: RUNS, seed: SEED + 2 })];
    for (const s of strings) {
      const e = encodeURIComponent(s);
      for (const p of [`/certificates/${e}`, `/certificates/${e}.pem`, `/ca/${e}.crt`, `/ca/${e}`, `/crl/${e}.crl`, `/crl/${e}-delta.crl`, `/${e}`, `/?q=${e}`, `/static/${e}`]) {
        await send("GET", p);
      }
    }
    // The public website: lookup, certificate page, repository page, and the online check with
    // mutated certificates as a file (multipart) and pasted (form).
    for (const s of [...hostile, ...strings.slice(hostile.length, hostile.length + ITERATIONS)]) {
      const e = encodeURIComponent(s);
      for (const p of [`/tra-cuu?q=${e}`, `/tra-cuu?q=${e}&trang=${e}`, `/chung-thu/${e}`, `/kho-luu-tru?${e}=${e}`, `/kiem-tra?${e}`]) await send("GET", p);
    }
    for (const der of fc.sample(mutated(leafDer), { numRuns: RUNS, seed: SEED + 4 })) {
      const boundary = "----fuzz" + der.length;
      const multipart = Buffer.concat([
        Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="tep"; filename="c.cer"\r\nContent-Type: application/pkix-cert\r\n\r\n`),
        der, Buffer.from(`\r\n--${boundary}--\r\n`),
      ]);
      await send("POST", "/kiem-tra", multipart, `multipart/form-data; boundary=${boundary}`);
      await send("POST", "/kiem-tra", multipart.subarray(0, Math.max(1, multipart.length - 20)), `multipart/form-data; boundary=${boundary}`);
      const pem = `-----BEGIN CERTIFICATE-----\n${der.toString("base64")}\n-----END CERTIFICATE-----`;
      await send("POST", "/kiem-tra", Buffer.from("pem=" + encodeURIComponent(pem)), "application/x-www-form-urlencoded");
      await send("POST", "/kiem-tra", der, "application/octet-stream");
    }
    // Raw, not-percent-encoded paths: invalid UTF-8 escapes and traversal.
    for (const p of ["/certificates/%ff%fe%fd", "/ca/%c0%ae%c0%ae.crt", "/crl/%00.crl", "/certificates/" + serial + "%00.pem", "/ocsp/%%%%", "/ocsp/" + "A".repeat(10000)]) await send("GET", p);
    // The valid ones still work.
    expect((await send("GET", `/certificates/${serial}`))!.status).to.equal(200);
    expect((await send("GET", `/ca/${caName}.crt`))!.status).to.equal(200);
    expect(failures, failures.slice(0, 20).join("\n")).to.deep.equal([]);
    expect(await counts()).to.deep.equal(before);
    expect((await svc.request("GET", "/healthz")).status).to.equal(200);
  });

  describe("the embedded LDAP server over a raw socket", () => {
    const ldapMsg = (id: number, op: Buffer) => der.seq(der.intNumber(id), op);
    const octet = (s: string) => der.tlv(0x04, Buffer.from(s, "utf8"));
    const anonymousBind = ldapMsg(1, der.tlv(0x60, der.intNumber(3), octet(""), der.tlv(0x80, Buffer.alloc(0))));
    const search = (base: string, filter: Buffer) =>
      ldapMsg(2, der.tlv(0x63, octet(base), der.tlv(0x0a, Buffer.from([2])), der.tlv(0x0a, Buffer.from([0])), der.intNumber(10), der.intNumber(5), der.tlv(0x01, Buffer.from([0])), filter, der.seq()));
    const equality = (attr: string, value: string) => der.tlv(0xa3, octet(attr), octet(value));

    /** Sends bytes on a new connection; resolves with what came back before close or timeout. */
    const exchange = (port: number, chunks: Buffer[], waitMs = 150) =>
      new Promise<Buffer>((resolve) => {
        const got: Buffer[] = [];
        const s = net.connect(port, "127.0.0.1", () => {
          for (const c of chunks) s.write(c);
        });
        const done = () => {
          s.destroy();
          resolve(Buffer.concat(got));
        };
        s.on("data", (d) => got.push(d));
        s.on("error", done);
        s.on("close", done);
        setTimeout(done, waitMs);
      });
    /** The resultCode of the first LDAPResult in a response (…, ENUMERATED code, …). */
    const resultCode = (b: Buffer) => {
      const i = b.indexOf(Buffer.from([0x0a, 0x01]));
      return i < 0 ? undefined : b[i + 2];
    };

    const stillAnswers = async (url: string) => {
      const c = new Client({ url, timeout: 3000, connectTimeout: 3000 });
      try {
        const r = await c.search(svc.services.config.LDAP_BASE_DN, { scope: "base", filter: "(objectClass=*)" });
        return r.searchEntries.length === 1;
      } finally {
        await c.unbind().catch(() => undefined);
      }
    };

    it("survives random and mutated BER and still answers a real client", async () => {
      const server = svc.services.directoryServer!;
      const port = Number(new URL(server.url).port);
      const base = svc.services.config.LDAP_BASE_DN;
      const valid = [
        anonymousBind,
        search(base, der.tlv(0x87, Buffer.from("objectClass"))),
        ...hostile.map((h) => search(base, equality("cn", h))),
        search(hostile[1], der.tlv(0x87, Buffer.from("objectClass"))),
      ];
      const samples = fc.sample(fc.tuple(fc.constantFrom(...valid), fc.nat()).chain(([v]) => mutated(v)), { numRuns: RUNS * 4, seed: SEED + 3 });
      for (let i = 0; i < samples.length; i += 20) {
        await Promise.all(samples.slice(i, i + 20).map((b) => exchange(port, [anonymousBind, b])));
      }
      // A search with LDAP metacharacters in a value: parsed as a value, not a filter (no entries, no error).
      const r = await exchange(port, [anonymousBind, search(base, equality("uid", "*)(objectClass=*"))]);
      expect(resultCode(r.subarray(r.indexOf(0x65) - 1))).to.be.oneOf([0, undefined]);
      expect(await stillAnswers(server.url)).to.equal(true);
      expect((await svc.request("GET", "/healthz")).status).to.equal(200);
    });

    it("refuses writes and binds with credentials", async () => {
      const port = Number(new URL(svc.services.directoryServer!.url).port);
      const base = svc.services.config.LDAP_BASE_DN;
      const add = ldapMsg(2, der.tlv(0x68, octet(`cn=mallory,${base}`), der.seq(der.seq(octet("objectClass"), der.set(octet("person"))))));
      const del = ldapMsg(3, der.tlv(0x4a, Buffer.from(base)));
      const modify = ldapMsg(4, der.tlv(0x66, octet(base), der.seq(der.seq(der.tlv(0x0a, Buffer.from([0])), der.seq(octet("description"), der.set(octet("x")))))));
      const before = await svc.services.db("certificates").count({ n: "*" });
      for (const op of [add, del, modify]) {
        const r = await exchange(port, [anonymousBind, op], 500);
        const after = r.subarray(14); // past the bind response
        expect(resultCode(after), op.toString("hex").slice(0, 20)).to.not.equal(0);
      }
      const bind = ldapMsg(1, der.tlv(0x60, der.intNumber(3), octet(`cn=admin,${base}`), der.tlv(0x80, Buffer.from("secret"))));
      const r = await exchange(port, [bind], 500);
      expect(resultCode(r)).to.not.equal(0);
      expect(await svc.services.db("certificates").count({ n: "*" })).to.deep.equal(before);
    });
  });
});
