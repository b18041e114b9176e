import { expect } from "chai";
import { startTestService, type TestService } from "../support/service";
import { hasPostgres, startPostgres, type TestPostgres } from "../support/postgres";
import { requirePeer } from "../support/peers";
import { enqueue, enqueueMany, list } from "../../src/outbox/outbox";
import { OutboxWorker } from "../../src/outbox/worker";
import type { BatchJob, Job } from "../../src/outbox/job";

/**
 * The outbox's batch path (issue 9): due jobs claimed many at a time, a kind with performBatch()
 * getting them together, done marked per batch, and the guarantees of the one-by-one path kept —
 * a failing job retried alone with its backoff, nothing performed twice while its claim holds, a
 * claim of a dead worker taken back after its lease. Run on SQLite and on PostgreSQL.
 */
function batchSuite(name: string, env: () => Record<string, string>) {
  describe(`outbox batches (${name})`, () => {
    let svc: TestService;
    // One service per suite (a PostgreSQL database is bootstrapped once); each test has its own kinds.
    before(async () => (svc = await startTestService(env())));
    after(() => svc?.stop());

    const worker = (opts: { batch?: number; leaseMs?: number } = {}) =>
      new OutboxWorker(svc.services.db, svc.services.log, svc.services as unknown as Record<string, unknown>, { pollMs: 0, ...opts });
    const jobsOf = async (kind: string) => (await list(svc.services.db, { kind, limit: 1000 })).items.sort((a, b) => Number(a.id) - Number(b.id));
    const queue = (kind: string, n: number) => enqueueMany(svc.services.db, Array.from({ length: n }, (_, i) => ({ kind, payload: { n: i } })));

    it("hands consecutive jobs of a batch kind over together, up to its batch size, and marks them all done", async () => {
      const calls: number[][] = [];
      const w = worker({ batch: 100 }).register({
        kind: "test.batch", batchSize: 4, perform: async () => { throw new Error("one by one is not used"); },
        performBatch: async (jobs: BatchJob<{ n: number }>[]) => void calls.push(jobs.map((j) => j.payload.n)),
      });
      await queue("test.batch", 10);
      expect(await w.runOnce()).to.equal(10);
      expect(calls).to.deep.equal([[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]);
      const rows = await jobsOf("test.batch");
      expect(rows.map((r) => [r.status, Number(r.attempts), r.locked_until])).to.deep.equal(Array(10).fill(["done", 1, null]));
      expect(await w.runOnce()).to.equal(0);
    });

    it("claims at most its batch per run, in the order they were queued, and keeps other kinds one by one between them", async () => {
      const seen: string[] = [];
      const w = worker({ batch: 5 }).register(
        { kind: "test.b", perform: async () => undefined, performBatch: async (jobs) => void seen.push(`b:${jobs.map((j) => j.payload.n).join(",")}`) },
        { kind: "test.single", perform: async (p) => void seen.push(`s:${p.n}`) },
      );
      await queue("test.b", 2);
      await enqueue(svc.services.db, { kind: "test.single", payload: { n: 0 } });
      await queue("test.b", 3);
      expect(await w.runOnce()).to.equal(5);
      expect(seen).to.deep.equal(["b:0,1", "s:0", "b:0,1"]);
      expect(await w.runOnce()).to.equal(1);
      expect(seen[3]).to.equal("b:2");
    });

    it("retries only the jobs a batch reports as failed, each with its own backoff; the others are done once", async () => {
      const performed = new Map<number, number>();
      let failing = new Set([3, 7]);
      const w = worker().register({
        kind: "test.partial", backoffMs: () => 0, perform: async () => undefined,
        performBatch: async (jobs: BatchJob<{ n: number }>[]) => {
          const failures = new Map<number, unknown>();
          for (const j of jobs) {
            if (failing.has(j.payload.n)) failures.set(j.id, new Error(`item ${j.payload.n} refused`));
            else performed.set(j.payload.n, (performed.get(j.payload.n) ?? 0) + 1);
          }
          return failures;
        },
      });
      await queue("test.partial", 10);
      expect(await w.runOnce()).to.equal(10);
      let rows = await jobsOf("test.partial");
      const failed = rows.filter((r) => r.status !== "done");
      expect(failed.map((r) => JSON.parse(r.payload).n)).to.deep.equal([3, 7]);
      for (const r of failed) {
        expect(r.status).to.equal("pending");
        expect(Number(r.attempts)).to.equal(1);
        expect(r.last_error).to.match(/item (3|7) refused/);
      }
      failing = new Set([7]);
      expect(await w.runOnce()).to.equal(2); // only the two failed ones come back
      failing = new Set();
      expect(await w.runOnce()).to.equal(1);
      expect(await w.runOnce()).to.equal(0);
      rows = await jobsOf("test.partial");
      expect(rows.every((r) => r.status === "done")).to.equal(true);
      expect(rows.map((r) => Number(r.attempts))).to.deep.equal([1, 1, 1, 2, 1, 1, 1, 3, 1, 1]);
      expect([...performed.entries()].sort((a, b) => a[0] - b[0])).to.deep.equal(Array.from({ length: 10 }, (_, n) => [n, 1]));
    });

    it("a batch that throws leaves every job to be retried with its backoff, and parks each as dead after its attempts", async () => {
      let calls = 0;
      const w = worker().register({
        kind: "test.down", attempts: 2, backoffMs: () => 0, perform: async () => undefined,
        performBatch: async () => {
          calls++;
          throw new Error("directory unavailable");
        },
      });
      await queue("test.down", 3);
      await w.runOnce();
      let rows = await jobsOf("test.down");
      expect(rows.map((r) => [r.status, Number(r.attempts), r.last_error])).to.deep.equal(Array(3).fill(["pending", 1, "directory unavailable"]));
      await w.runOnce();
      rows = await jobsOf("test.down");
      expect(rows.map((r) => [r.status, Number(r.attempts)])).to.deep.equal(Array(3).fill(["dead", 2]));
      expect(calls).to.equal(2);
      expect(await w.runOnce()).to.equal(0);
    });

    it("a job whose payload cannot be read fails alone", async () => {
      const got: number[] = [];
      const w = worker().register({ kind: "test.payload", backoffMs: () => 60_000, perform: async () => undefined, performBatch: async (jobs) => void got.push(...jobs.map((j) => j.payload.n)) });
      await queue("test.payload", 3);
      const [, second] = await jobsOf("test.payload");
      await svc.services.db("outbox").where({ id: second.id }).update({ payload: "{not json" });
      await w.runOnce();
      expect(got).to.deep.equal([0, 2]);
      expect((await jobsOf("test.payload")).map((r) => r.status)).to.deep.equal(["done", "pending", "done"]);
    });

    it("never claims jobs another worker holds, takes them back when its lease ran out, and the late worker cannot mark them done", async () => {
      let release!: () => void;
      const hold = new Promise<void>((r) => (release = r));
      let started!: () => void;
      const claimed = new Promise<void>((r) => (started = r));
      const first: number[] = [];
      const second: number[] = [];
      const a = worker({ leaseMs: 60_000 }).register({
        kind: "test.crash", perform: async () => undefined,
        performBatch: async (jobs) => {
          first.push(...jobs.map((j) => j.payload.n));
          started();
          await hold; // a worker that hangs (or died) mid-batch
        },
      });
      let bFails = true;
      const b = worker().register({
        kind: "test.crash", backoffMs: () => 0, perform: async () => undefined,
        performBatch: async (jobs) => {
          second.push(...jobs.map((j) => j.payload.n));
          if (bFails) throw new Error("still down");
        },
      });
      await queue("test.crash", 4);
      const running = a.runOnce();
      await claimed;
      expect(await b.runOnce()).to.equal(0); // held under a's lease: not performed twice
      // a's lease runs out (its process died, or hung past its lease): b takes the jobs back.
      await svc.services.db("outbox").where({ kind: "test.crash" }).update({ locked_until: new Date(Date.now() - 1000).toISOString() });
      expect(await b.runOnce()).to.equal(4);
      let rows = await jobsOf("test.crash");
      expect(rows.map((r) => [r.status, Number(r.attempts)])).to.deep.equal(Array(4).fill(["pending", 2]));
      // a wakes up and "finishes": its claim is gone, so it marks nothing.
      release();
      await running;
      rows = await jobsOf("test.crash");
      expect(rows.map((r) => r.status)).to.deep.equal(Array(4).fill("pending"));
      bFails = false;
      expect(await b.runOnce()).to.equal(4);
      rows = await jobsOf("test.crash");
      expect(rows.map((r) => [r.status, Number(r.attempts)])).to.deep.equal(Array(4).fill(["done", 3]));
      expect(first).to.deep.equal([0, 1, 2, 3]);
      expect(second).to.deep.equal([0, 1, 2, 3, 0, 1, 2, 3]);
    });

    it("two workers draining the same queue at once perform every job exactly once", async () => {
      const performed: number[] = [];
      const job: Job = {
        kind: "test.shared", perform: async () => undefined,
        performBatch: async (jobs) => {
          await new Promise((r) => setTimeout(r, 5));
          performed.push(...jobs.map((j) => j.payload.n));
        },
      };
      const w1 = worker({ batch: 25 }).register(job);
      const w2 = worker({ batch: 25 }).register(job);
      await queue("test.shared", 300);
      const drain = async (w: OutboxWorker) => {
        let total = 0;
        for (let n = await w.runOnce(); n > 0; n = await w.runOnce()) total += n;
        return total;
      };
      const [n1, n2] = await Promise.all([drain(w1), drain(w2)]);
      expect(n1 + n2).to.equal(300);
      expect(performed.slice().sort((x, y) => x - y)).to.deep.equal(Array.from({ length: 300 }, (_, i) => i));
      expect((await jobsOf("test.shared")).every((r) => r.status === "done" && Number(r.attempts) === 1)).to.equal(true);
    });

    it("a worker stopped mid-claim gives back the jobs it had not started, due again at once", async () => {
      let w!: OutboxWorker;
      const got: number[] = [];
      let stopping: Promise<void> | undefined;
      w = new OutboxWorker(svc.services.db, svc.services.log, {}, { pollMs: 60_000 }).register({
        kind: "test.stop", batchSize: 2, perform: async () => undefined,
        performBatch: async (jobs) => {
          got.push(...jobs.map((j) => j.payload.n));
          stopping ??= w.stop(); // the service is stopping while this batch runs
        },
      });
      await queue("test.stop", 5);
      w.start();
      for (let i = 0; i < 200 && !stopping; i++) await new Promise((r) => setTimeout(r, 10));
      await stopping;
      expect(got).to.deep.equal([0, 1]);
      const rows = await jobsOf("test.stop");
      expect(rows.map((r) => [r.status, Number(r.attempts), r.locked_until])).to.deep.equal([
        ["done", 1, null], ["done", 1, null], ["pending", 0, null], ["pending", 0, null], ["pending", 0, null],
      ]);
      const next = worker().register({ kind: "test.stop", perform: async () => undefined, performBatch: async (jobs) => void got.push(...jobs.map((j) => j.payload.n)) });
      expect(await next.runOnce()).to.equal(3);
      expect(got).to.deep.equal([0, 1, 2, 3, 4]);
    });

    it("renews the lease of the jobs it has not started when slow jobs outlast half of it, so no other worker takes them", async function () {
      this.timeout(20_000);
      const performed: number[] = [];
      const slow = worker({ leaseMs: 1500 }).register({
        kind: "test.slowlease",
        perform: async (p) => {
          await new Promise((r) => setTimeout(r, 250));
          performed.push(p.n);
        },
      });
      const other: number[] = [];
      const b = worker().register({ kind: "test.slowlease", perform: async (p) => void other.push(p.n) });
      await queue("test.slowlease", 10); // ≈ 2.5 s one by one, well past the first lease
      const running = slow.runOnce();
      await new Promise((r) => setTimeout(r, 2000)); // the first lease (1.5 s) has run out by now
      expect(await b.runOnce()).to.equal(0);
      expect(await running).to.equal(10);
      expect(other).to.deep.equal([]);
      expect(performed).to.deep.equal([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
      expect((await jobsOf("test.slowlease")).every((r) => r.status === "done" && Number(r.attempts) === 1)).to.equal(true);
    });

    it("enqueueMany keeps the dedupe keys: a job already queued is not queued again", async () => {
      await enqueueMany(svc.services.db, [
        { kind: "test.dedupe", payload: { n: 1 }, dedupeKey: "k1" },
        { kind: "test.dedupe", payload: { n: 2 }, dedupeKey: "k2" },
      ]);
      await enqueueMany(svc.services.db, [
        { kind: "test.dedupe", payload: { n: 1 }, dedupeKey: "k1" },
        { kind: "test.dedupe", payload: { n: 3 } },
      ]);
      expect((await jobsOf("test.dedupe")).map((r) => JSON.parse(r.payload).n)).to.deep.equal([1, 2, 3]);
    });
  });
}

batchSuite("SQLite", () => ({}));

describe("outbox batches on PostgreSQL", function () {
  let pg: TestPostgres | undefined;
  let url = "";
  before(async function () {
    requirePeer(this, "PostgreSQL (initdb, pg_ctl)", hasPostgres(), "apt-get install postgresql");
    pg = await startPostgres();
    url = pg.url;
  });
  after(() => pg?.stop());
  batchSuite("PostgreSQL", () => ({ DATABASE_URL: url }));
});
