import os from "node:os";
import { execFileSync } from "node:child_process";

/**
 * Benchmarks print one JSON line prefixed with BENCH_RESULT; bench/run.ts collects them into
 * bench/results.md. Report medians of several runs and ratios against a reference measured in
 * the same run: the machine is shared and noisy.
 */
export interface BenchRow {
  path: string;
  figure: string;
  reference?: string;
  ratio?: string;
  target?: string;
  met?: boolean;
}

export function report(rows: BenchRow[]): void {
  process.stdout.write(`BENCH_RESULT ${JSON.stringify(rows)}\n`);
}

export const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

export async function timeRuns(runs: number, fn: () => Promise<void> | void): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    await fn();
    out.push(Number(process.hrtime.bigint() - t0) / 1e9);
  }
  return out;
}

/** openssl speed for a signature algorithm: signs per second (the signing limit on this machine). */
export function opensslSignRate(alg: "rsa2048" | "ecdsap256"): number {
  const out = execFileSync("openssl", ["speed", "-seconds", "2", "-mr", alg], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
  // OpenSSL 3 -mr lines: +F2:<n>:<bits>:<signs/s>:<verifies/s> (rsa), +F4:… (ecdsa)
  const line = out.split("\n").find((l) => /^\+F[24]:/.test(l));
  if (!line) throw new Error("openssl speed gave no result");
  return Number(line.split(":")[3]);
}

export function machine(): string {
  const cpu = os.cpus()[0]?.model ?? "unknown CPU";
  return `${os.cpus().length} × ${cpu}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${os.platform()} ${os.release()}, Node ${process.version}`;
}

export const fmt = (n: number, digits = 0) => n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });
