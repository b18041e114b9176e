import { spawn, execFile, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";

const execFileAsync = promisify(execFile);

/**
 * A throwaway OpenLDAP slapd on 127.0.0.1, configured from the project's ldap-schema/slapd.conf
 * (mdb in a temp dir). stop() and start() again keep the port and the data, for outage tests.
 */
export interface Slapd {
  url: string;
  /** ldaps:// listener, when started with TLS. */
  ldapsUrl?: string;
  port: number;
  suffix: string;
  rootDn: string;
  rootPw: string;
  dir: string;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Stops and removes the data. */
  destroy(): Promise<void>;
  /** ldapsearch -x -LLL -o ldif-wrap=no against it; returns stdout. */
  search(base: string, filter: string, attrs?: string[], extra?: string[]): Promise<string>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

export async function ldapsearch(url: string, base: string, filter: string, attrs: string[] = [], extra: string[] = []): Promise<{ stdout: string; code: number; stderr: string }> {
  try {
    const { stdout, stderr } = await execFileAsync("ldapsearch", ["-x", "-LLL", "-o", "ldif-wrap=no", "-H", url, "-b", base, ...extra, filter, ...attrs], { maxBuffer: 64 * 1024 * 1024 });
    return { stdout, stderr, code: 0 };
  } catch (err: any) {
    return { stdout: err.stdout ?? "", stderr: err.stderr ?? "", code: typeof err.code === "number" ? err.code : -1 };
  }
}

export async function startSlapd(suffix = "o=Ban Co yeu Chinh phu,c=VN", opts: { tls?: { certFile: string; keyFile: string } } = {}): Promise<Slapd> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "chungthu-slapd-"));
  fs.mkdirSync(path.join(dir, "db"));
  const rootDn = `cn=admin,${suffix}`;
  const rootPw = "secret-" + Math.random().toString(36).slice(2);
  const template = fs.readFileSync(path.resolve(__dirname, "../../ldap-schema/slapd.conf"), "utf8");
  const conf = template
    .replaceAll("@DATA_DIR@", dir)
    .replaceAll("@SUFFIX@", suffix)
    .replaceAll("@ROOT_DN@", rootDn)
    .replaceAll("@ROOT_PW@", rootPw);
  const tlsConf = opts.tls ? `\nTLSCertificateFile ${opts.tls.certFile}\nTLSCertificateKeyFile ${opts.tls.keyFile}\n` : "";
  fs.writeFileSync(path.join(dir, "slapd.conf"), conf + tlsConf);
  const port = await freePort();
  const url = `ldap://127.0.0.1:${port}`;
  const ldapsUrl = opts.tls ? `ldaps://127.0.0.1:${await freePort()}` : undefined;
  let child: ChildProcess | undefined;

  const up = async () => {
    for (let i = 0; i < 200; i++) {
      const r = await ldapsearch(url, "", "(objectClass=*)", ["1.1"], ["-s", "base"]);
      if (r.code === 0) return;
      if (child?.exitCode !== null && child?.exitCode !== undefined) throw new Error(`slapd exited with ${child.exitCode}`);
      await new Promise((res) => setTimeout(res, 50));
    }
    throw new Error("slapd did not start");
  };
  const slapd: Slapd = {
    url, ldapsUrl, port, suffix, rootDn, rootPw, dir,
    async start() {
      let stderr = "";
      child = spawn("/usr/sbin/slapd", ["-d", "0", "-f", path.join(dir, "slapd.conf"), "-h", ldapsUrl ? `${url}/ ${ldapsUrl}/` : `${url}/`], { stdio: ["ignore", "ignore", "pipe"] });
      child.stderr!.on("data", (d) => (stderr += d));
      try {
        await up();
      } catch (err) {
        throw new Error(`${(err as Error).message}: ${stderr}`);
      }
    },
    async stop() {
      const c = child;
      child = undefined;
      if (!c || c.exitCode !== null) return;
      await new Promise<void>((resolve) => {
        c.once("exit", () => resolve());
        c.kill("SIGTERM");
      });
    },
    async destroy() {
      await slapd.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
    async search(base, filter, attrs = [], extra = []) {
      const r = await ldapsearch(url, base, filter, attrs, extra);
      if (r.code !== 0 && r.code !== 32) throw new Error(`ldapsearch exited ${r.code}: ${r.stderr}`);
      return r.stdout;
    },
  };
  await slapd.start();
  return slapd;
}

/** Parses ldapsearch -LLL output into entries (base64 values decoded to Buffers for attr:: lines). */
export function parseLdif(text: string): Array<{ dn: string; attrs: Record<string, Array<string | Buffer>> }> {
  const out: Array<{ dn: string; attrs: Record<string, Array<string | Buffer>> }> = [];
  for (const block of text.split(/\n\s*\n/)) {
    const lines = block.split("\n").filter((l) => l && !l.startsWith("#"));
    if (!lines.length) continue;
    let dn = "";
    const attrs: Record<string, Array<string | Buffer>> = {};
    for (const line of lines) {
      const m = /^([^:]+)(::?) ?(.*)$/.exec(line);
      if (!m) continue;
      const [, name, sep, raw] = m;
      const binary = sep === "::";
      const value = binary ? Buffer.from(raw, "base64") : raw;
      if (name.toLowerCase() === "dn") dn = Buffer.isBuffer(value) ? value.toString("utf8") : value;
      else (attrs[name] ??= []).push(binary && !name.includes(";binary") ? (value as Buffer).toString("utf8") : value);
    }
    out.push({ dn, attrs });
  }
  return out;
}
