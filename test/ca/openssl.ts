import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

/** openssl as the independent verifier: runs it, returns stdout, throws with stderr on failure. */
export function openssl(args: string[], input?: Buffer | string): string {
  const r = spawnSync("openssl", args, { input, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`openssl ${args.join(" ")} failed (${r.status}): ${r.stderr}`);
  return r.stdout;
}

export function opensslStatus(args: string[], input?: Buffer | string): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync("openssl", args, { input, encoding: "utf8" });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

export function tmpDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), "chungthu-ca-"));
}

export const opensslBin = (args: string[]) => execFileSync("openssl", args);
