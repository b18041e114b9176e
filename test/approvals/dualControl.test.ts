import { expect } from "chai";
import { startTestService, type TestService } from "../support/service";
import { individualDossier } from "../support/reviewDossiers";
import { verifyChain } from "../../src/audit/audit";

const person = {
  commonName: "Nguyễn Thị Hồng Nhung", organization: "Sở Tài chính tỉnh Quảng Nam", province: "Quảng Nam",
  identity: { type: "CCCD", number: "049185001234" }, email: "nhungnth@quangnam.gov.vn",
};

describe("separation of duties and dual control (end to end)", function () {
  this.timeout(60_000);
  let svc: TestService;
  let op1: string, op2: string, clerkReviewer: string, reviewer: string, clerk: string;
  const call = async (method: string, p: string, token: string, json?: unknown) => {
    const r = await svc.request(method, p, { token, json });
    const text = await r.text();
    return { status: r.status, body: text ? JSON.parse(text) : undefined };
  };
  const issue = async () => {
    const r = await call("POST", "/api/certificates", op1, { profile: "individual", subject: person, keyGeneration: "server", pkcs12Password: "mat-khau-giao-1-lan" });
    expect(r.status, JSON.stringify(r.body)).to.equal(201);
    return r.body.serial as string;
  };
  const statusOf = async (serial: string) => (await call("GET", `/api/certificates/${serial}`, op1)).body.status;

  before(async () => {
    svc = await startTestService();
    op1 = await svc.userWithRoles("op1", ["ca_operator"]);
    op2 = await svc.userWithRoles("op2", ["ca_operator"]);
    clerkReviewer = await svc.userWithRoles("clerk-reviewer", ["clerk", "reviewer"]);
    reviewer = await svc.userWithRoles("reviewer2", ["reviewer"]);
    clerk = await svc.userWithRoles("clerk2", ["clerk"]);
  });
  after(() => svc.stop());

  describe("separation of duties", () => {
    it("keeps whoever received or edited a dossier from accepting it", async () => {
      for (const [maker, label] of [[clerkReviewer, "submitted"], [clerk, "edited"]] as const) {
        const d = (await call("POST", "/api/requests", clerk, individualDossier())).body;
        if (label === "edited") {
          // the clerk-reviewer only edits it; the other clerk submits
          expect((await call("PATCH", `/api/requests/${d.id}`, clerkReviewer, { note: "bổ sung" })).status).to.equal(200);
          expect((await call("POST", `/api/requests/${d.id}/submit`, maker, {})).status).to.equal(200);
        } else {
          expect((await call("POST", `/api/requests/${d.id}/submit`, maker, {})).status).to.equal(200);
        }
        expect((await call("POST", `/api/requests/${d.id}/review`, clerkReviewer, { action: "start" })).status).to.equal(200);
        const refused = await call("POST", `/api/requests/${d.id}/review`, clerkReviewer, { action: "accept" });
        expect(refused.status, label).to.equal(403);
        expect(refused.body.error.message).to.match(/không có quyền/);
        const ok = await call("POST", `/api/requests/${d.id}/review`, reviewer, { action: "accept" });
        expect(ok.status, JSON.stringify(ok.body)).to.equal(200);
        expect(ok.body.status).to.equal("accepted");
      }
    });
    it("lets the same person who handled a dossier still reject it or ask for correction", async () => {
      const d = (await call("POST", "/api/requests", clerkReviewer, individualDossier())).body;
      await call("POST", `/api/requests/${d.id}/submit`, clerkReviewer, {});
      await call("POST", `/api/requests/${d.id}/review`, clerkReviewer, { action: "start" });
      const r = await call("POST", `/api/requests/${d.id}/review`, clerkReviewer, { action: "reject", reason: "Không đủ điều kiện" });
      expect(r.status).to.equal(200);
    });
    it("keeps an admin from giving themself a role", async () => {
      const me = (await call("GET", "/api/me", svc.adminToken)).body;
      const r = await call("PUT", `/api/users/${me.id}/roles`, svc.adminToken, { roles: ["admin", "ca_operator"] });
      expect(r.status).to.equal(403);
      expect(r.body.error.code).to.equal("self_role_change");
    });
  });

  describe("urgent revocation (keyCompromise outside a Mẫu 05 dossier)", () => {
    it("waits for a second CA operator: not the requester, not an admin", async () => {
      const serial = await issue();
      const r = await call("POST", `/api/certificates/${serial}/revoke`, op1, { reason: "keyCompromise", comment: "Mất thiết bị" });
      expect(r.status, JSON.stringify(r.body)).to.equal(202);
      expect(r.body).to.include({ operation: "revocation.urgent", status: "pending", requestedBy: "op1" });
      expect(await statusOf(serial)).to.equal("issued");

      // Asked again: the same pending approval, not a second one.
      const again1 = await call("POST", `/api/certificates/${serial}/revoke`, op2, { reason: "keyCompromise" });
      expect(again1.status).to.equal(202);
      expect(again1.body.id).to.equal(r.body.id);
      const pending = await call("GET", "/api/approvals?status=pending", op2);
      expect(pending.body.items.map((a: { id: string }) => a.id)).to.include(r.body.id);

      const self = await call("POST", `/api/approvals/${r.body.id}/approve`, op1, {});
      expect(self.status).to.equal(403);
      expect(self.body.error.code).to.equal("self_approval");
      expect((await call("POST", `/api/approvals/${r.body.id}/approve`, svc.adminToken, {})).status).to.equal(403);
      expect((await call("POST", `/api/approvals/${r.body.id}/approve`, reviewer, {})).status).to.equal(403);
      expect(await statusOf(serial)).to.equal("issued");

      const ok = await call("POST", `/api/approvals/${r.body.id}/approve`, op2, { reason: "Đã xác minh qua điện thoại" });
      expect(ok.status, JSON.stringify(ok.body)).to.equal(200);
      expect(ok.body).to.include({ status: "executed", decidedBy: "op2" });
      expect(ok.body.result).to.include({ serial, status: "revoked" });
      expect(await statusOf(serial)).to.equal("revoked");

      const again = await call("POST", `/api/approvals/${r.body.id}/approve`, op2, {});
      expect(again.status).to.equal(409);

      const actions = (await svc.services.db("audit_log").where({ object_id: r.body.id }).orderBy("seq")).map((x) => x.action);
      expect(actions).to.deep.equal(["approval.requested", "approval.approved", "approval.executed"]);
      const revoked = await svc.services.db("audit_log").where({ object_id: serial, action: "certificate.revoked" }).first();
      expect(revoked.actor).to.equal("op1");
      expect((await verifyChain(svc.services.db)).ok).to.equal(true);
    });
    it("revokes at once for a reason that is not urgent", async () => {
      const serial = await issue();
      const r = await call("POST", `/api/certificates/${serial}/revoke`, op1, { reason: "superseded" });
      expect(r.status).to.equal(200);
      expect(r.body.status).to.equal("revoked");
    });
    it("refuses to ask for approval of what cannot be revoked", async () => {
      const serial = await issue();
      await call("POST", `/api/certificates/${serial}/revoke`, op1, { reason: "superseded" });
      const before = Number((await svc.services.db("approvals").count({ n: "*" }))[0].n);
      const r = await call("POST", `/api/certificates/${serial}/revoke`, op1, { reason: "keyCompromise" });
      expect(r.status).to.equal(409);
      expect(Number((await svc.services.db("approvals").count({ n: "*" }))[0].n)).to.equal(before);
    });
    it("expires an approval nobody decided in time", async () => {
      const serial = await issue();
      const r = await call("POST", `/api/certificates/${serial}/revoke`, op1, { reason: "keyCompromise" });
      await svc.services.db("approvals").where({ id: r.body.id }).update({ expires_at: new Date(Date.now() - 1000).toISOString() });
      const late = await call("POST", `/api/approvals/${r.body.id}/approve`, op2, {});
      expect(late.status).to.equal(409);
      expect(late.body.error.code).to.equal("approval_expired");
      expect((await call("GET", `/api/approvals/${r.body.id}`, op2)).body.status).to.equal("expired");
      expect(await statusOf(serial)).to.equal("issued");
    });
  });

  describe("bulk revocation", () => {
    it("is rejected or executed as a whole by a second operator", async () => {
      const serials = [await issue(), await issue()];
      const r1 = await call("POST", "/api/certificates/revoke-bulk", op1, { serials, reason: "cessationOfOperation" });
      expect(r1.status, JSON.stringify(r1.body)).to.equal(202);
      const rej = await call("POST", `/api/approvals/${r1.body.id}/reject`, op2, { reason: "Danh sách chưa đúng" });
      expect(rej.body.status).to.equal("rejected");
      for (const s of serials) expect(await statusOf(s)).to.equal("issued");

      const r2 = await call("POST", "/api/certificates/revoke-bulk", op1, { serials, reason: "cessationOfOperation" });
      const ok = await call("POST", `/api/approvals/${r2.body.id}/approve`, op2, {});
      expect(ok.body.status).to.equal("executed");
      expect(ok.body.result.revoked).to.have.members(serials);
      for (const s of serials) expect(await statusOf(s)).to.equal("revoked");
    });
    it("refuses a list with an unknown serial before anyone is asked", async () => {
      const r = await call("POST", "/api/certificates/revoke-bulk", op1, { serials: [await issue(), "0abcdef123456789"], reason: "superseded" });
      expect(r.status).to.equal(404);
    });
  });

  it("performs at once when DUAL_CONTROL is none", async () => {
    const other = await startTestService({ DUAL_CONTROL: "none" });
    try {
      const op = await other.userWithRoles("operator", ["ca_operator"]);
      const c = await other.request("POST", "/api/certificates", { token: op, json: { profile: "individual", subject: person, keyGeneration: "server", pkcs12Password: "mat-khau-giao-1-lan" } });
      const { serial } = await c.json();
      const r = await other.request("POST", `/api/certificates/${serial}/revoke`, { token: op, json: { reason: "keyCompromise" } });
      expect(r.status).to.equal(200);
      expect((await r.json()).status).to.equal("revoked");
    } finally {
      await other.stop();
    }
  });
});
