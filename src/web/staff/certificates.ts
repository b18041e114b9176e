import type { ApiContext, ApiRouter } from "../../http/route";
import { X509Certificate } from "@peculiar/x509";
import { addPage, actorOf, done, field, fieldErrors, readForm, sendFile, view } from "./page";
import { DomainError } from "../../errors";
import { messages } from "../../messages";
import { staffMessages as S } from "../../messages/staff";
import * as certificates from "../../store/certificates";
import { mustGetCertificate, parseSerialParam } from "../../ca/commands/common";
import { revokeOrRequest } from "../../ca/commands/requestRevocation";
import { issueForDossier } from "../../ca/commands/issueForDossier";
import { executeDossier } from "../../ca/commands/executeDossier";
import { REASON_NAMES, type RevocationReason } from "../../ca/revocation";
import { presentCertificate } from "../../http/routes/certificates/present";
import { presentDossier } from "../../http/routes/requests/present";
import { certificateView, statusView } from "../public/certificateView";
import { toPem } from "../../ca/x509/certificate";
import { MAX_LIST, subscribersOf } from "../../ra/dossiers/schema";
import { dossierOf } from "./dossiers";
import { unaccent } from "../../ca/subject";

/** Names of the usual extensions, as an operator reads them. */
const EXTENSION_NAMES: Record<string, string> = {
  "2.5.29.15": "Mục đích sử dụng khóa (Key Usage)",
  "2.5.29.37": "Mục đích sử dụng mở rộng (Extended Key Usage)",
  "2.5.29.17": "Tên thay thế của chủ thể (Subject Alternative Name)",
  "2.5.29.19": "Ràng buộc cơ bản (Basic Constraints)",
  "2.5.29.14": "Định danh khóa chủ thể",
  "2.5.29.35": "Định danh khóa của tổ chức cấp",
  "2.5.29.31": "Điểm phân phối danh sách thu hồi (CRL)",
  "1.3.6.1.5.5.7.1.1": "Truy cập thông tin tổ chức cấp (AIA: OCSP, chứng thư CA)",
  "2.5.29.32": "Chính sách chứng thư",
};

/** Revocation reasons an operator may choose (removeFromCRL lifts a hold; the CA's own compromises are not chosen here). */
const OPERATOR_REASONS = REASON_NAMES.filter((r) => !["cACompromise", "aACompromise"].includes(r));

function decoded(der: Buffer) {
  const c = new X509Certificate(new Uint8Array(der));
  return {
    subjectDn: c.subject,
    issuerDn: c.issuer,
    signatureAlgorithm: (c.signatureAlgorithm as { name?: string; hash?: { name?: string } }).name
      ? `${(c.signatureAlgorithm as { name: string }).name}${(c.signatureAlgorithm as { hash?: { name?: string } }).hash?.name ? ` / ${(c.signatureAlgorithm as { hash: { name: string } }).hash.name}` : ""}`
      : "",
    extensions: c.extensions.map((e) => ({
      name: EXTENSION_NAMES[e.type] ?? e.type, critical: e.critical,
      text: e.toString("text").split("\n").slice(1).map((l) => l.trim()).filter(Boolean).join("; ").slice(0, 600),
    })),
  };
}

async function certificateOf(ctx: ApiContext) {
  let serial: string;
  try {
    serial = parseSerialParam(String(ctx.params.serial));
  } catch {
    throw new DomainError("certificate_not_found", `Không tìm thấy chứng thư số "${String(ctx.params.serial).slice(0, 80)}".`, {}, "not_found");
  }
  return mustGetCertificate(ctx.services.db, serial);
}

