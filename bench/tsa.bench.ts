/**
 * RFC 3161 timestamps over HTTP (POST /tsa), RSA-2048 TSA key, 64 connections, 1,000 different
 * queries (SHA-256 imprints, nonces, certReq) cycled. Reference in the same run: the signing limit,
 * RSA-2048 PKCS#1 v1.5 signatures/s with crypto.sign on libuv's thread pool (as the TSA signs, all
 * cores), and `openssl speed rsa2048` (one core).
 */
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { loadConfig } from "../src/config";
import { startService } from "../src/service";
import * as der from "../src/status/der";
import { fmt, load, loadGenerator, median, opensslSignRate, report, type LoadResult } from "./lib";

const DURATION = Number(process.env.BENCH_SECONDS ?? 6);
const RUNS = 3;

async function signingLimit(): Promise<number> {
  const { privateKey } = crypto.generateKeyPairSync("rsa", { modulusLength: 2048 });
  const data = crypto.randomBytes(200);
  let signed = 0;
  const until = Date.now() + 3000;
  await Promise.all(Array.from({ length: 16 }, async () => {
    while (Date.now() < until) {
      await new Promise((res, rej) => crypto.sign("sha256", data, privateKey, (e) => (e ? rej(e) : res(null))));
      signed++;
    }
  }));
  return signed / 3;
}

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-tsa-"));
  const svc = await startService(loadConfig({ HOST: "127.0.0.1", PORT: "0", DATA_DIR: dir, LOG_LEVEL: "silent", LDAP_PORT: "off", OUTBOX_POLL_MS: "0", CA_PASSPHRASE: "bench-passphrase-123" }));
  const bodies = Array.from({ length: 1000 }, () =>
    der.seq(der.intNumber(1), der.seq(der.seq(der.oid("2.16.840.1.101.3.4.2.1")), der.octets(crypto.randomBytes(32))), der.intHex("1" + crypto.randomBytes(8).toString("hex")), der.boolTrue));
  const warm = await svc.services.status.tsa.respond(bodies[0]); // TSA key issued
  if (!warm.subarray(4, 9).equals(Buffer.from("3003020100", "hex"))) throw new Error("the TSA did not grant the warm-up request");
  const ours: LoadResult[] = [];
  const limits: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    ours.push(await load({ url: svc.url + "/tsa", method: "POST", headers: { "content-type": "application/timestamp-query" }, bodies, connections: 64, duration: DURATION }));
    limits.push(await signingLimit());
  }
  const oneCore = opensslSignRate("rsa2048");
  await svc.stop();
  fs.rmSync(dir, { recursive: true, force: true });
  const rps = median(ours.map((x) => x.rps));
  const p99 = median(ours.map((x) => x.p99));
  const bad = ours.reduce((a, x) => a + x.non2xx + x.errors, 0);
  const limit = median(limits);
  process.stderr.write(`${JSON.stringify({ ours, limits, oneCore })}\n`);
  report([{
    path: `TSA POST /tsa, RSA-2048, 64 connections (${loadGenerator()})`,
    figure: `${fmt(rps)} tokens/s, p99 ${p99} ms${bad ? `, ${bad} errors` : ""}`,
    reference: `signing limit ${fmt(limit)} signatures/s (thread pool, ${os.cpus().length} cores); openssl speed rsa2048 ${fmt(oneCore)}/s on one core`,
    ratio: `${fmt((rps / limit) * 100)} % of the signing limit`,
    target: "≥ 2,000 tokens/s", met: rps >= 2000,
  }]);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
