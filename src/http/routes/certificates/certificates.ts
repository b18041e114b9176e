import { z } from "zod";
import type { ApiRouter } from "../../route";
import * as S from "./schema";
import { presentBatch, presentCertificate, presentIssued } from "./present";
import * as certificates from "../../../store/certificates";
import { DomainError } from "../../../errors";
import { messages } from "../../../messages";
import { parseKeySpecName } from "../../../ca/algorithms";
import { mustGetCertificate, parseSerialParam, type KeySource } from "../../../ca/commands/common";
import { issueCertificate } from "../../../ca/commands/issueCertificate";
import { revokeBulk, revokeOrRequest } from "../../../ca/commands/requestRevocation";
import { presentApproval } from "../approvals/present";
import { renewCertificate } from "../../../ca/commands/renewCertificate";
import { changeCertificate } from "../../../ca/commands/changeCertificate";
import { createBatch, getBatch, runBatch } from "../../../ca/commands/batch";
import { normalizeSerial } from "../../../ca/serial";
import { sha256Hex, toPem } from "../../../ca/x509/certificate";
import { unaccent, type SubjectInfo } from "../../../ca/subject";

/** The key fields of a request body → a KeySource; undefined when none was given. */
export function keySourceOf(b: { csr?: string; keyGeneration?: "server"; pkcs12Password?: string; keyAlgorithm?: string }): KeySource | undefined {
  if (b.csr && b.keyGeneration) throw new DomainError("key_source_ambiguous", messages.ca.keySourceAmbiguous, {});
  if (b.csr) return { csr: b.csr };
  if (b.keyGeneration === "server") {
    if (!b.pkcs12Password) throw new DomainError("pkcs12_password_weak", messages.ca.pkcs12PasswordWeak, {});
    return { keyGeneration: "server", pkcs12Password: b.pkcs12Password, keySpec: b.keyAlgorithm ? parseKeySpecName(b.keyAlgorithm) : undefined };
  }
  return undefined;
}

const SERVICE_PROFILES = ["ocsp-responder", "tsa"];

