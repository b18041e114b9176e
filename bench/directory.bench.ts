/**
 * Directory search, subtree by mail, 100,000 person entries, 1 and 16 searches in flight: the
 * embedded LDAP server (src/directory/server.ts over its in-memory index) against a throwaway
 * OpenLDAP slapd (mdb, the project's ldap-schema/slapd.conf with its mail index) loaded with the
 * same entries by slapadd. The clients are ldapts in child processes (bench/ldapgen.ts): 16 in
 * flight = 2 processes × 8 connections.
 */
import { execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { DirectoryIndex } from "../src/directory/searchIndex";
import { startDirectoryServer } from "../src/directory/server";
import { createLogger } from "../src/log";
import { startSlapd } from "../test/support/slapd";
import { fmt, median, report } from "./lib";

const PEOPLE = Number(process.env.BENCH_PEOPLE ?? 100_000);
const DURATION = Number(process.env.BENCH_SECONDS ?? 5);
const RUNS = 3;
const BASE = "o=Ban Co yeu Chinh phu,c=VN";
const DOMAIN = "bench.gov.vn";
const AGENCIES = 50;

type Entry = { dn: string; attributes: Record<string, string[]> };
function* entries(): Generator<Entry> {
  yield { dn: BASE, attributes: { objectClass: ["organization"], o: ["Ban Co yeu Chinh phu"] } };
  for (let a = 0; a < AGENCIES; a++) yield { dn: `ou=Co quan ${a},${BASE}`, attributes: { objectClass: ["organizationalUnit"], ou: [`Co quan ${a}`] } };
  for (let i = 0; i < PEOPLE; i++) {
    yield {
      dn: `uid=user${i},ou=Co quan ${i % AGENCIES},${BASE}`,
      attributes: { objectClass: ["inetOrgPerson"], uid: [`user${i}`], cn: [`Nguyễn Văn Thử ${i}`], sn: ["Nguyễn"], mail: [`user${i}@${DOMAIN}`], o: [`Cơ quan ${i % AGENCIES}`] },
    };
  }
}

function ldif(): string {
  const out: string[] = [];
  const b64 = (v: string) => (/^[\x20-\x7e]*$/.test(v) && !/^[ :<]/.test(v) ? `: ${v}` : `:: ${Buffer.from(v, "utf8").toString("base64")}`);
  for (const e of entries()) {
    out.push(`dn${b64(e.dn)}`);
    for (const [k, vs] of Object.entries(e.attributes)) for (const v of vs) out.push(`${k}${b64(v)}`);
    out.push("");
  }
  return out.join("\n") + "\n";
}

function gen(url: string, inflight: number): Promise<{ rps: number; p99: number; errors: number }> {
  const procs = inflight >= 8 ? 2 : 1;
  return Promise.all(Array.from({ length: procs }, () => new Promise<{ rps: number; p99: number; errors: number }>((resolve, reject) => {
    const c = spawn(process.execPath, ["--import", "tsx", path.join(__dirname, "ldapgen.ts"), JSON.stringify({ url, base: BASE, inflight: inflight / procs, duration: DURATION, people: PEOPLE, domain: DOMAIN })], { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    c.stdout.on("data", (d) => (out += d));
    c.on("exit", (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`ldapgen exited ${code}`))));
  }))).then((rs) => ({ rps: rs.reduce((a, r) => a + r.rps, 0), p99: Math.max(...rs.map((r) => r.p99)), errors: rs.reduce((a, r) => a + r.errors, 0) }));
}

async function main() {
  const index = new DirectoryIndex();
  for (const e of entries()) index.put(e);
  const server = await startDirectoryServer({ host: "127.0.0.1", port: 0, base: BASE, index, log: createLogger("silent") });

  const slapd = await startSlapd(BASE);
  await slapd.stop();
  fs.writeFileSync(path.join(slapd.dir, "data.ldif"), ldif());
  fs.rmSync(path.join(slapd.dir, "db"), { recursive: true, force: true });
  fs.mkdirSync(path.join(slapd.dir, "db"));
  execFileSync("/usr/sbin/slapadd", ["-q", "-f", path.join(slapd.dir, "slapd.conf"), "-l", path.join(slapd.dir, "data.ldif")], { stdio: "pipe" });
  await slapd.start();

  const rows = [];
  try {
    for (const inflight of [1, 16]) {
      const ours = [];
      const refs = [];
      for (let r = 0; r < RUNS; r++) {
        ours.push(await gen(server.url, inflight));
        refs.push(await gen(slapd.url, inflight));
      }
      const o = median(ours.map((x) => x.rps));
      const s = median(refs.map((x) => x.rps));
      const bad = [...ours, ...refs].reduce((a, x) => a + x.errors, 0);
      process.stderr.write(`${inflight} in flight: ${JSON.stringify({ ours, refs })}\n`);
      rows.push({
        path: `directory search, subtree by mail, ${fmt(PEOPLE)} entries, ${inflight} in flight (embedded)`,
        figure: `${fmt(o)} searches/s, p99 ${fmt(median(ours.map((x) => x.p99)), 1)} ms${bad ? `, ${bad} errors` : ""}`,
        reference: `slapd (mdb, mail indexed): ${fmt(s)} searches/s, p99 ${fmt(median(refs.map((x) => x.p99)), 1)} ms`,
        ratio: `${fmt((o / s) * 100)} % of slapd`,
        target: inflight === 1 ? "≥ 2,000/s" : "≥ 50 % of slapd",
        met: inflight === 1 ? o >= 2000 : o >= s / 2,
      });
    }
  } finally {
    await server.close();
    await slapd.destroy();
  }
  report(rows);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
