import { execFile, execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { startTestService, type TestService } from "./service";
import { REVOCATION_REASONS } from "../../src/ca/revocation";

export const run = promisify(execFile);

/** The service's real issuing CA (the development hierarchy created at start), driven through the API. */
export interface IssuingCa {
  name: string;
  /** PEM of the issuing CA certificate alone (openssl ocsp -issuer). */
  pem: string;
  /** Issues a certificate through POST /api/certificates from an openssl CSR. */
  issue(cn: string): Promise<{ serial: string; pem: string }>;
  /** Revokes through POST /api/certificates/:serial/revoke (which enqueues crl.regenerate). */
  revoke(serial: string, reason: number, opts?: { invalidityDate?: string }): Promise<void>;
}

const reasonNames = Object.fromEntries(Object.entries(REVOCATION_REASONS).map(([k, v]) => [v, k]));

/**
 * The real service with its development CA hierarchy. Writes into `dir`: ca.pem (root + issuing, the
 * trust chain for openssl -CAfile), issuing.pem, and a CSR to issue from.
 */
export async function startStatusService(env: Record<string, string> = {}): Promise<{ svc: TestService; ca: IssuingCa; dir: string }> {
  const svc = await startTestService({ PUBLIC_BASE_URL: "http://ca.test.gov.vn", ...env });
  const operator = await svc.userWithRoles("status-operator", ["ca_operator"]);
  const name = await svc.services.ca.issuingName();
  const chain = await svc.services.ca.chain(name);
  const pem = (d: Buffer) => `-----BEGIN CERTIFICATE-----\n${d.toString("base64").replace(/(.{64})/g, "$1\n").replace(/\n$/, "")}\n-----END CERTIFICATE-----\n`;
  const dir = path.join(svc.dataDir, "openssl");
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, "ca.pem"), chain.map((c) => pem(c.der)).join(""));
  fs.writeFileSync(path.join(dir, "issuing.pem"), pem(chain[0].der));
  execFileSync("openssl", ["req", "-new", "-newkey", "rsa:2048", "-nodes", "-keyout", "leaf.key", "-out", "leaf.csr", "-subj", "/CN=ignored"], { cwd: dir, stdio: "pipe" });
  const csr = fs.readFileSync(path.join(dir, "leaf.csr"), "utf8");
  let n = 0;
  let second: string | undefined;
  const ca: IssuingCa = {
    name,
    pem: pem(chain[0].der),
    async issue(cn) {
      n++;
      const r = await svc.request("POST", "/api/certificates", {
        token: operator,
        json: {
          profile: "individual", csr,
          subject: { commonName: cn, organization: "Bộ Thử nghiệm", province: "Hà Nội", identity: { type: "CCCD", number: `0011900${String(n).padStart(5, "0")}` }, email: `t${n}@test.gov.vn` },
        },
      });
      if (r.status !== 201) throw new Error(`issue: ${r.status} ${await r.text()}`);
      const body = (await r.json()) as { serial: string; pem: string };
      return { serial: body.serial, pem: body.pem };
    },
    async revoke(serial, reason, opts = {}) {
      const r = await svc.request("POST", `/api/certificates/${serial}/revoke`, { token: operator, json: { reason: reasonNames[reason], invalidityDate: opts.invalidityDate } });
      if (r.status === 202) {
        // Dual control (urgent revocation): a second CA operator approves it.
        second ??= await svc.userWithRoles("status-operator-2", ["ca_operator"]);
        const { id } = (await r.json()) as { id: string };
        const a = await svc.request("POST", `/api/approvals/${id}/approve`, { token: second, json: {} });
        const body = (await a.json()) as { status: string };
        if (body.status !== "executed") throw new Error(`approve: ${a.status} ${JSON.stringify(body)}`);
        return;
      }
      if (r.status !== 200) throw new Error(`revoke: ${r.status} ${await r.text()}`);
    },
  };
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
