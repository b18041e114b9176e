import { execFileSync, spawnSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import knex from "knex";
import { hasCommand } from "./peers";

/** A throwaway PostgreSQL on 127.0.0.1 (see ../shared/recipes/postgresql.md). */
export interface TestPostgres {
  url: string;
  stop(): void;
}

export const hasPostgres = () => hasCommand("initdb") && hasCommand("pg_ctl");

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
    s.on("error", reject);
  });
}

interface Cluster {
  port: number;
  stop(): void;
}

/** initdb + pg_ctl start: one throwaway cluster on 127.0.0.1 (trust auth, fsync off). */
async function startCluster(): Promise<Cluster> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "chungthu-pg-"));
  fs.chmodSync(dir, 0o755);
  const port = await freePort();
  const asRoot = process.getuid?.() === 0;
  const run = (cmd: string, args: string[]) => {
    if (asRoot) {
      execFileSync("chown", ["postgres", dir]);
      const r = spawnSync("runuser", ["-u", "postgres", "--", cmd, ...args], { encoding: "utf8" });
      if (r.status !== 0) throw new Error(`${cmd} failed: ${r.stderr}`);
    } else {
      execFileSync(cmd, args, { stdio: "pipe" });
    }
  };
  run("initdb", ["-D", `${dir}/data`, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--locale=C"]);
  run("pg_ctl", ["-D", `${dir}/data`, "-l", `${dir}/log`, "-w", "start", "-o", `-k ${dir} -p ${port} -c listen_addresses=127.0.0.1 -c fsync=off`]);
  return {
    port,
    stop() {
      try {
        run("pg_ctl", ["-D", `${dir}/data`, "-m", "immediate", "-w", "stop"]);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

let cluster: Promise<Cluster> | undefined;

/**
 * A fresh, empty database of its own. The cluster behind it is started once per test run (initdb
 * costs seconds) and stopped when the process exits; each caller gets a new database in it, and
 * stop() drops that database.
 */
export async function startPostgres(): Promise<TestPostgres> {
  if (!cluster) {
    cluster = startCluster();
    const started = cluster;
    process.once("exit", () => {
      started.then((c) => c.stop(), () => undefined);
    });
  }
  let c: Cluster;
  try {
    c = await cluster;
  } catch (err) {
    cluster = undefined;
    throw err;
  }
  const name = `t_${crypto.randomBytes(6).toString("hex")}`;
  const admin = knex({ client: "pg", connection: `postgres://postgres@127.0.0.1:${c.port}/postgres`, pool: { min: 0, max: 1 } });
  try {
    await admin.raw(`CREATE DATABASE ${name}`);
  } finally {
    await admin.destroy();
  }
  return {
    url: `postgres://postgres@127.0.0.1:${c.port}/${name}`,
    stop() {
      const a = knex({ client: "pg", connection: `postgres://postgres@127.0.0.1:${c.port}/postgres`, pool: { min: 0, max: 1 } });
      void a.raw(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => undefined).finally(() => a.destroy());
    },
  };
}
