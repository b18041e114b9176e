import { execFile } from "node:child_process";
import { promisify } from "node:util";
import path from "node:path";
import { expect } from "chai";
import { startTestService, type TestService } from "../support/service";
import { resyncCounts } from "../../src/directory/resyncAudit";
import { verifyChain } from "../../src/audit/audit";

const run = promisify(execFile);

describe("directory resync audit", () => {
  let svc: TestService;
  before(async () => {
    svc = await startTestService();
  });
  after(() => svc.stop());

  it("counts entries added, removed and repaired, and the values on each side", () => {
    const c = resyncCounts([
      { dn: "ou=a", change: "add", add: { ou: ["a"], objectClass: ["top", "organizationalUnit"] }, remove: {} },
      { dn: "uid=x,ou=a", change: "modify", add: { "userCertificate;binary": [Buffer.from([1])] }, remove: { telephoneNumber: ["1", "2"] } },
      { dn: "uid=y,ou=a", change: "delete", add: {}, remove: { uid: ["y"], cn: ["Y"] } },
      { dn: "uid=z,ou=a", change: "delete", add: {}, remove: { uid: ["z"] } },
    ]);
    expect(c).to.deep.equal({ added: 1, removed: 2, repaired: 1, valuesAdded: 4, valuesRemoved: 5 });
  });

  it("a run against the embedded directory is one audit row by the cli actor, dry runs too", async () => {
    const cli = path.resolve(__dirname, "../../bin/chungthu.js");
    const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: svc.dataDir, LOG_LEVEL: "silent", CA_PASSPHRASE: "test-passphrase-123" };
    delete env.LDAP_URL;
    const out = await run(process.execPath, [cli, "directory", "resync", "--dry-run"], { env });
    expect(out.stdout).to.contain("Thư mục nhúng");
    await run(process.execPath, [cli, "directory", "resync"], { env });
    const rows = await svc.services.db("audit_log").where({ action: "directory.resync" }).orderBy("seq");
    expect(rows.map((r) => [r.actor, r.object_type, r.object_id])).to.deep.equal([["cli", "directory", "embedded"], ["cli", "directory", "embedded"]]);
    expect(rows.map((r) => JSON.parse(r.details))).to.deep.equal([
      { dryRun: true, outcome: "embedded", url: null, added: 0, removed: 0, repaired: 0, valuesAdded: 0, valuesRemoved: 0 },
      { dryRun: false, outcome: "embedded", url: null, added: 0, removed: 0, repaired: 0, valuesAdded: 0, valuesRemoved: 0 },
    ]);
    expect((await verifyChain(svc.services.db)).ok).to.equal(true);
  });
});
