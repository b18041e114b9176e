import fs from "node:fs";
import path from "node:path";
import { execFileSync } from "node:child_process";
import { expect } from "chai";
import type { TestService } from "../support/service";
import { openssl, startStatusService } from "../support/status";
import { hasCommand, requirePeer } from "../support/peers";
import { append, rowHash, verifyChain, GENESIS_HASH, type AuditRow } from "../../src/audit/audit";
import { checkpointDigest, verifyLatestCheckpoint } from "../../src/audit/checkpoint";
import { periodicCheckpoint } from "../../src/security/module";

describe("audit checkpoints (the chain head timestamped by our TSA)", function () {
  this.timeout(60_000);
  let svc: TestService;
  let dir: string;
  let auditor: string;
  beforeEach(async () => {
    ({ svc, dir } = await startStatusService());
    auditor = await svc.userWithRoles("auditor1", ["auditor"]);
    for (let i = 0; i < 5; i++) await append(svc.services.db, { actor: "tester", action: "test.row", objectType: "t", objectId: String(i), details: { i } });
  });
  afterEach(() => svc.stop());

  const checkpoint = async () => {
    const r = await svc.request("POST", "/api/audit/checkpoints", { token: auditor });
    expect(r.status).to.equal(201);
    return r.json();
  };

  it("signs the head with a token that openssl ts -verify accepts, and verify reports it", async function () {
    requirePeer(this, "openssl", hasCommand("openssl"), "apt-get install openssl");
    const head = await svc.services.db("audit_log").orderBy("seq", "desc").first();
    const cp = await checkpoint();
    expect(cp).to.include({ seq: Number(head.seq), hash: head.hash });
    expect(cp.digest).to.equal(checkpointDigest(Number(head.seq), head.hash).toString("hex"));
    fs.writeFileSync(path.join(dir, "cp.tst"), Buffer.from(cp.token, "base64"));
    const v = await openssl(["ts", "-verify", "-digest", cp.digest, "-token_in", "-in", "cp.tst", "-CAfile", "ca.pem"], { cwd: dir });
    expect(v.out, v.out).to.include("Verification: OK");

    const r = await (await svc.request("GET", "/api/audit/verify", { token: auditor })).json();
    expect(r.ok).to.equal(true);
    expect(r.checkpoint.ok).to.equal(true);
    expect(r.checkpoint.checkpoint.seq).to.equal(Number(head.seq));
    // The checkpoint itself is a row of the chain.
    expect((await svc.services.db("audit_log").orderBy("seq", "desc").first()).action).to.equal("audit.checkpoint");
  });

  it("detects a rewrite of the whole chain that the hash links alone cannot", async () => {
    await checkpoint();
    const db = svc.services.db;
    // Mallory edits row 2 and recomputes every hash after it: the chain is consistent again.
    const rows: AuditRow[] = await db("audit_log").orderBy("seq");
    let prev = GENESIS_HASH;
    for (const r of rows) {
      const edited = { ...r, details: Number(r.seq) === 2 ? JSON.stringify({ rewritten: true }) : r.details, prev_hash: prev };
      const hash = rowHash(edited);
      await db("audit_log").where({ seq: r.seq }).update({ details: edited.details, prev_hash: prev, hash });
      prev = hash;
    }
    expect((await verifyChain(db)).ok).to.equal(true);
    const cp = await verifyLatestCheckpoint(db);
    expect(cp.ok).to.equal(false);
    expect(cp.reason).to.match(/chain rewritten/);

    const bin = path.resolve(__dirname, "../../bin/chungthu.js");
    let out = "";
    let code = 0;
    try {
      execFileSync(process.execPath, [bin, "audit", "verify"], { env: { ...process.env, DATA_DIR: svc.dataDir }, encoding: "utf8" });
    } catch (e: any) {
      out = e.stdout;
      code = e.status;
    }
    expect(code).to.equal(3);
    expect(out).to.contain("Mốc kiểm toán KHÔNG HỢP LỆ");
  });

  it("detects a forged checkpoint: another hash, or a tampered token", async () => {
    await checkpoint();
    const db = svc.services.db;
    const cp = await db("audit_checkpoints").orderBy("id", "desc").first();
    const head = await db("audit_log").where({ seq: cp.seq }).first();
    // Moving the checkpoint to a rewritten hash: the token does not cover it.
    await db("audit_log").where({ seq: cp.seq }).update({ hash: "f".repeat(64) });
    await db("audit_checkpoints").where({ id: cp.id }).update({ hash: "f".repeat(64) });
    expect((await verifyLatestCheckpoint(db)).reason).to.match(/does not cover/);
    await db("audit_log").where({ seq: cp.seq }).update({ hash: head.hash });
    await db("audit_checkpoints").where({ id: cp.id }).update({ hash: head.hash });
    expect((await verifyLatestCheckpoint(db)).ok).to.equal(true);
    // One flipped byte of the signature (the token's last bytes).
    const token = Buffer.from(cp.token);
    token[token.length - 5] ^= 0x01;
    await db("audit_checkpoints").where({ id: cp.id }).update({ token });
    expect((await verifyLatestCheckpoint(db)).ok).to.equal(false);
  });

  it("`chungthu audit verify` accepts an intact chain with its checkpoint", async () => {
    await checkpoint();
    const bin = path.resolve(__dirname, "../../bin/chungthu.js");
    const out = execFileSync(process.execPath, [bin, "audit", "verify"], { env: { ...process.env, DATA_DIR: svc.dataDir }, encoding: "utf8" });
    expect(out).to.contain("Chuỗi nhật ký toàn vẹn");
    expect(out).to.contain("Mốc kiểm toán đã ký hợp lệ");
  });

  it("lets only auditors and admins sign a checkpoint", async () => {
    const op = await svc.userWithRoles("operator9", ["ca_operator"]);
    expect((await svc.request("POST", "/api/audit/checkpoints", { token: op })).status).to.equal(403);
  });
});

describe("periodic audit checkpoints", function () {
  this.timeout(30_000);
  it("signs when the period has passed and the chain has moved, not otherwise", async () => {
    const { svc } = await startStatusService();
    try {
      await periodicCheckpoint(svc.services, 0); // the first one also issues the TSA's certificate (rows of their own)
      const first = await periodicCheckpoint(svc.services, 0);
      expect(first).to.not.equal(undefined);
      // Only the checkpoint's own row since: nothing to sign.
      expect(await periodicCheckpoint(svc.services, 0)).to.equal(undefined);
      await append(svc.services.db, { actor: "tester", action: "test.row" });
      expect(await periodicCheckpoint(svc.services, 3600_000)).to.equal(undefined); // too soon
      const second = await periodicCheckpoint(svc.services, 0);
      expect(Number(second!.seq)).to.be.greaterThan(Number(first!.seq));
      expect((await verifyLatestCheckpoint(svc.services.db)).ok).to.equal(true);
    } finally {
      await svc.stop();
    }
  });
});
