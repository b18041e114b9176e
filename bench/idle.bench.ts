import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fmt, median, report } from "./lib";

/**
 * Idle service: start it exactly as `npm start` does (package.json's start script) with the embedded
 * defaults, let it settle, read its RSS.
 */
const root = path.resolve(__dirname, "..");
const startScript: string = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")).scripts.start;
const [nodeCommand, ...startArgs] = startScript.split(/\s+/);
if (nodeCommand !== "node") throw new Error(`npm start is not a node command: ${startScript}`);

async function once(): Promise<number> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "chungthu-idle-"));
  const child = spawn(process.execPath, startArgs, {
    cwd: root,
    env: { ...process.env, DATA_DIR: dir, PORT: "0", LDAP_PORT: "0", LOG_LEVEL: "info", CA_PASSPHRASE: "bench-passphrase" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  await new Promise<void>((resolve, reject) => {
    let out = "";
    child.stdout.on("data", (d) => {
      out += d;
      if (out.includes("chungthu đang phục vụ")) resolve();
    });
    child.on("exit", (c) => reject(new Error(`exited ${c}`)));
    setTimeout(() => reject(new Error("start timeout")), 60_000);
  });
  await new Promise((r) => setTimeout(r, 5000));
  const status = fs.readFileSync(`/proc/${child.pid}/status`, "utf8");
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)![1]);
  child.kill("SIGTERM");
  await new Promise((r) => child.once("exit", r));
  fs.rmSync(dir, { recursive: true, force: true });
  return kb / 1024;
}

(async () => {
  const mb: number[] = [];
  for (let i = 0; i < 3; i++) mb.push(await once());
  const m = median(mb);
  report([{ path: `idle service RSS (\`${startScript}\`)`, figure: `${fmt(m, 1)} MB`, target: "≤ 150 MB", met: m <= 150 }]);
})();
