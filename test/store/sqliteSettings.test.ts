import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import sqlite3 from "sqlite3";
import { expect } from "chai";
import { openDatabase, SQLITE_CACHE_KIB, SQLITE_PAGE_SIZE } from "../../src/store/db";

const pragma = async (db: Awaited<ReturnType<typeof openDatabase>>, name: string) => Object.values((await db.raw(`pragma ${name}`))[0])[0];

/** The SQLite connection settings (src/store/db.ts): 8 KiB pages for a new file, a 64 MiB page cache. */
describe("SQLite settings", () => {
  const dirs: string[] = [];
  const tmp = () => {
    const d = fs.mkdtempSync(path.join(os.tmpdir(), "sqlite-settings-"));
    dirs.push(d);
    return d;
  };
  after(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

  it("creates a new database with 8 KiB pages, WAL and the larger page cache", async () => {
    const db = await openDatabase(undefined, tmp());
    try {
      expect(await pragma(db, "page_size")).to.equal(SQLITE_PAGE_SIZE);
      expect(await pragma(db, "cache_size")).to.equal(-SQLITE_CACHE_KIB);
      expect(await pragma(db, "journal_mode")).to.equal("wal");
      expect(await pragma(db, "foreign_keys")).to.equal(1);
    } finally {
      await db.destroy();
    }
  });

  it("opens a database made with SQLite's 4 KiB pages as it is, and migrates it", async () => {
    const dir = tmp();
    const file = path.join(dir, "chungthu.sqlite");
    await new Promise<void>((resolve, reject) => {
      const old = new sqlite3.Database(file);
      old.serialize(() => {
        old.run("pragma journal_mode = wal");
        old.run("create table legacy (x integer)");
        old.run("insert into legacy values (42)");
        old.close((err) => (err ? reject(err) : resolve()));
      });
    });
    const db = await openDatabase(undefined, dir);
    try {
      expect(await pragma(db, "page_size")).to.equal(4096);
      expect((await db("legacy").first()).x).to.equal(42);
      expect(await db.schema.hasTable("certificates")).to.equal(true);
      await db("outbox").insert({ kind: "kiem.tra", payload: "{}", status: "pending", attempts: 0, max_attempts: 1, next_attempt_at: new Date().toISOString(), created_at: new Date().toISOString(), updated_at: new Date().toISOString() });
      expect((await db("outbox").where({ kind: "kiem.tra" }).first()).status).to.equal("pending");
    } finally {
      await db.destroy();
    }
  });
});
