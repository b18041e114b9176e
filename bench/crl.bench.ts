/**
 * A full CRL with 1,000,000 revoked entries: bench/crl.ts (src/ca/crl/build.ts over pages of
 * revoked rows, signed with RSA-2048) against `openssl ca -gencrl` over a 1,000,000-line index.txt
 * with the same serials, RSA-2048 CA key too. Both run as child processes under /usr/bin/time:
 * wall time and peak RSS of the whole process (ours includes Node.js start and making the rows).
 */
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fmt, median, report } from "./lib";

const N = Number(process.env.BENCH_CRL_ENTRIES ?? 1_000_000);
const RUNS = 2;
const REASONS = ["unspecified", "keyCompromise", "CACompromise", "affiliationChanged", "superseded", "cessationOfOperation", "certificateHold"];

function timed(cmd: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) {
  const r = spawnSync("/usr/bin/time", ["-f", "TIME %e %M", cmd, ...args], { ...opts, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  const m = /TIME ([\d.]+) (\d+)/.exec(r.stderr ?? "");
  if (r.status !== 0 || !m) throw new Error(`${cmd} failed: ${(r.stderr ?? "").slice(-500)}`);
  return { seconds: Number(m[1]), peakMiB: Number(m[2]) / 1024, stdout: r.stdout };
}

function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-crl-openssl-"));
  execFileSync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-subj", "/CN=Bench CA", "-days", "365"], { cwd: dir, stdio: "pipe" });
  const revoked = new Date(Date.now() - 86400_000).toISOString().replace(/[-:T]/g, "").slice(2, 14) + "Z";
  const notAfter = new Date(Date.now() + 365 * 86400_000).toISOString().replace(/[-:T]/g, "").slice(2, 14) + "Z";
  const lines: string[] = [];
  for (let i = 0; i < N; i++) {
    // The same serials as bench/crl.ts makes.
    const serial = (BigInt(i + 1) * 0x9e3779b97f4a7c15n + 0x7000000000000000n).toString(16).toUpperCase();
    const reason = REASONS[i % 11] ?? "keyCompromise";
    lines.push(`R\t${notAfter}\t${revoked},${reason}\t${serial.length % 2 ? "0" + serial : serial}\tunknown\t/CN=Bench ${i}`);
  }
  fs.writeFileSync(path.join(dir, "index.txt"), lines.join("\n") + "\n");
  fs.writeFileSync(path.join(dir, "index.txt.attr"), "unique_subject = no\n");
  fs.writeFileSync(path.join(dir, "crlnumber"), "01\n");
  fs.writeFileSync(path.join(dir, "openssl.cnf"), [
    "[ ca ]", "default_ca = bench", "[ bench ]", `dir = ${dir}`, "database = $dir/index.txt", "certificate = $dir/ca.pem", "private_key = $dir/ca.key",
    "crlnumber = $dir/crlnumber", "default_md = sha256", "default_crl_days = 1", "crl_extensions = crl_ext", "[ crl_ext ]", "authorityKeyIdentifier = keyid:always", "",
  ].join("\n"));

  const ours = [];
  const refs = [];
  for (let r = 0; r < RUNS; r++) {
    const o = timed(process.execPath, ["--import", "tsx", path.join(__dirname, "crl.ts")], { env: { ...process.env, N: String(N), CRL_NO_VERIFY: "1" } });
    const build = /build \+ sign: ([\d.]+) s/.exec(o.stdout);
    ours.push({ ...o, build: build ? Number(build[1]) : NaN });
    refs.push(timed("openssl", ["ca", "-gencrl", "-batch", "-config", "openssl.cnf", "-out", "crl.pem"], { cwd: dir }));
  }
  fs.rmSync(dir, { recursive: true, force: true });
  const os_ = median(ours.map((x) => x.seconds));
  const rs = median(refs.map((x) => x.seconds));
  const om = median(ours.map((x) => x.peakMiB));
  const rm = median(refs.map((x) => x.peakMiB));
  process.stderr.write(`${JSON.stringify({ ours: ours.map(({ stdout, ...x }) => x), refs: refs.map(({ stdout, ...x }) => x) })}\n`);
  report([{
    path: `full CRL, ${fmt(N)} revoked entries, RSA-2048`,
    figure: `${fmt(os_, 2)} s, peak RSS ${fmt(om)} MiB (whole process; build + sign ${fmt(median(ours.map((x) => x.build)), 2)} s)`,
    reference: `openssl ca -gencrl: ${fmt(rs, 2)} s, peak RSS ${fmt(rm)} MiB`,
    ratio: `time ${fmt(os_ / rs, 2)}× openssl's, memory ${fmt(om / rm, 2)}×`,
    target: "≤ 10 s, ≤ 1 GiB, faster than openssl",
    met: os_ <= 10 && om <= 1024 && os_ < rs,
  }]);
}

main();
