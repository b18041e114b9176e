import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { loadConfig } from "../../src/config";
import { startService, type RunningService } from "../../src/service";
import { cliActor, type Role } from "../../src/auth/actor";
import { createUser, issueToken } from "../../src/auth/users";

export interface TestService extends RunningService {
  dataDir: string;
  adminToken: string;
  /** fetch against the service with an optional bearer token. */
  request(method: string, p: string, opts?: { token?: string; json?: unknown; body?: BodyInit; headers?: Record<string, string> }): Promise<Response>;
  /**
   * Creates a user with roles and returns its token, the way the CLI does on the CA host (direct
   * database access, actor "cli"): over the API no administrator may hold another user's token.
   */
  userWithRoles(username: string, roles: Role[]): Promise<string>;
  /** Runs the outbox until nothing is due. */
  drainOutbox(): Promise<number>;
}

/** Starts the real service on 127.0.0.1 with a fresh data directory. */
export async function startTestService(env: Record<string, string> = {}, dataDir?: string): Promise<TestService> {
  const dir = dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), "chungthu-test-"));
  const config = loadConfig({
    HOST: "127.0.0.1", PORT: "0", DATA_DIR: dir, LOG_LEVEL: process.env.LOG_LEVEL ?? "silent",
    LDAP_PORT: "off", OUTBOX_POLL_MS: "0", CA_PASSPHRASE: "test-passphrase-123", ...env,
  });
  const running = await startService(config);
  const adminToken = fs.readFileSync(path.join(dir, "admin.token"), "utf8").trim();
  const request: TestService["request"] = (method, p, opts = {}) => {
    const headers: Record<string, string> = { ...(opts.headers ?? {}) };
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    let body = opts.body;
    if (opts.json !== undefined) {
      headers["content-type"] ??= "application/json";
      body = JSON.stringify(opts.json);
    }
    return fetch(running.url + p, { method, headers, body });
  };
  return {
    ...running,
    dataDir: dir,
    adminToken,
    request,
    async userWithRoles(username, roles) {
      const user = await createUser(running.services.db, cliActor, { username, fullName: username, roles });
      return (await issueToken(running.services.db, cliActor, user.id, { label: "test" })).secret;
    },
    async drainOutbox() {
      let total = 0;
      for (let i = 0; i < 50; i++) {
        const n = await running.services.worker.runOnce();
        total += n;
        if (n === 0) break;
      }
      return total;
    },
  };
}
