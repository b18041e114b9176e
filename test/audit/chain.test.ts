import { expect } from "chai";
import { execFileSync } from "node:child_process";
import path from "node:path";
import { startTestService, type TestService } from "../support/service";
import { append, verifyChain, rowHash } from "../../src/audit/audit";

describe("audit chain", () => {
  let svc: TestService;
  beforeEach(async () => {
    svc = await startTestService();
    for (let i = 0; i < 5; i++) await append(svc.services.db, { actor: "tester", action: "test.row", objectType: "t", objectId: String(i), details: { i } });
  });
  afterEach(() => svc.stop());

  it("verifies an untouched chain", async () => {
    const r = await verifyChain(svc.services.db);
    expect(r.ok).to.equal(true);
    expect(r.rows).to.be.greaterThan(5);
  });

  it("detects one changed byte in one row's details", async () => {
    const db = svc.services.db;
    const row = await db("audit_log").where({ action: "test.row", object_id: "2" }).first();
    await db("audit_log").where({ seq: row.seq }).update({ details: row.details.replace('"i":2', '"i":3') });
    const r = await verifyChain(db);
    expect(r.ok).to.equal(false);
    expect(r.firstBroken).to.deep.include({ seq: Number(row.seq), reason: "content does not match hash" });
  });

  it("detects a deleted row", async () => {
    const db = svc.services.db;
    const row = await db("audit_log").where({ action: "test.row", object_id: "1" }).first();
    await db("audit_log").where({ seq: row.seq }).delete();
    const r = await verifyChain(db);
    expect(r.ok).to.equal(false);
    expect(r.firstBroken!.seq).to.equal(Number(row.seq) + 1);
  });

  it("detects two rows swapped, even with their hashes recomputed", async () => {
    const db = svc.services.db;
    const a = await db("audit_log").where({ action: "test.row", object_id: "1" }).first();
    const b = await db("audit_log").where({ action: "test.row", object_id: "2" }).first();
    // Swap contents, then recompute each row's own hash so only the links can tell.
    const swapped = [
      { ...b, seq: a.seq, prev_hash: a.prev_hash },
      { ...a, seq: b.seq, prev_hash: b.prev_hash },
    ].map((r) => ({ ...r, hash: rowHash(r) }));
    await db("audit_log").whereIn("seq", [a.seq, b.seq]).delete();
    await db("audit_log").insert(swapped);
    const r = await verifyChain(db);
    expect(r.ok).to.equal(false);
    expect(r.firstBroken!.seq).to.equal(Number(b.seq));
  });

  it("`chungthu audit verify` reports the first broken link and exits non-zero", async () => {
    const db = svc.services.db;
    const row = await db("audit_log").where({ action: "test.row", object_id: "3" }).first();
    await db("audit_log").where({ seq: row.seq }).update({ actor: "mallory" });
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
    expect(out).to.contain(`bản ghi số ${row.seq}`);
  });
});
