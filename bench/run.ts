/**
 * npm run bench: every benchmark in bench/, one after the other, each printing its own lines.
 * A benchmark is a script that runs on import and exits by itself; run.ts spawns each in turn.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const here = __dirname;
const only = process.argv.slice(2);
for (const f of fs.readdirSync(here).filter((n) => n.endsWith(".ts") && n !== "run.ts").sort()) {
  if (only.length && !only.some((o) => f.includes(o))) continue;
  const r = spawnSync(process.execPath, ["--import", "tsx", path.join(here, f)], { stdio: "inherit" });
  if (r.status !== 0) process.exitCode = 1;
}
