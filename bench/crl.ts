/**
 * A full CRL with 1,000,000 revoked entries (issue 6, target of issue 9: ≤ 10 s, ≤ 1 GiB peak RSS).
 *
 *   node --import tsx bench/crl.ts            # synthetic rows, generated page by page
 *   node --import tsx bench/crl.ts --db       # rows in a SQLite `certificates` table, read by keyset
 *   N=200000 node --import tsx bench/crl.ts   # another size
 *   CRL_NO_VERIFY=1 …                          # skip the openssl check (bench/crl.bench.ts times the process)
 *
 * Prints the build time (rows → signed DER), the CRL size and the process's peak RSS; checks the
 * result with `openssl crl` when openssl is present.
 */
import crypto from "node:crypto";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { X509Certificate } from "@peculiar/x509";
import type { CaSigner } from "../src/ca/signer";
import { buildCrl, type RevokedEntry } from "../src/ca/crl/build";
import * as der from "../src/status/der";
import { openDatabase } from "../src/store/db";
import { revokedPages } from "../src/ca/crl/store";
import { CrlService } from "../src/ca/crl/service";
import { loadConfig } from "../src/config";
import { createLogger } from "../src/log";
import type { Knex } from "knex";

const N = Number(process.env.N ?? 1_000_000);
const useDb = process.argv.includes("--db");
const PAGE = 10_000;

function testSigner(): CaSigner {
  const { publicKey, privateKey } = crypto.generateKeyPairSync("rsa", { modulusLength: 2048 });
  const alg = der.algorithm("1.2.840.113549.1.1.11");
  const spki = publicKey.export({ type: "spki", format: "der" });
  const nm = der.seq(der.set(der.seq(der.oid("2.5.4.3"), der.tlv(0x0c, Buffer.from("Bench CA")))));
  const now = new Date();
  const tbs = der.seq(der.explicit(0, der.intNumber(2)), der.intHex("1"), alg, nm, der.seq(der.time(now), der.time(new Date(now.getTime() + 365 * 86400_000))), nm, spki);
  const caDer = der.seq(tbs, alg, der.bitString(crypto.sign("sha256", tbs, privateKey)));
  fs.writeFileSync(path.join(os.tmpdir(), "bench-crl-ca.pem"), `-----BEGIN CERTIFICATE-----\n${caDer.toString("base64").replace(/(.{64})/g, "$1\n").replace(/\n$/, "")}\n-----END CERTIFICATE-----\n`);
  return {
    name: "bench", certificate: null as unknown as X509Certificate, der: caDer,
    signingAlgorithm: { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" }, signatureAlgorithmDer: alg,
    sign: async (t) => {
      const b = crypto.sign("sha256", Buffer.from(t as Uint8Array), privateKey);
      return b.buffer.slice(b.byteOffset, b.byteOffset + b.length) as ArrayBuffer;
    },
  };
}

const revokedAt = new Date(Date.now() - 86400_000).toISOString();
const entry = (i: number): RevokedEntry => ({
  serial: (BigInt(i + 1) * 0x9e3779b97f4a7c15n + 0x7000000000000000n).toString(16), // 64+ bits, distinct
  revokedAt,
  reason: i % 11 === 7 ? 1 : i % 11,
  invalidityDate: i % 10 === 0 ? revokedAt : null,
});

async function* synthetic(): AsyncGenerator<RevokedEntry[]> {
  for (let i = 0; i < N; i += PAGE) yield Array.from({ length: Math.min(PAGE, N - i) }, (_, k) => entry(i + k));
}

async function main() {
  const signer = testSigner();
  let pages: AsyncIterable<RevokedEntry[]> = synthetic();
  let db: Knex | undefined;
  if (useDb) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-crl-"));
    const opened = await openDatabase(undefined, dir);
    db = opened;
    const now = new Date().toISOString();
    const future = new Date(Date.now() + 365 * 86400_000).toISOString();
    await opened("cas").insert({ name: "bench", role: "issuing", subject_dn: "CN=Bench CA", certificate: signer.der, key_storage: "encrypted", key_algorithm: "RSA-2048", not_before: now, not_after: future, created_at: now });
    const t = Date.now();
    await opened.transaction(async (trx) => {
      for (let i = 0; i < N; i += 400) {
        const rows = Array.from({ length: Math.min(400, N - i) }, (_, k) => {
          const e = entry(i + k);
          return { serial: e.serial, ca_name: "bench", status: "revoked", profile: "bench", revoked_at: e.revokedAt, revocation_reason: e.reason, invalidity_date: e.invalidityDate, not_after: future, created_at: now };
        });
        await trx("certificates").insert(rows);
      }
    });
    console.log(`inserted ${N} rows in ${((Date.now() - t) / 1000).toFixed(1)} s (not counted)`);
    pages = revokedPages(opened, "bench", { notExpiredAt: now });
  }
  const rssBefore = process.resourceUsage().maxRSS;
  const t0 = process.hrtime.bigint();
  const now = new Date();
  const crl = await buildCrl({ signer, number: 1, thisUpdate: now, nextUpdate: new Date(now.getTime() + 86400_000), freshestCrlUrl: "http://127.0.0.1/crl/bench/delta.crl" }, pages);
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const peak = process.resourceUsage().maxRSS;
  const file = path.join(os.tmpdir(), "bench-crl.der");
  fs.writeFileSync(file, crl.der);
  console.log(`source: ${useDb ? "SQLite keyset pages" : "synthetic pages"}; machine: ${os.cpus().length} × ${os.cpus()[0]?.model}; node ${process.version}`);
  console.log(`entries: ${crl.entries}; CRL size: ${(crl.der.length / 1048576).toFixed(1)} MiB`);
  console.log(`build + sign: ${seconds.toFixed(2)} s; peak RSS: ${(peak / 1024).toFixed(0)} MiB (before build: ${(rssBefore / 1024).toFixed(0)} MiB)`);
  if (!process.env.CRL_NO_VERIFY) try {
    const t1 = Date.now();
    execFileSync("openssl", ["crl", "-inform", "der", "-in", file, "-noout", "-CAfile", path.join(os.tmpdir(), "bench-crl-ca.pem")], { stdio: "pipe" });
    console.log(`openssl crl parsed and verified it in ${((Date.now() - t1) / 1000).toFixed(1)} s`);
  } catch (err) {
    console.log(`openssl crl: ${(err as { stderr?: Buffer }).stderr?.toString() ?? err}`);
  }
  if (db) {
    // The real path: CrlService.regenerate = snapshot + full CRL + delta CRL + both stored + audit + outbox.
    const services: any = { db, config: loadConfig({ DATA_DIR: os.tmpdir() }), log: createLogger("silent"), healthChecks: {} };
    services.status = { signers: async () => signer };
    const t2 = process.hrtime.bigint();
    const issued = await new CrlService(services).regenerate("bench");
    const s2 = Number(process.hrtime.bigint() - t2) / 1e9;
    console.log(`CrlService.regenerate (full + delta, stored): ${s2.toFixed(2)} s, numbers ${JSON.stringify(issued)}; peak RSS now ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`);
  }
  await db?.destroy();
}

main().catch((err) => {
  console.error(String(err).slice(0, 500));
  process.exit(1);
});
