import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { startTestService, type TestService } from "./service";
import { createTestCa, type TestCa } from "./testCa";

export const run = promisify(execFile);

/** The real service with a test CA whose signer the status services use. */
export async function startStatusService(env: Record<string, string> = {}): Promise<{ svc: TestService; ca: TestCa; dir: string }> {
  const svc = await startTestService(env);
  const ca = await createTestCa(svc.services.db);
  svc.services.status.signers = async (name) => (name === ca.name ? ca.signer : undefined);
  const dir = path.join(svc.dataDir, "openssl");
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, "ca.pem"), ca.pem);
  return { svc, ca, dir };
}

/** Runs openssl and returns stdout+stderr and the exit code, without throwing on failure. */
export async function openssl(args: string[], opts: { cwd?: string; input?: Buffer } = {}): Promise<{ out: string; code: number }> {
  try {
    const r = await run("openssl", args, { cwd: opts.cwd, maxBuffer: 64 * 1024 * 1024 });
    return { out: r.stdout + r.stderr, code: 0 };
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; code?: number };
    return { out: (e.stdout ?? "") + (e.stderr ?? ""), code: typeof e.code === "number" ? e.code : 1 };
  }
}
