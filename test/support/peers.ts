import { execFileSync } from "node:child_process";
import type { Context } from "mocha";

/** True when a command is on PATH. */
export function hasCommand(cmd: string): boolean {
  try {
    execFileSync("sh", ["-c", `command -v ${cmd}`], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

/**
 * A test that needs a real peer (slapd, openssl, pdftotext, SoftHSM2…) skips locally with a visible
 * reason when it is missing, but under CI=true it fails: CI must run every test.
 */
export function requirePeer(ctx: Context, what: string, available: boolean, install: string): void {
  if (available) return;
  const reason = `${what} is not installed (${install})`;
  if (process.env.CI === "true") throw new Error(`CI=true and ${reason}`);
  // eslint-disable-next-line no-console
  console.log(`      skipped: ${reason}`);
  ctx.skip();
}
