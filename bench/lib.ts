import fs from "node:fs";
import os from "node:os";
import { execFileSync, spawn } from "node:child_process";
import path from "node:path";
import { wrkLoad } from "./wrk";

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
  // -mr lines: +F2:<n>:<bits>:<sign>:<verify> (rsa) or +F4:… (ecdsa)
  const line = out.split("\n").find((l) => /^\+F[24]:/.test(l));
  if (!line) throw new Error("openssl speed gave no result");
  // OpenSSL 1.1 prints seconds per signature, OpenSSL 3 signatures per second.
  const v = Number(line.split(":")[3]);
  return v < 1 ? 1 / v : v;
}

export function machine(): string {
  const cpu = os.cpus()[0]?.model ?? "unknown CPU";
  return `${os.cpus().length} × ${cpu}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${os.platform()} ${os.release()}, Node ${process.version}`;
}

export const fmt = (n: number, digits = 0) => n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });

export interface LoadResult { rps: number; p50: number; p99: number; non2xx: number; errors: number; timeouts: number; total: number }

export interface LoadOptions { url: string; method?: string; headers?: Record<string, string>; bodies?: Buffer[]; paths?: string[]; connections: number; duration: number }

let generator: "wrk" | "autocannon" | undefined;
/**
 * The HTTP load generator: BENCH_LOADGEN=wrk|autocannon, by default Debian's wrk when it is on the
 * PATH (a C event loop: far less CPU per request than autocannon on a machine it shares with the
 * server), else autocannon. Both run in their own process; the tables name the one used.
 */
export function loadGenerator(): "wrk" | "autocannon" {
  if (generator) return generator;
  const asked = process.env.BENCH_LOADGEN;
  if (asked === "wrk" || asked === "autocannon") return (generator = asked);
  try {
    execFileSync("wrk", ["--version"], { stdio: "ignore" });
    generator = "wrk";
  } catch (err) {
    // wrk --version exits 1 after printing its version; only a missing binary is ENOENT.
    generator = (err as NodeJS.ErrnoException).code === "ENOENT" ? "autocannon" : "wrk";
  }
  return generator;
}

/** One load run in another process (wrk or autocannon): the load generator is not the process under test. */
export async function load(opts: LoadOptions): Promise<LoadResult> {
  if (loadGenerator() === "wrk") return wrkLoad(opts);
  // Through a file: 1,000 URL-encoded GET paths can pass the kernel's 128 KiB limit on one argument (E2BIG).
  const file = path.join(os.tmpdir(), `loadgen-${process.pid}-${Date.now()}.json`);
  fs.writeFileSync(file, JSON.stringify({ ...opts, bodies: opts.bodies?.map((b) => b.toString("base64")) }));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", path.join(__dirname, "loadgen.ts"), `@${file}`], { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.on("exit", (code) => {
      fs.rmSync(file, { force: true });
      try {
        if (code !== 0) throw new Error(`load generator exited ${code}`);
        resolve(JSON.parse(out.trim().split("\n").slice(-1)[0]) as LoadResult);
      } catch (err) {
        reject(err);
      }
    });
  });
}

export const pemOf = (der: Buffer, label = "CERTIFICATE") => `-----BEGIN ${label}-----\n${der.toString("base64").replace(/(.{64})/g, "$1\n").replace(/\n$/, "")}\n-----END ${label}-----\n`;

/** A free TCP port on 127.0.0.1. */
export async function freePort(): Promise<number> {
  const net = await import("node:net");
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, "127.0.0.1", () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });
}