export function register(api: ApiRouter) {
  api.add({
    method: "post", path: "/api/certificates", summary: "Issue a certificate for subject data given by a CA operator (CSR or server-side key)", tags: ["certificates"],
    action: "certificate.issue", input: S.IssueSchema,
    responses: { 201: { description: "Đã cấp chứng thư", schema: S.IssuedSchema } },
    handler: async (ctx, { body }) => {
      const key = keySourceOf(body);
      if (!key) throw new DomainError("key_missing", messages.ca.keyMissing, {});
      const r = await issueCertificate(ctx.services, ctx.state.actor!, { profile: body.profile, subject: body.subject as SubjectInfo, key, usage: body.usage, validityYears: body.validityYears });
      ctx.status = 201;
      ctx.set("Cache-Control", "no-store");
      ctx.body = presentIssued(r);
    },
  });
  api.add({
    method: "get", path: "/api/certificates", summary: "Search certificates (serial, text, identity number, dossier, status, expiry window)", tags: ["certificates"],
    action: "certificate.list", input: S.SearchSchema,
    handler: async (ctx, { query }) => {
      let serial: string | undefined;
      if (query.serial) serial = normalizeSerial(query.serial) ?? parseSerialParam(query.serial);
      const expiresBefore = query.expiringWithinDays !== undefined ? new Date(Date.now() + query.expiringWithinDays * 86400_000).toISOString() : query.expiresBefore;
      const expiresAfter = query.expiringWithinDays !== undefined && !query.expiresAfter ? new Date().toISOString() : query.expiresAfter;
      const r = await certificates.search(ctx.services.db, {
        serial, text: query.q ? unaccent(query.q) : undefined, uid: query.uid, dossierId: query.dossierId, status: query.status, profile: query.profile,
        caName: query.ca, expiresAfter: expiresAfter && new Date(expiresAfter).toISOString(), expiresBefore: expiresBefore && new Date(expiresBefore).toISOString(),
        limit: query.limit, offset: query.offset,
      });
      ctx.body = { items: r.items.map((c) => presentCertificate(c as certificates.CertificateRow)), total: r.total, limit: query.limit, offset: query.offset };
    },
  });
  api.add({
    method: "get", path: "/api/certificates/:serial", summary: "One certificate, with its PEM", tags: ["certificates"], action: "certificate.read", input: S.GetSchema,
    handler: async (ctx, { params }) => {
      const row = await mustGetCertificate(ctx.services.db, parseSerialParam(params.serial));
      ctx.body = { ...presentCertificate(row), pem: row.der ? toPem(row.der) : null };
    },
  });
  api.add({
    method: "post", path: "/api/certificates/:serial/revoke", summary: "Revoke with an RFC 5280 reason (keyCompromise outside a Mẫu 05 dossier: 202, waits for a second operator)", tags: ["certificates"], action: "certificate.revoke", input: S.RevokeSchema,
    responses: { 200: { description: "Đã thu hồi" }, 202: { description: "Thu hồi khẩn cấp chờ người thứ hai phê duyệt (GET /api/approvals/{id})" } },
    handler: async (ctx, { params, body }) => {
      const out = await revokeOrRequest(ctx.services, ctx.state.actor!, {
        serial: parseSerialParam(params.serial), reason: body.reason, invalidityDate: body.invalidityDate ? new Date(body.invalidityDate) : undefined, comment: body.comment,
      });
      if (out.approval) {
        ctx.status = 202;
        ctx.body = presentApproval(out.approval);
      } else {
        ctx.body = presentCertificate(out.certificate);
      }
    },
  });
  api.add({
    method: "post", path: "/api/certificates/revoke-bulk", summary: "Revoke a list of certificates, all or nothing (dual control: 202 until a second operator approves)", tags: ["certificates"],
    action: "certificate.revoke_bulk", input: S.RevokeBulkSchema,
    responses: { 200: { description: "Đã thu hồi tất cả" }, 202: { description: "Chờ người thứ hai phê duyệt" } },
    handler: async (ctx, { body }) => {
      const out = await revokeBulk(ctx.services, ctx.state.actor!, { serials: body.serials.map(parseSerialParam), reason: body.reason, comment: body.comment });
      if ("approval" in out) {
        ctx.status = 202;
        ctx.body = presentApproval(out.approval);
      } else {
        ctx.body = { revoked: out.revoked };
      }
    },
  });
  api.add({
    method: "post", path: "/api/certificates/:serial/renew", summary: "Renew (same key, or a new CSR / server-side key); adds at most 3 years", tags: ["certificates"],
    action: "certificate.renew", input: S.RenewSchema,
    responses: { 201: { description: "Chứng thư gia hạn", schema: S.IssuedSchema } },
    handler: async (ctx, { params, body }) => {
      const r = await renewCertificate(ctx.services, ctx.state.actor!, { serial: parseSerialParam(params.serial), years: body.years, key: keySourceOf(body) });
      ctx.status = 201;
      ctx.set("Cache-Control", "no-store");
      ctx.body = presentIssued(r);
    },
  });
  api.add({
    method: "post", path: "/api/certificates/:serial/change", summary: "Change of information: new certificate, the old one revoked (superseded / affiliationChanged)", tags: ["certificates"],
    action: "certificate.change", input: S.ChangeSchema,
    responses: { 201: { description: "Chứng thư mới", schema: S.IssuedSchema } },
    handler: async (ctx, { params, body }) => {
      const r = await changeCertificate(ctx.services, ctx.state.actor!, {
        serial: parseSerialParam(params.serial), changes: body.changes as Partial<SubjectInfo>, reason: body.reason, key: keySourceOf(body),
      });
      ctx.status = 201;
      ctx.set("Cache-Control", "no-store");
      ctx.body = presentIssued(r);
    },
  });
  api.add({
    method: "post", path: "/api/certificate-batches", summary: "Issue many certificates as one resumable operation (progress at GET)", tags: ["certificates"],
    action: "certificate.batch", input: S.BatchSchema,
    handler: async (ctx, { body }) => {
      const b = await createBatch(ctx.services, ctx.state.actor!, { dossierId: body.dossierId, items: body.items as never });
      runBatch(ctx.services, b.id).catch((err) => ctx.services.log.error({ err, batch: b.id }, "batch stopped; it resumes at the next start"));
      ctx.status = 202;
      ctx.set("Location", `/api/certificate-batches/${b.id}`);
      ctx.body = presentBatch(b);
    },
  });
  api.add({
    method: "get", path: "/api/certificate-batches/:id", summary: "Progress of a batch", tags: ["certificates"], action: "certificate.batch.read", input: S.BatchGetSchema,
    handler: async (ctx, { params }) => {
      ctx.body = presentBatch(await getBatch(ctx.services, params.id));
    },
  });

  // Public repository: a certificate by serial, DER or PEM (RFC 2585 media type), cacheable.
  api.add({
    method: "get", path: "/certificates/:file", summary: "A certificate by serial (hex, colons allowed): DER, or PEM with .pem", tags: ["public"],
    input: z.object({ params: z.object({ file: z.string().min(1).max(120) }) }),
    responses: { 200: { description: "Chứng thư số", mediaType: "application/pkix-cert" } },
    handler: async (ctx, { params }) => {
      // [\s\S]: a serial with a line break (hostile input) is refused by parseSerialParam, not a crash.
      const m = /^([\s\S]+?)(?:\.(pem|crt|cer|der))?$/i.exec(params.file)!;
      const serial = parseSerialParam(m[1]);
      const row = await certificates.get(ctx.services.db, serial);
      // Public means published: a subscriber's certificate appears once it is handed over (step 4);
      // the service's own certificates (OCSP responder, TSA) are public from issuance.
      const published = Boolean(row?.handed_over_at) || SERVICE_PROFILES.includes(String(row?.profile));
      if (!row || !row.der || (row.status !== "issued" && row.status !== "revoked") || !published) {
        throw new DomainError("certificate_not_found", messages.ca.certificateNotFound(serial), { serial }, "not_found");
      }
      const der = Buffer.from(row.der);
      ctx.set("Cache-Control", "public, max-age=86400");
      ctx.set("ETag", `"${sha256Hex(der).slice(0, 32)}"`);
      if (m[2]?.toLowerCase() === "pem") {
        ctx.type = "application/x-pem-file";
        ctx.body = toPem(der);
      } else {
        ctx.type = "application/pkix-cert";
        ctx.body = der;
      }
    },
  });
}
