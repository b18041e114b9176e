import { expect } from "chai";
import { startTestService, type TestService } from "../../support/service";
import { sampleDossier } from "../../support/dossiers";
import { transitionDossier } from "../../../src/ra/dossiers/transition";
import { createDossier } from "../../../src/ra/commands/createDossier";
import { DossierInputSchema } from "../../../src/ra/dossiers/schema";
import * as store from "../../../src/store/dossiers";
import { verifyChain } from "../../../src/audit/audit";
import type { Actor } from "../../../src/auth/actor";
import { DomainError } from "../../../src/errors";

/** The API the review, issuance and handover commands use to move a dossier along. */
describe("transitionDossier", () => {
  let svc: TestService;
  const clerk: Actor = { id: "system", username: "clerk-test", roles: ["clerk"] };
  const reviewer: Actor = { id: "system", username: "reviewer-test", roles: ["reviewer"] };
  before(async () => {
    svc = await startTestService();
  });
  after(() => svc.stop());
  const create = () => createDossier(svc.services.db, clerk, DossierInputSchema.parse(sampleDossier("individual", 2)));

  it("sets status and clock with a version bump, history and audit in the caller's transaction", async () => {
    const d = await create();
    const t = await svc.services.db.transaction((trx) =>
      transitionDossier(trx, reviewer, d.id, {
        action: "received", to: "received", receivedAt: "2026-11-25T02:00:00.000Z", validSince: "2026-11-25T02:00:00.000Z",
        deadline: "2026-11-28T16:59:59.999Z", expectedVersion: 1, auditDetails: { workingDays: 3 },
      }));
    expect(t).to.include({ status: "received", version: 2, receivedAt: "2026-11-25T02:00:00.000Z", deadline: "2026-11-28T16:59:59.999Z" });
    expect(t.kind === "individual" && t.subscribers).to.have.length(2);
    const h = await store.history(svc.services.db, d.id);
    expect(h.map((x) => [x.version, x.action, x.from_status, x.to_status, x.actor])).to.deep.equal([
      [1, "created", null, "draft", "clerk-test"], [2, "received", "draft", "received", "reviewer-test"],
    ]);
    expect(JSON.parse(h[1].changes)).to.deep.include({ field: "status", from: "draft", to: "received" });
    const audit = await svc.services.db("audit_log").where({ object_id: d.id, action: "dossier.received" }).first();
    expect(JSON.parse(audit.details)).to.include({ number: d.number, from: "draft", to: "received", version: 2, workingDays: 3 });
    expect((await verifyChain(svc.services.db)).ok).to.equal(true);
  });

  it("refuses a stale version with a conflict and changes nothing", async () => {
    const d = await create();
    await svc.services.db.transaction((trx) => transitionDossier(trx, reviewer, d.id, { action: "received", to: "received" }));
    try {
      await svc.services.db.transaction((trx) => transitionDossier(trx, reviewer, d.id, { action: "accepted", to: "accepted", expectedVersion: 1 }));
      expect.fail("should conflict");
    } catch (e) {
      expect(e).to.be.instanceOf(DomainError);
      expect((e as DomainError).kind).to.equal("conflict");
      expect((e as DomainError).message).to.match(/người khác cập nhật/);
    }
    expect((await store.getDossier(svc.services.db, d.id))!.status).to.equal("received");
  });

  it("rolls back with the caller's transaction", async () => {
    const d = await create();
    await svc.services.db
      .transaction(async (trx) => {
        await transitionDossier(trx, reviewer, d.id, { action: "rejected", to: "rejected" });
        throw new Error("later step failed");
      })
      .catch(() => undefined);
    const after = await store.getDossier(svc.services.db, d.id);
    expect(after).to.include({ status: "draft", version: 1 });
    expect(await store.history(svc.services.db, d.id)).to.have.length(1);
  });

  it("answers not found for an unknown dossier", async () => {
    try {
      await transitionDossier(svc.services.db, reviewer, "00000000-0000-4000-8000-000000000000", { action: "received", to: "received" });
      expect.fail("should throw");
    } catch (e) {
      expect((e as DomainError).code).to.equal("dossier_not_found");
    }
  });
});
