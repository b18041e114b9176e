import crypto from "node:crypto";
import { expect } from "chai";
import { startTestService, type TestService } from "../support/service";
import { sampleDossier } from "../support/dossiers";
import { flat, pdfFonts, pdfPages, requirePoppler } from "../documents/pdf";

const sha256 = (b: Buffer) => crypto.createHash("sha256").update(b).digest("hex");

describe("GET /api/requests/:id/document.pdf and /documents", function () {
  let svc: TestService;
  let clerk: string;
  let reviewer: string;
  let caOperator: string;
  before(async function () {
    requirePoppler(this);
    svc = await startTestService();
    clerk = await svc.userWithRoles("clerk1", ["clerk"]);
    reviewer = await svc.userWithRoles("reviewer1", ["reviewer"]);
    caOperator = await svc.userWithRoles("caop1", ["ca_operator"]);
  });
  after(() => svc?.stop());

  async function create(kind: string, n = 3) {
    const r = await svc.request("POST", "/api/requests", { token: clerk, json: sampleDossier(kind, n) });
    expect(r.status, await r.clone().text()).to.equal(201);
    return (await r.json()) as { id: string; number: string; version: number };
  }
  const pdfOf = async (r: Response) => Buffer.from(await r.arrayBuffer());

  it("renders the dossier's request form as PDF, stores it and serves the same bytes for the same version", async () => {
    const d = await create("individual", 4);
    const r1 = await svc.request("GET", `/api/requests/${d.id}/document.pdf`, { token: reviewer });
    expect(r1.status).to.equal(200);
    expect(r1.headers.get("content-type")).to.equal("application/pdf");
    const b1 = await pdfOf(r1);
    expect(r1.headers.get("etag")).to.equal(`"${sha256(b1)}"`);
    const text = flat(pdfPages(b1));
    expect(text).to.include(d.number);
    expect(text).to.include("BỘ TÀI CHÍNH");
    expect(text).to.include("Kính gửi: Cục Chứng thực số và Bảo mật thông tin, Ban Cơ yếu Chính phủ");
    const raw = flat(pdfPages(b1, "raw"));
    for (let i = 1; i <= 4; i++) expect(raw).to.include(`Nguyễn Văn Thử ${i}`);
    expect(pdfFonts(b1)).to.match(/Tinos-Regular/);

    const r2 = await svc.request("GET", `/api/requests/${d.id}/document.pdf`, { token: clerk });
    expect(sha256(await pdfOf(r2))).to.equal(sha256(b1));
    const r304 = await svc.request("GET", `/api/requests/${d.id}/document.pdf`, { token: clerk, headers: { "if-none-match": r1.headers.get("etag")! } });
    expect(r304.status).to.equal(304);

    const list = await svc.request("GET", `/api/requests/${d.id}/documents`, { token: clerk });
    expect(list.status).to.equal(200);
    const body = await list.json();
    expect(body.total).to.equal(1);
    expect(body.items[0]).to.include({ kind: "request", dossierVersion: 1, sha256: sha256(b1), size: b1.length });
    const stored = await svc.request("GET", body.items[0].url, { token: clerk });
    expect(stored.status).to.equal(200);
    expect(sha256(await pdfOf(stored))).to.equal(sha256(b1));
    const rows = await svc.services.db("documents").where({ dossier_id: d.id });
    expect(rows).to.have.length(1);
    expect(sha256(Buffer.from(rows[0].bytes))).to.equal(rows[0].sha256);
    const audit = await svc.services.db("audit_log").where({ action: "document.stored", object_id: d.id });
    expect(audit).to.have.length(1);
  });

  it("renders a new document for a new version and keeps the old one", async () => {
    const d = await create("individual", 2);
    const first = await pdfOf(await svc.request("GET", `/api/requests/${d.id}/document.pdf`, { token: clerk }));
    const p = await svc.request("PATCH", `/api/requests/${d.id}`, { token: clerk, json: { note: "Bổ sung ghi chú", version: 1 } });
    expect(p.status).to.equal(200);
    const r = await svc.request("GET", `/api/requests/${d.id}/document.pdf`, { token: clerk });
    const second = await pdfOf(r);
    expect(sha256(second)).to.not.equal(sha256(first));
    expect(flat(pdfPages(second))).to.include("Ghi chú: Bổ sung ghi chú");
    const body = await (await svc.request("GET", `/api/requests/${d.id}/documents`, { token: clerk })).json();
    expect(body.items.map((i: any) => i.dossierVersion)).to.deep.equal([1, 2]);
  });

  it("renders every kind of form", async () => {
    for (const kind of ["organization", "device", "renewal_change", "revocation", "device_recovery"]) {
      const d = await create(kind);
      const r = await svc.request("GET", `/api/requests/${d.id}/document.pdf`, { token: clerk });
      expect(r.status, kind).to.equal(200);
      expect(flat(pdfPages(await pdfOf(r))), kind).to.include(d.number);
    }
  });

  it("answers 404 for an unknown dossier or document, 400 for a malformed id, 403 without the role, 401 without a token", async () => {
    const d = await create("individual", 1);
    const unknown = await svc.request("GET", `/api/requests/${crypto.randomUUID()}/document.pdf`, { token: clerk });
    expect(unknown.status).to.equal(404);
    expect((await unknown.json()).error.message).to.match(/[ôữ]/);
    expect((await svc.request("GET", `/api/requests/${d.id}/documents/${crypto.randomUUID()}.pdf`, { token: clerk })).status).to.equal(404);
    expect((await svc.request("GET", `/api/requests/not-a-uuid/document.pdf`, { token: clerk })).status).to.equal(400);
    expect((await svc.request("GET", `/api/requests/${d.id}/document.pdf`, { token: caOperator })).status).to.equal(403);
    expect((await svc.request("GET", `/api/requests/${d.id}/document.pdf`)).status).to.equal(401);
  });

  it("lists the routes in the OpenAPI document", async () => {
    const doc = await (await svc.request("GET", "/api/openapi.json")).json();
    const paths = Object.keys(doc.paths);
    expect(paths.some((p) => p.startsWith("/api/requests/{id}/document.pdf"))).to.equal(true);
    expect(paths).to.include("/api/requests/{id}/documents");
  });
});
