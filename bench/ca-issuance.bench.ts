import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { spawnSync } from "node:child_process";
import { startTestService } from "../test/support/service";
import { createBatch, runBatch } from "../src/ca/commands/batch";
import { generateKeyPair } from "../src/ca/algorithms";
import { execFileSync } from "node:child_process";
import { fmt, median, report, type BenchRow } from "./lib";

/** openssl speed -mr signs per second. OpenSSL 3 prints "+F2:<n>:<bits>:<signs/s>:<verifies/s>" (rates, not times). */
function signRate(alg: "rsa2048" | "ecdsap256"): number {
  const out = execFileSync("openssl", ["speed", "-seconds", "2", "-mr", alg], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
  const line = out.split("\n").find((l) => /^\+F[24]:/.test(l));
  if (!line) throw new Error("openssl speed gave no result");
  const v = Number(line.split(":")[3]);
  return v < 1 ? 1 / v : v; // older builds printed seconds per signature
}

/**
 * Batch issuance through the CA core (issue 9): subjects + public keys → pending rows → signatures
 * → DER stored, with audit entries, on the embedded SQLite store. Not yet the end-to-end path
 * (API → outbox → directory) the target names; the reference is openssl's signing rate.
 */
const N = Number(process.env.BENCH_CA_ITEMS ?? 3000);
const RUNS = Number(process.env.BENCH_CA_RUNS ?? 3);

async function rate(algorithm: "rsa" | "ecdsa"): Promise<number> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-ca-"));
  const init = spawnSync(process.execPath, [path.join(__dirname, "../bin/chungthu.js"), "ca", "init", "--algorithm", algorithm, "--root-curve", "P-256"], {
    env: { ...process.env, DATA_DIR: dir, CA_PASSPHRASE: "test-passphrase-123", LOG_LEVEL: "silent" }, encoding: "utf8",
  });
  if (init.status !== 0) throw new Error(init.stderr);
  const svc = await startTestService({}, dir);
  try {
    const key = await generateKeyPair({ kind: "ec", curve: "P-256" });
    const rates: number[] = [];
    for (let r = 0; r < RUNS; r++) {
      const items = Array.from({ length: N }, (_, i) => ({
        profile: "individual",
        subject: { commonName: `Cán bộ ${r}-${i}`, organization: "Văn phòng Chính phủ", province: "Hà Nội", identity: { type: "CCCD" as const, number: String(1e11 + i) }, email: `cb${i}@chinhphu.vn` },
        publicKey: key.spki.toString("base64"),
      }));
      const b = await createBatch(svc.services, "system", { items });
      const t0 = process.hrtime.bigint();
      await runBatch(svc.services, b.id, { chunkSize: 500 });
      rates.push(N / (Number(process.hrtime.bigint() - t0) / 1e9));
    }
    return median(rates);
  } finally {
    await svc.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

(async () => {
  const rows: BenchRow[] = [];
  for (const [alg, ref, target] of [["rsa", "rsa2048", 1000], ["ecdsa", "ecdsap256", 3000]] as const) {
    const r = await rate(alg);
    const limit = signRate(ref);
    rows.push({
      path: `batch issuance, CA core (${alg === "rsa" ? "RSA-2048" : "ECDSA P-256"} CA, ${fmt(N)} per batch, SQLite)`,
      figure: `${fmt(r)} certificates/s`, reference: `openssl speed ${ref}: ${fmt(limit)} signs/s`, ratio: `${fmt(r / limit, 2)} of the signing limit`,
      target: `≥ ${fmt(target)}/s end to end`, met: r >= target,
    });
  }
  report(rows);
})();
