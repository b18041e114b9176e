/**
 * OCSP (pre-signed, POST and GET) and TSA throughput over HTTP against the real service, with
 * autocannon as the load generator (issue 9 targets: OCSP ≥ 10,000/s, TSA ≥ 2,000/s on 2 cores).
 *
 *   node --import tsx bench/status.ts            # 10 s per case, 64 connections
 *   DURATION=5 CONNECTIONS=32 node --import tsx bench/status.ts
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import crypto from "node:crypto";
import autocannon from "autocannon";
import { loadConfig } from "../src/config";
import { startService } from "../src/service";
import * as der from "../src/status/der";

const DURATION = Number(process.env.DURATION ?? 10);
const CONNECTIONS = Number(process.env.CONNECTIONS ?? 64);

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-status-"));
  const svc = await startService(loadConfig({ HOST: "127.0.0.1", PORT: "0", DATA_DIR: dir, LOG_LEVEL: "silent", LDAP_PORT: "off", OUTBOX_POLL_MS: "0", CA_PASSPHRASE: "bench-passphrase-123" }));
  const s = svc.services;
  const caName = await s.ca.issuingName();
  const chain = await s.ca.chain(caName);
  // A certificate row to ask about (status lookups do not need its DER).
  const serial = "7" + crypto.randomBytes(15).toString("hex");
  await s.db("certificates").insert({ serial, ca_name: caName, status: "issued", profile: "individual", not_after: new Date(Date.now() + 86400_000 * 365).toISOString(), created_at: new Date().toISOString() });
  const pem = `-----BEGIN CERTIFICATE-----\n${chain[0].der.toString("base64").replace(/(.{64})/g, "$1\n").replace(/\n$/, "")}\n-----END CERTIFICATE-----\n`;
  fs.writeFileSync(path.join(dir, "issuing.pem"), pem);
  execFileSync("openssl", ["ocsp", "-issuer", "issuing.pem", "-serial", "0x" + serial, "-no_nonce", "-reqout", "req.der"], { cwd: dir, stdio: "pipe" });
  const ocspReq = fs.readFileSync(path.join(dir, "req.der"));
  const tsq = der.seq(der.intNumber(1), der.seq(der.seq(der.oid("2.16.840.1.101.3.4.2.1")), der.octets(crypto.randomBytes(32))), der.intHex(crypto.randomBytes(8).toString("hex")), Buffer.from([0x01, 0x01, 0xff]));
  // Warm: responder and TSA keys issued, response pre-signed.
  await fetch(svc.url + "/ocsp", { method: "POST", body: new Uint8Array(ocspReq), headers: { "content-type": "application/ocsp-request" } });
  await fetch(svc.url + "/tsa", { method: "POST", body: new Uint8Array(tsq), headers: { "content-type": "application/timestamp-query" } });

  const cases = [
    { name: "OCSP POST (pre-signed)", opts: { url: svc.url + "/ocsp", method: "POST" as const, body: ocspReq, headers: { "content-type": "application/ocsp-request" } } },
    { name: "OCSP GET (pre-signed)", opts: { url: svc.url + "/ocsp/" + encodeURIComponent(ocspReq.toString("base64")), method: "GET" as const } },
    { name: "TSA POST (RSA-2048)", opts: { url: svc.url + "/tsa", method: "POST" as const, body: tsq, headers: { "content-type": "application/timestamp-query" } } },
  ];
  // The signing limit in the same run: RSA-2048 PKCS#1 v1.5 signatures/s on the thread pool (as the TSA signs).
  const { privateKey } = crypto.generateKeyPairSync("rsa", { modulusLength: 2048 });
  let signed = 0;
  const until = Date.now() + 3000;
  await Promise.all(Array.from({ length: 16 }, async () => {
    while (Date.now() < until) {
      await new Promise((res, rej) => crypto.sign("sha256", tsq, privateKey, (e) => (e ? rej(e) : res(null))));
      signed++;
    }
  }));
  console.log(`signing limit: ${(signed / 3).toFixed(0)} RSA-2048 signatures/s (crypto.sign on the thread pool)`);
  console.log(`machine: ${os.cpus().length} × ${os.cpus()[0]?.model}; node ${process.version}; ${CONNECTIONS} connections, ${DURATION} s each`);
  for (const c of cases) {
    const r = await autocannon({ ...c.opts, connections: CONNECTIONS, duration: DURATION });
    console.log(`${c.name}: ${r.requests.average.toFixed(0)} req/s, p50 ${r.latency.p50} ms, p99 ${r.latency.p99} ms, non-2xx ${r.non2xx}, errors ${r.errors}`);
  }
  await svc.stop();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
