/**
 * The HTTP load generator when Debian's `wrk` is installed (C, one event-loop thread): it takes a
 * fraction of the CPU autocannon (Node) needs for the same rate, which on a 2-core machine is CPU
 * the server under test and the reference get back. The requests are written into a Lua script
 * (bodies as decimal escapes: binary DER is safe in a Lua string), one request per body or path,
 * cycled; `done` prints the counts and latency percentiles as one JSON line.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { LoadOptions, LoadResult } from "./lib";

const luaString = (b: Buffer) => `"${Array.from(b, (x) => `\\${x}`).join("")}"`;

export function wrkScript(o: LoadOptions): string {
  const target = new URL(o.url);
  const specs = o.bodies ? o.bodies.map((b) => `{${JSON.stringify(target.pathname)}, ${luaString(b)}}`) : (o.paths ?? [target.pathname]).map((p) => `{${JSON.stringify(p)}, nil}`);
  const headers = Object.entries(o.headers ?? {}).map(([k, v]) => `[${JSON.stringify(k)}] = ${JSON.stringify(v)}`).join(", ");
  const method = o.method ?? (o.bodies ? "POST" : "GET");
  // wrk's own resolve() opens and closes a test connection first: a single-process openssl responder
  // blocks on it for the whole run (0 answers). The address is taken as it is instead.
  return `wrk.resolve = function(host, service) wrk.addrs = wrk.lookup(host, service) end
local specs = {
${specs.join(",\n")}
}
local reqs = {}
local n = 0
init = function(args)
  for i, s in ipairs(specs) do reqs[i] = wrk.format(${JSON.stringify(method)}, s[1], { ${headers} }, s[2]) end
end
request = function()
  n = n + 1
  return reqs[(n % #reqs) + 1]
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('WRK_RESULT {"total":%d,"us":%d,"p50":%.3f,"p99":%.3f,"errors":%d,"non2xx":%d,"timeouts":%d}\\n',
    summary.requests, summary.duration, latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    e.connect + e.read + e.write, e.status, e.timeout))
end
`;
}

/** Runs wrk (one thread, o.connections connections) and reads its result line. */
export function wrkLoad(o: LoadOptions): Promise<LoadResult> {
  const file = path.join(os.tmpdir(), `wrk-${process.pid}-${Date.now()}.lua`);
  fs.writeFileSync(file, wrkScript(o));
  const target = new URL(o.url);
  return new Promise((resolve, reject) => {
    const child = spawn("wrk", ["-t", "1", "-c", String(o.connections), "-d", `${o.duration}s`, "--timeout", "10s", "-s", file, `${target.protocol}//${target.host}`], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (out += d));
    child.on("error", reject);
    child.on("exit", (code) => {
      fs.rmSync(file, { force: true });
      const line = out.split("\n").find((l) => l.startsWith("WRK_RESULT "));
      if (code !== 0 || !line) return reject(new Error(`wrk exited ${code}: ${out.trim().slice(-300)}`));
      const r = JSON.parse(line.slice("WRK_RESULT ".length)) as { total: number; us: number; p50: number; p99: number; errors: number; non2xx: number; timeouts: number };
      // Requests counted by wrk include non-2xx answers; the rate is of answers, as autocannon's.
      resolve({ rps: r.total / (r.us / 1e6), p50: round(r.p50), p99: round(r.p99), non2xx: r.non2xx, errors: r.errors, timeouts: r.timeouts, total: r.total });
    });
  });
}

const round = (ms: number) => Math.round(ms * 10) / 10;
