import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { spawnSync } from "node:child_process";
import { machine, type BenchRow } from "./lib";

/**
 * `npm run bench [name…]`: runs each bench/*.bench.ts in its own process (so one bench's memory
 * does not colour another's), collects their rows and writes bench/results.md.
 */
const dir = __dirname;
const only = process.argv.slice(2);
const files = fs.readdirSync(dir).filter((f) => f.endsWith(".bench.ts")).sort()
  .filter((f) => only.length === 0 || only.some((o) => f.startsWith(o)));

const rows: BenchRow[] = [];
const loadBefore = os.loadavg()[0];
const started = Date.now();
for (const f of files) {
  process.stderr.write(`bench ${f}…\n`);
  const r = spawnSync(process.execPath, ["--import", "tsx", "--expose-gc", path.join(dir, f)], {
    encoding: "utf8", timeout: 600_000, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, LOG_LEVEL: "silent" },
  });
  const line = (r.stdout ?? "").split("\n").find((l) => l.startsWith("BENCH_RESULT "));
  if (r.status !== 0 || !line) {
    rows.push({ path: f, figure: `failed: ${(r.stderr || r.error?.message || "").trim().split("\n").slice(-1)[0]}` });
    continue;
  }
  rows.push(...(JSON.parse(line.slice("BENCH_RESULT ".length)) as BenchRow[]));
}

const table = [
  "| path | figure | reference (same run) | ratio | target | met |",
  "|---|---|---|---|---|---|",
  ...rows.map((r) => `| ${r.path} | ${r.figure} | ${r.reference ?? "—"} | ${r.ratio ?? "—"} | ${r.target ?? "—"} | ${r.met === undefined ? "—" : r.met ? "yes" : "no"} |`),
].join("\n");
const load = `Load average (1 min) ${os.loadavg()[0].toFixed(1)} at the end, ${loadBefore.toFixed(1)} at the start; ${((Date.now() - started) / 1000).toFixed(0)} s in all`;
const md = `# Benchmark results\n\nMachine: ${machine()}\nDate: ${new Date().toISOString()}\n${load} (the machine is shared: compare ratios, not lone figures).\n\nMedians of several runs; ratios against references measured in the same run.\n\n${table}\n`;
if (only.length === 0) fs.writeFileSync(path.join(dir, "results.md"), md);
process.stdout.write(md);
