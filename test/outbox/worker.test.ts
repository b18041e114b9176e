import { expect } from "chai";
import { startTestService, type TestService } from "../support/service";
import { enqueue, list, replay } from "../../src/outbox/outbox";

describe("outbox worker", () => {
  let svc: TestService;
  beforeEach(async () => (svc = await startTestService()));
  afterEach(() => svc.stop());

  it("retries a failing job with backoff and completes it once it succeeds", async () => {
    let calls = 0;
    svc.services.worker.register({ kind: "test.flaky", backoffMs: () => 0, perform: async () => { if (++calls < 3) throw new Error("down"); } });
    await enqueue(svc.services.db, { kind: "test.flaky", payload: { a: 1 } });
    await svc.drainOutbox();
    expect(calls).to.equal(3);
    const [job] = (await list(svc.services.db, { kind: "test.flaky" })).items;
    expect(job.status).to.equal("done");
    expect(job.attempts).to.equal(3);
  });

  it("parks a job as dead after its attempts, and replays it on request", async () => {
    let fail = true;
    svc.services.worker.register({ kind: "test.dead", attempts: 2, backoffMs: () => 0, perform: async () => { if (fail) throw new Error("nope"); } });
    await enqueue(svc.services.db, { kind: "test.dead", payload: {} });
    await svc.drainOutbox();
    let [job] = (await list(svc.services.db, { kind: "test.dead" })).items;
    expect(job.status).to.equal("dead");
    expect(job.last_error).to.equal("nope");
    fail = false;
    expect(await replay(svc.services.db, Number(job.id))).to.equal(true);
    await svc.drainOutbox();
    [job] = (await list(svc.services.db, { kind: "test.dead" })).items;
    expect(job.status).to.equal("done");
  });

  it("waits for the backoff before the next attempt", async () => {
    let calls = 0;
    svc.services.worker.register({ kind: "test.slow", backoffMs: () => 60_000, perform: async () => { calls++; throw new Error("down"); } });
    await enqueue(svc.services.db, { kind: "test.slow", payload: {} });
    await svc.drainOutbox();
    await svc.drainOutbox();
    expect(calls).to.equal(1);
    const [job] = (await list(svc.services.db, { kind: "test.slow" })).items;
    expect(job.status).to.equal("pending");
    expect(new Date(job.next_attempt_at).getTime()).to.be.greaterThan(Date.now() + 50_000);
  });

  it("takes back a job whose worker died (expired lease)", async () => {
    let calls = 0;
    svc.services.worker.register({ kind: "test.lease", perform: async () => void calls++ });
    await enqueue(svc.services.db, { kind: "test.lease", payload: {} });
    // Simulate a crash mid-job: claimed, lease already expired.
    await svc.services.db("outbox").where({ kind: "test.lease" }).update({ status: "running", attempts: 1, locked_until: new Date(Date.now() - 1000).toISOString() });
    await svc.drainOutbox();
    expect(calls).to.equal(1);
  });

  it("lists jobs through the API for operators", async () => {
    await enqueue(svc.services.db, { kind: "test.visible", payload: { x: 1 } });
    const r = await svc.request("GET", "/api/outbox?kind=test.visible", { token: svc.adminToken });
    expect(r.status).to.equal(200);
    const body = await r.json();
    expect(body.items[0]).to.include({ kind: "test.visible", status: "pending" });
  });
});
