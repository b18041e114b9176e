import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect } from "chai";
import type { Knex } from "knex";
import { insertMany, openDatabase } from "../../src/store/db";
import { hasPostgres, startPostgres, type TestPostgres } from "../support/postgres";
import { requirePeer } from "../support/peers";

/**
 * insertMany (src/store/db.ts): many rows in a few VALUES statements, split under the bound-value
 * limit, on SQLite and on PostgreSQL. 16,000 rows × 3 columns is two statements (10,000 rows each).
 */
for (const engine of ["SQLite", "PostgreSQL"] as const) {
  describe(`insertMany on ${engine}`, function () {
    let db: Knex;
    let pg: TestPostgres | undefined;
    let dir: string;
    before(async function () {
      if (engine === "PostgreSQL") {
        requirePeer(this, "PostgreSQL (initdb, pg_ctl)", hasPostgres(), "apt-get install postgresql");
        pg = await startPostgres();
      }
      dir = fs.mkdtempSync(path.join(os.tmpdir(), "insert-many-"));
      db = await openDatabase(pg?.url, dir);
      await db.schema.createTable("t_insert_many", (t) => {
        t.string("a", 16).primary();
        t.string("b", 16);
        t.binary("c");
        t.integer("n").notNullable().defaultTo(7);
      });
    });
    after(async () => {
      await db?.destroy();
      pg?.stop();
      if (dir) fs.rmSync(dir, { recursive: true, force: true });
    });

    const rows = (from: number, to: number) =>
      Array.from({ length: to - from }, (_, k) => {
        const i = from + k;
        // Every 1,000th row has no `b`: NULL is written there.
        return i % 1000 === 0 ? { a: `k${i}`, c: Buffer.from([i & 0xff, 0, 0xff]) } : { a: `k${i}`, b: `v${i}`, c: Buffer.from([i & 0xff, 0, 0xff]) };
      });
    const count = async () => Number((await db("t_insert_many").count({ n: "*" }))[0].n);

    it("writes 16,000 rows across the statement limit, bytes and NULLs as given, the column default where no column is named", async () => {
      await db.transaction((trx) => insertMany(trx, "t_insert_many", rows(0, 16_000)));
      expect(await count()).to.equal(16_000);
      const r = await db("t_insert_many").whereIn("a", ["k0", "k12345", "k15999"]).orderBy("a");
      expect(r.map((x: { a: string; b: string | null }) => [x.a, x.b])).to.deep.equal([["k0", null], ["k12345", "v12345"], ["k15999", "v15999"]]);
      expect(Buffer.from(r[1].c).equals(Buffer.from([12345 & 0xff, 0, 0xff]))).to.equal(true);
      expect(r.every((x: { n: number }) => Number(x.n) === 7)).to.equal(true);
    });

    it("skips rows that collide with the named key, keeping what was there, and adds the rest", async () => {
      const again = rows(15_990, 16_010).map((x) => ({ ...x, b: "changed" }));
      await insertMany(db, "t_insert_many", again, { ignoreConflicts: ["a"] });
      expect(await count()).to.equal(16_010);
      expect((await db("t_insert_many").where({ a: "k15995" }).first()).b).to.equal("v15995");
      expect((await db("t_insert_many").where({ a: "k16005" }).first()).b).to.equal("changed");
    });

    it("fails on a collision without ignoreConflicts, and the transaction writes none of the batch", async () => {
      const batch = [...rows(20_000, 20_010), { a: "k1", b: "dup" }];
      let failed = false;
      try {
        await db.transaction((trx) => insertMany(trx, "t_insert_many", batch));
      } catch {
        failed = true;
      }
      expect(failed).to.equal(true);
      expect(await count()).to.equal(16_010);
      expect(await db("t_insert_many").where({ a: "k20000" }).first()).to.equal(undefined);
    });
  });
}
