/**
 * The load generator, in its own process so that it is not part of the system under test:
 * autocannon with the options given as JSON in argv[2] (request bodies as base64 in `bodies`, one
 * request per body, cycled). Prints one JSON line: requests/s, latency percentiles, errors.
 */
import fs from "node:fs";
import autocannon from "autocannon";

// The options as JSON, or @file holding them (bench/lib.ts writes a file: argv has a size limit).
const arg = process.argv[2];
const o = JSON.parse(arg.startsWith("@") ? fs.readFileSync(arg.slice(1), "utf8") : arg) as {
  url: string; method?: string; headers?: Record<string, string>; bodies?: string[]; paths?: string[];
  connections: number; duration: number; pipelining?: number;
};
const requests = o.bodies
  ? o.bodies.map((b) => ({ method: o.method ?? "POST", headers: o.headers, body: Buffer.from(b, "base64") }))
  : o.paths?.map((p) => ({ method: o.method ?? "GET", headers: o.headers, path: p }));
autocannon({ url: o.url, connections: o.connections, duration: o.duration, pipelining: o.pipelining ?? 1, requests: requests as never, headers: o.headers }, (err: unknown, r: any) => {
  if (err) {
    console.error(err);
    process.exit(1);
  }
  process.stdout.write(JSON.stringify({ rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, non2xx: r.non2xx, errors: r.errors, timeouts: r.timeouts, total: r.requests.total }) + "\n");
});
