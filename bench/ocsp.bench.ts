/**
 * OCSP over HTTP: 100,000 certificates in the database, every response pre-signed, 64 connections,
 * requests for 1,000 different certificates cycled. Reference in the same run: `openssl ocsp -port`
 * serving the same CA from an index.txt generated from the same rows, with the same responder
 * certificate and key, one process (as our service: one Node.js event loop; its -multi workers
 * spin at 100 % CPU after the first reset connection on OpenSSL 3.0.19). OpenSSL 3.0's responder cannot bind
 * one address: it listens on a random high port of every interface for the few seconds of the run.
 */
import { spawn } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { loadConfig } from "../src/config";
import { startService } from "../src/service";
import { certInfo } from "../src/status/certInfo";
import * as der from "../src/status/der";
import { fmt, freePort, load, median, pemOf, report, type LoadResult } from "./lib";

const ROWS = Number(process.env.BENCH_ROWS ?? 100_000);
const DURATION = Number(process.env.BENCH_SECONDS ?? 5);
const RUNS = 3;
const CONNECTIONS = 64;

const opensslDate = (d: Date) => d.toISOString().replace(/[-:T]/g, "").slice(2, 14) + "Z";

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-ocsp-"));
  const svc = await startService(loadConfig({ HOST: "127.0.0.1", PORT: "0", DATA_DIR: dir, LOG_LEVEL: "silent", LDAP_PORT: "off", OUTBOX_POLL_MS: "0", CA_PASSPHRASE: "bench-passphrase-123" }));
  const s = svc.services;
  const caName = await s.ca.issuingName();
  const issuer = certInfo((await s.ca.chain(caName))[0].der);
  const now = new Date();
  const notAfter = new Date(now.getTime() + 365 * 86400_000);
  const serials: string[] = [];
  const index: string[] = [];
  for (let i = 0; i < ROWS; i += 1000) {
    const batch = [];
    for (let j = i; j < Math.min(ROWS, i + 1000); j++) {
      const b = crypto.randomBytes(16);
      b[0] = (b[0] & 0x3f) | 0x10;
      const serial = b.toString("hex");
      serials.push(serial);
      const revoked = j % 50 === 0;
      batch.push({ serial, ca_name: caName, status: revoked ? "revoked" : "issued", profile: "individual", not_after: notAfter.toISOString(), created_at: now.toISOString(), revoked_at: revoked ? now.toISOString() : null, revocation_reason: revoked ? 1 : null });
      index.push(`${revoked ? "R" : "V"}\t${opensslDate(notAfter)}\t${revoked ? `${opensslDate(now)},keyCompromise` : ""}\t${serial.toUpperCase()}\tunknown\t/CN=Bench ${j}`);
    }
    await s.db.batchInsert("certificates", batch, 200);
  }
  const t0 = Date.now();
  const presigned = await s.status.ocsp.presign(caName, { limit: ROWS });
  const presignSeconds = (Date.now() - t0) / 1000;
  process.stderr.write(`pre-signed ${presigned} responses in ${presignSeconds.toFixed(1)} s\n`);

  // 1,000 requests (SHA-1 CertID, no nonce: cacheable, as RFC 5019 clients send them).
  const algSha1 = der.algorithm("1.3.14.3.2.26");
  const nameHash = crypto.createHash("sha1").update(issuer.subjectDer).digest();
  const keyHash = crypto.createHash("sha1").update(issuer.publicKeyBits).digest();
  const bodies = Array.from({ length: 1000 }, (_, i) => {
    const serial = serials[(i * 97) % serials.length];
    return der.seq(der.seq(der.seq(der.seq(der.seq(algSha1, der.octets(nameHash), der.octets(keyHash), der.intHex(serial))))));
  });

  // The reference: openssl ocsp with the same responder certificate and key.
  const key = await s.status.keys.get("ocsp", caName);
  fs.writeFileSync(path.join(dir, "index.txt"), index.join("\n") + "\n");
  fs.writeFileSync(path.join(dir, "index.txt.attr"), "unique_subject = no\n");
  fs.writeFileSync(path.join(dir, "issuing.pem"), pemOf(issuer.der));
  fs.writeFileSync(path.join(dir, "responder.pem"), pemOf(key.certificate.der));
  fs.writeFileSync(path.join(dir, "responder.key"), key.key.export({ type: "pkcs8", format: "pem" }) as string);
  const port = await freePort();
  const openssl = spawn("openssl", ["ocsp", "-port", String(port), "-index", "index.txt", "-CA", "issuing.pem", "-rsigner", "responder.pem", "-rkey", "responder.key", "-nmin", "60"], { cwd: dir, stdio: ["ignore", "ignore", "pipe"] });
  let opensslErr = "";
  openssl.stderr.on("data", (d) => (opensslErr += d));
  openssl.on("exit", (code) => process.stderr.write(`openssl ocsp exited ${code}\n`));
  for (let i = 0; i < 100; i++) {
    const ok = await fetch(`http://127.0.0.1:${port}/`, { method: "POST", body: new Uint8Array(bodies[0]), headers: { "content-type": "application/ocsp-request" } }).then((r) => r.ok, () => false);
    if (ok) break;
    await new Promise((r) => setTimeout(r, 100));
  }

  const post = { method: "POST", headers: { "content-type": "application/ocsp-request" }, bodies, connections: CONNECTIONS, duration: DURATION };
  const ours: LoadResult[] = [];
  const gets: LoadResult[] = [];
  const refs: (LoadResult & { best: number })[] = [];
  // Warm the responder's memory once through every request (as a long-running responder is).
  for (const b of bodies) await s.status.ocsp.respond(b);
  for (let r = 0; r < RUNS; r++) {
    ours.push(await load({ ...post, url: svc.url + "/ocsp" }));
    gets.push(await load({ url: svc.url, method: "GET", paths: bodies.map((b) => "/ocsp/" + encodeURIComponent(b.toString("base64"))), connections: CONNECTIONS, duration: DURATION }));
    // openssl's responder serves one connection at a time and closes it; at 64 connections most of
    // them are refused. Its better rate of 64 and 4 connections is the reference.
    const at64 = await load({ ...post, url: `http://127.0.0.1:${port}/` });
    const at4 = await load({ ...post, url: `http://127.0.0.1:${port}/`, connections: 4 });
    refs.push(at4.rps > at64.rps ? { ...at4, best: 4 } : { ...at64, best: 64 });
  }
  if (openssl.exitCode === null) {
    const exited = new Promise((r) => openssl.once("exit", r));
    openssl.kill("SIGTERM");
    const t = setTimeout(() => openssl.kill("SIGKILL"), 2000);
    await exited;
    clearTimeout(t);
  }
  const m = (xs: LoadResult[]) => ({ rps: median(xs.map((x) => x.rps)), p99: median(xs.map((x) => x.p99)), bad: xs.reduce((a, x) => a + x.non2xx + x.errors, 0) });
  const o = m(ours);
  const g = m(gets);
  const ref = m(refs);
  process.stderr.write(`${JSON.stringify({ ours, gets, refs })}\n${opensslErr.slice(0, 500)}`);
  const refText = `openssl ocsp (best of 64 and 4 connections: ${refs.map((x) => x.best).join(", ")}): ${fmt(ref.rps)} req/s, p99 ${ref.p99} ms${ref.bad ? `, ${ref.bad} errors` : ""}`;
  report([
    { path: `OCSP POST, pre-signed, ${fmt(ROWS)} certificates, ${CONNECTIONS} connections`, figure: `${fmt(o.rps)} req/s, p99 ${o.p99} ms${o.bad ? `, ${o.bad} errors` : ""}`, reference: refText, ratio: ref.rps > 0 ? `${fmt(o.rps / ref.rps, 1)}×` : "reference failed", target: "≥ 10,000/s, p99 ≤ 10 ms, ≥ 10× openssl", met: o.rps >= 10_000 && o.p99 <= 10 && o.rps >= 10 * ref.rps },
    { path: `OCSP GET (RFC 5019), same`, figure: `${fmt(g.rps)} req/s, p99 ${g.p99} ms${g.bad ? `, ${g.bad} errors` : ""}`, reference: refText, ratio: ref.rps > 0 ? `${fmt(g.rps / ref.rps, 1)}×` : "reference failed", target: "≥ 10,000/s, p99 ≤ 10 ms", met: g.rps >= 10_000 && g.p99 <= 10 },
    { path: `OCSP pre-signing of ${fmt(ROWS)} responses`, figure: `${fmt(presignSeconds, 1)} s (${fmt(presigned / presignSeconds)} responses/s)` },
  ]);
  await svc.stop();
  fs.rmSync(dir, { recursive: true, force: true });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