export function registerCertificatePages(api: ApiRouter) {
  addPage(api, "get", "/quan-tri/chung-thu", "certificate.list", async (ctx) => {
    const str = (v: unknown) => (typeof v === "string" ? v.trim().slice(0, 200) : "");
    const filters = { q: str(ctx.query.q), serial: str(ctx.query["so-hieu"]).replace(/[:\s]/g, "").toLowerCase(), status: str(ctx.query["trang-thai"]) };
    const searched = Boolean(filters.q || filters.serial || filters.status);
    let items: ReturnType<typeof presentCertificate>[] = [];
    let total = 0;
    if (searched) {
      const r = await certificates.search(ctx.services.db, {
        serial: /^[0-9a-f]{1,64}$/.test(filters.serial) ? filters.serial.replace(/^0+(?=.)/, "") : undefined,
        text: filters.q ? unaccent(filters.q) : undefined,
        status: ["issued", "revoked", "pending", "void"].includes(filters.status) ? filters.status : undefined, limit: 100, offset: 0,
      } as never);
      items = r.items.map((c) => presentCertificate(c as certificates.CertificateRow));
      total = r.total;
    }
    view(ctx, "staff/certificates.njk", { title: "Chứng thư số", filters, items, total, searched });
  });

  addPage(api, "get", "/quan-tri/chung-thu/:serial", "certificate.read", async (ctx) => {
    const row = await certificateOf(ctx);
    const c = presentCertificate(row);
    const der = row.der ? Buffer.from(row.der) : null;
    const chain = der ? (await ctx.services.ca.chain(row.ca_name)).map((x) => ({ name: x.name, view: certificateView(x.der) })) : [];
    view(ctx, "staff/certificate.njk", {
      title: `Chứng thư số ${c.serial}`, c, cert: der ? certificateView(der, row) : null, decoded: der ? decoded(der) : null,
      status: statusView(row), chain, reasons: Object.fromEntries(OPERATOR_REASONS.map((r) => [r, messages.ca.reasons[r] ?? r])),
      reasonLabel: c.revocationReason ? messages.ca.reasons[c.revocationReason] : null,
    });
  });

  addPage(api, "get", "/quan-tri/chung-thu/:serial/tai/:file", "certificate.read", async (ctx) => {
    const row = await certificateOf(ctx);
    if (!row.der) throw new DomainError("certificate_not_issued", "Chứng thư số chưa được ký xong.", {}, "not_found");
    if (String(ctx.params.file).endsWith(".pem")) sendFile(ctx, Buffer.from(toPem(row.der)), "application/x-pem-file", `${row.serial}.pem`);
    else sendFile(ctx, Buffer.from(row.der), "application/pkix-cert", `${row.serial}.cer`);
  });

  // Revocation. An urgent one (keyCompromise outside a Mẫu 05 dossier) goes through dual control
  // (src/ca/commands/requestRevocation.ts): recorded as a pending approval for a second operator.
  addPage(api, "post", "/quan-tri/chung-thu/:serial/thu-hoi", "certificate.revoke", async (ctx) => {
    const row = await certificateOf(ctx);
    const f = readForm(ctx as never);
    const reason = field(f, "reason");
    if (!(OPERATOR_REASONS as string[]).includes(reason)) throw new DomainError("validation_failed", "Chọn lý do thu hồi.", { fields: [{ field: "reason", message: "Chọn lý do thu hồi." }] });
    const invalidity = field(f, "invalidityDate");
    const out = await revokeOrRequest(ctx.services, actorOf(ctx), {
      serial: row.serial, reason: reason as RevocationReason, comment: field(f, "comment") || undefined,
      invalidityDate: invalidity ? new Date(`${invalidity}T00:00:00+07:00`) : undefined,
    });
    done(ctx, `/quan-tri/chung-thu/${row.serial}`, out.approval ? "revocationPending" : "revoked");
  });

  // Mẫu 04 (renewal, change) and Mẫu 05 (revocation): carried out serial by serial, with a result each.
  addPage(api, "post", "/quan-tri/ho-so/:id/thuc-hien", "certificate.renew", async (ctx) => {
    const d = await dossierOf(ctx);
    const results = await executeDossier(ctx.services, actorOf(ctx), d.id);
    view(ctx, "staff/execute.njk", {
      title: `Kết quả thực hiện hồ sơ ${d.number}`, d: presentDossier(d, actorOf(ctx)), results, formName: S.forms[d.kind],
      succeeded: results.filter((r) => r.ok).length,
    });
  });

  // Issuance from an accepted dossier: one person (or asset) at a time, with the CSR made on the device.
  addPage(api, "get", "/quan-tri/ho-so/:id/cap-chung-thu", "certificate.issue", async (ctx) => {
    const d = await dossierOf(ctx);
    await renderIssue(ctx, d);
  });

  addPage(api, "post", "/quan-tri/ho-so/:id/cap-chung-thu", "certificate.issue", async (ctx) => {
    const d = await dossierOf(ctx);
    const f = readForm(ctx as never);
    const index = Number(field(f, "index"));
    const isAsset = d.kind === "device";
    const csr = (f.files.csrFile?.text ?? "").trim() || field(f, `csr_${index}`);
    const password = field(f, `p12_${index}`);
    try {
      if (!csr && !password) throw new DomainError("key_missing", S.csrRequired, { fields: [{ field: `csr_${index}`, message: S.csrRequired }] });
      const key = csr ? { csr } : { keyGeneration: "server" as const, pkcs12Password: password };
      const r = await issueForDossier(ctx.services, actorOf(ctx), { dossierId: d.id, ...(isAsset ? { asset: index } : { subscriber: index }), key });
      if (r.pkcs12) {
        // A key generated here is given out once: the PKCS#12 file itself is the answer.
        sendFile(ctx, Buffer.from(r.pkcs12, "base64"), "application/x-pkcs12", `${r.serial}.p12`);
        return;
      }
      done(ctx, `/quan-tri/ho-so/${d.id}/cap-chung-thu`, "issued");
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      const errors = fieldErrors(err) ?? {};
      await renderIssue(ctx, await dossierOf(ctx), { index, message: err.message, errors }, 400);
    }
  });
}

async function renderIssue(ctx: ApiContext, d: Awaited<ReturnType<typeof dossierOf>>, error?: { index: number; message: string; errors: Record<string, string> }, status = 200) {
  const r = await certificates.search(ctx.services.db, { dossierId: d.id, limit: MAX_LIST, offset: 0 } as never);
  const issued = r.items.map((c) => presentCertificate(c as certificates.CertificateRow));
  const isAsset = d.kind === "device";
  const entries = (isAsset ? (d as { assets: { name: string; identifier: string }[] }).assets.map((a) => ({ name: a.name, detail: a.identifier })) : subscribersOf(d).map((p) => ({ name: p.fullName, detail: `${p.position}, ${p.workplace}` })))
    .map((e, i) => ({
      ...e, index: i,
      certificate: issued.find((c) => (isAsset ? c.assetIndex === i : c.subscriberIndex === i) && (c.status === "issued" || c.status === "pending")) ?? null,
    }));
  view(ctx, "staff/issue.njk", { title: `Cấp chứng thư số cho hồ sơ ${d.number}`, d: presentDossier(d, actorOf(ctx)), entries, error, certStatus: S.certificateStatus }, status);
}
