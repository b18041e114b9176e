import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect } from "chai";
import { prepareDataDir } from "../../src/store/dataDir";

const modeOf = (p: string) => fs.statSync(p).mode & 0o777;

/** DATA_DIR and everything the service writes in it are private to the service's user. */
describe("private data directory", () => {
  it("creates DATA_DIR 0700 and closes an existing one opened to others", () => {
    const base = fs.mkdtempSync(path.join(os.tmpdir(), "chungthu-dd-"));
    const fresh = path.join(base, "moi");
    prepareDataDir(fresh);
    expect(modeOf(fresh)).to.equal(0o700);
    const open = path.join(base, "mo");
    fs.mkdirSync(open, { mode: 0o755 });
    fs.chmodSync(open, 0o755);
    prepareDataDir(open);
    expect(modeOf(open)).to.equal(0o700);
  });

  it("npm start's entry point leaves the database, its WAL and the key files 0600 in a 0700 directory", async function () {
    const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "chungthu-dd-")), "var");
    const child = spawn(process.execPath, ["--import", "tsx", path.resolve(__dirname, "../../src/main.ts")], {
      env: { ...process.env, DATA_DIR: dir, PORT: "0", LDAP_PORT: "off", LOG_LEVEL: "silent", OUTBOX_POLL_MS: "0", CA_PASSPHRASE: "test-passphrase-123" },
      stdio: "ignore",
    });
    try {
      // Ready once the first CRLs are written after the admin's files (the last steps of the start).
      for (let i = 0; i < 300 && !(fs.existsSync(path.join(dir, "admin.password")) && fs.existsSync(path.join(dir, "chungthu.sqlite-wal"))); i++) {
        await new Promise((r) => setTimeout(r, 100));
      }
      await new Promise((r) => setTimeout(r, 1000));
      expect(modeOf(dir)).to.equal(0o700);
      const files = fs.readdirSync(dir).filter((f) => fs.statSync(path.join(dir, f)).isFile());
      expect(files).to.include.members(["chungthu.sqlite", "admin.token", "admin.password"]);
      for (const f of files) expect(modeOf(path.join(dir, f)), f).to.equal(0o600);
    } finally {
      child.kill("SIGTERM");
      await new Promise((r) => child.once("exit", r));
    }
  });
});
