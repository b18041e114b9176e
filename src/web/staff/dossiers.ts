import type { ApiContext, ApiRouter } from "../../http/route";
import { addPage, actorOf, done, errorPage, field, fieldErrors, readForm, sendFile, validated, view } from "./page";
import { CreateRequestSchema } from "../../http/routes/requests/schema";
import { DomainError } from "../../errors";
import { can } from "../../policy/policy";
import { staffMessages as S } from "../../messages/staff";
import { dossierLabels } from "../../messages/dossiers";
import { createDossier } from "../../ra/commands/createDossier";
import { updateDossier } from "../../ra/commands/updateDossier";
import { replaceSubscribers } from "../../ra/commands/replaceSubscribers";
import { submitDossier } from "../../ra/commands/submitDossier";
import { withdrawDossier } from "../../ra/commands/withdrawDossier";
import { dossierHistory, listDossiers, mustGetDossier } from "../../ra/dossiers/queries";
import { DOSSIER_KINDS, DOSSIER_STATUSES, FORM_OF_KIND, isEditable, type Dossier, type DossierInput, type DossierKind } from "../../ra/dossiers/schema";
import { subscriberCsvTemplate } from "../../ra/dossiers/subscriberCsv";
import { presentDossier, presentDossierSummary, presentHistoryEntry } from "../../http/routes/requests/present";
import { presentDeficiency, presentFinding } from "../../http/routes/review/present";
import { presentCertificate } from "../../http/routes/certificates/present";
import { findingsFor } from "../../ra/review/findings";
import { TRANSITIONS } from "../../ra/review/transitions";
import * as reviews from "../../store/reviews";
import { HANDLING_ACTIONS } from "../../store/dossiers";
import * as certificates from "../../store/certificates";
import { documentsOf, requestDocumentFor, storedDocument } from "../../documents/storedDocuments";
import * as documentStore from "../../store/documents";
import { ISSUABLE_STATUSES } from "../../ca/commands/issueForDossier";
import { deadlineViews } from "./workingDays";
import {
  FORM_KINDS, foldListErrors, formFieldsByTop, formSections, hasPeopleCsv, inputFromForm, previewPeople, subscriberColumns, valuesOfDossier, valuesOfForm,
  type PeoplePreview,
} from "./dossierForm";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The dossier named in the path, or a 404 page. */
export async function dossierOf(ctx: ApiContext): Promise<Dossier> {
  const id = String(ctx.params.id ?? "");
  if (!UUID.test(id)) throw new DomainError("dossier_not_found", `Không tìm thấy hồ sơ đề nghị "${id}".`, { id }, "not_found");
  return mustGetDossier(ctx.services.db, id);
}

/** Ids of the users who created, edited, corrected or submitted the dossier, from its history. */
const handlersOf = (history: { action: string; actor_id: string | null }[]) =>
  [...new Set(history.filter((h) => (HANDLING_ACTIONS as readonly string[]).includes(h.action) && h.actor_id).map((h) => String(h.actor_id)))];

/** What the signed-in user may do with the dossier now: the review table's transitions and the next steps. */
export function actionsFor(ctx: ApiContext, d: Dossier, handledBy: string[] = []) {
  const actor = actorOf(ctx);
  const allowed = (action: string) => {
    const t = TRANSITIONS.find((x) => x.action === action)!;
    // The object carries who handled the dossier: separation of duties ("dossier.accept").
    return (t.from as readonly string[]).includes(d.status) && can(actor, t.policy, { ...d, handledBy });
  };
  return {
    edit: isEditable(d.status) && can(actor, "dossier.edit"),
    submit: allowed("submit"),
    withdraw: allowed("withdraw"),
    start: allowed("start"),
    requestCorrection: allowed("request_correction"),
    accept: allowed("accept"),
    reject: allowed("reject"),
    issue: (ISSUABLE_STATUSES as readonly string[]).includes(d.status) && can(actor, "certificate.issue") && ["individual", "organization", "device"].includes(d.kind),
    handover: d.status === "issued" && can(actor, "handover.create"),
    appoint: ["issuing", "issued"].includes(d.status) && can(actor, "handover.create"),
    execute: (ISSUABLE_STATUSES as readonly string[]).includes(d.status) && ["renewal_change", "revocation"].includes(d.kind)
      && can(actor, d.kind === "revocation" ? "certificate.revoke" : "certificate.renew"),
  };
}

const statusOptions = () => Object.fromEntries(DOSSIER_STATUSES.map((s) => [s, s]));

async function renderForm(
  ctx: ApiContext, kind: DossierKind, opts: { values?: Record<string, string>; errors?: Record<string, string>; preview?: PeoplePreview; dossier?: Dossier; error?: string },
  status = 200,
) {
  view(ctx, "staff/dossier-form.njk", {
    title: opts.dossier ? `Sửa hồ sơ ${opts.dossier.number}` : `Hồ sơ mới: ${S.forms[kind]}`,
    kind, formNo: FORM_OF_KIND[kind], formName: S.forms[kind], sections: formSections(kind), peopleCsv: hasPeopleCsv(kind),
    values: opts.values ?? {}, errors: opts.errors ?? {}, preview: opts.preview, columns: subscriberColumns, dossier: opts.dossier ? presentDossier(opts.dossier, actorOf(ctx)) : null,
    error: opts.error, action: opts.dossier ? `/quan-tri/ho-so/${opts.dossier.id}/sua` : `/quan-tri/ho-so/moi/${FORM_OF_KIND[kind]}`,
  }, status);
}

/** The uploaded list (a new file) or the one carried from the preview (hidden field). */
function uploadedList(ctx: ApiContext): { text: string; filename?: string; fresh: boolean } | undefined {
  const f = readForm(ctx as never);
  const file = f.files.danhSach;
  if (file && file.text.trim()) return { text: file.text, filename: file.filename, fresh: true };
  const carried = typeof f.fields.csvText === "string" ? f.fields.csvText : "";
  return carried.trim() ? { text: carried, filename: field(f, "csvName") || undefined, fresh: false } : undefined;
}

export function registerDossierPages(api: ApiRouter) {
  addPage(api, "get", "/quan-tri/ho-so", "dossier.list", async (ctx) => {
    const q = ctx.query;
    const str = (v: unknown) => (typeof v === "string" ? v.trim().slice(0, 200) : "");
    const filters = { status: str(q["trang-thai"]), kind: str(q.loai), q: str(q.q), agency: str(q["co-quan"]) };
    const page = Math.max(1, Number(str(q.trang)) || 1);
    const limit = 50;
    const r = await listDossiers(ctx.services.db, {
      status: filters.status && (DOSSIER_STATUSES as readonly string[]).includes(filters.status) ? [filters.status] : undefined,
      kind: filters.kind && (DOSSIER_KINDS as readonly string[]).includes(filters.kind) ? filters.kind : undefined,
      q: filters.q || undefined, agency: filters.agency || undefined, limit, offset: (page - 1) * limit,
    });
    const items = r.rows.map(presentDossierSummary);
    const due = await deadlineViews(ctx.services.db, items);
    view(ctx, "staff/dossiers.njk", {
      title: "Hồ sơ đề nghị", items: items.map((it, i) => ({ ...it, due: due[i] })), total: r.total, filters, page, pages: Math.max(1, Math.ceil(r.total / limit)),
      kinds: S.forms, statuses: statusOptions(),
    });
  });

  addPage(api, "get", "/quan-tri/ho-so/mau-danh-sach.csv", "dossier.read", (ctx) => {
    sendFile(ctx, Buffer.from(subscriberCsvTemplate(), "utf8"), "text/csv; charset=utf-8", "mau-01-danh-sach.csv");
  });

  addPage(api, "get", "/quan-tri/ho-so/moi", "dossier.create", (ctx) => {
    view(ctx, "staff/dossier-new.njk", { title: "Hồ sơ mới", forms: Object.entries(FORM_KINDS).map(([no, kind]) => ({ no, kind, name: S.forms[kind] })) });
  });

  addPage(api, "get", "/quan-tri/ho-so/moi/:form", "dossier.create", async (ctx) => {
    const kind = FORM_KINDS[String(ctx.params.form)];
    if (!kind) throw new DomainError("form_not_found", "Không có mẫu hồ sơ này (chỉ có Mẫu 01 đến Mẫu 06).", {}, "not_found");
    await renderForm(ctx, kind, { values: { channel: "in_person" } });
  });

  addPage(api, "post", "/quan-tri/ho-so/moi/:form", "dossier.create", async (ctx) => {
    const kind = FORM_KINDS[String(ctx.params.form)];
    if (!kind) throw new DomainError("form_not_found", "Không có mẫu hồ sơ này (chỉ có Mẫu 01 đến Mẫu 06).", {}, "not_found");
    const f = readForm(ctx as never);
    const values = valuesOfForm(kind, f);
    const list = hasPeopleCsv(kind) ? uploadedList(ctx) : undefined;
    const preview = list ? previewPeople(list.text, list.filename) : undefined;
    // A newly chosen file is shown first; nothing is saved until the clerk has seen the rows.
    if (list?.fresh || field(f, "buoc") === "xem-truoc") {
      await renderForm(ctx, kind, { values, preview });
      return;
    }
    if (hasPeopleCsv(kind) && (!preview || preview.fileError || preview.rows.length === 0)) {
      await renderForm(ctx, kind, { values, preview, errors: { danhSach: preview?.fileError ?? S.csvRequired } }, 400);
      return;
    }
    const input = inputFromForm(kind, f, preview?.rows.map((r) => r.person));
    try {
      const { body } = validated(CreateRequestSchema, { body: input });
      const d = await createDossier(ctx.services.db, actorOf(ctx), body as DossierInput);
      done(ctx, `/quan-tri/ho-so/${d.id}`, "created");
    } catch (err) {
      const errors = fieldErrors(err);
      if (!errors) throw err;
      await renderForm(ctx, kind, {
        values, errors: foldListErrors(errors, kind), preview: list ? previewPeople(list.text, list.filename, errors) : undefined,
        error: (err as DomainError).message,
      }, 400);
    }
  });

  addPage(api, "get", "/quan-tri/ho-so/:id", "dossier.read", async (ctx) => {
    const d = await dossierOf(ctx);
    const actor = actorOf(ctx);
    const db = ctx.services.db;
    const [history, deficiencies, findings, docs, certs, due] = await Promise.all([
      dossierHistory(db, d.id),
      reviews.deficiencies(db, d.id),
      can(actor, "review.read") ? findingsFor(db, d) : Promise.resolve(null),
      can(actor, "dossier.document") ? documentsOf(db, d.id) : Promise.resolve(null),
      can(actor, "certificate.list") || can(actor, "certificate.read") ? certificates.search(db, { dossierId: d.id, limit: 500, offset: 0 } as never) : Promise.resolve(null),
      deadlineViews(db, [d]),
    ]);
    const rounds = new Map<number, ReturnType<typeof presentDeficiency>[]>();
    for (const x of deficiencies.map(presentDeficiency)) rounds.set(x.round, [...(rounds.get(x.round) ?? []), x]);
    view(ctx, "staff/dossier.njk", {
      title: `Hồ sơ ${d.number}`, d: presentDossier(d, actorOf(ctx)), formName: S.forms[d.kind], due: due[0],
      history: history.map((h) => presentHistoryEntry(h, actorOf(ctx))), rounds: [...rounds.entries()].map(([round, items]) => ({ round, items })),
      findings: findings?.map(presentFinding) ?? null, documents: docs, certificates: certs?.items.map((c) => presentCertificate(c as never)) ?? null,
      actions: actionsFor(ctx, d, handlersOf(history)), labels: dossierLabels, columns: subscriberColumns, channels: S.channels, assetKinds: S.assetKinds,
      reasons: S.requestTypes, historyNames: S.historyActions,
    });
  });

  addPage(api, "get", "/quan-tri/ho-so/:id/sua", "dossier.edit", async (ctx) => {
    const d = await dossierOf(ctx);
    if (!isEditable(d.status)) throw new DomainError("dossier_not_editable", `Hồ sơ ${d.number} không ở trạng thái được sửa.`, {}, "conflict");
    await renderForm(ctx, d.kind, { values: valuesOfDossier(presentDossier(d, actorOf(ctx))), dossier: d });
  });

  addPage(api, "post", "/quan-tri/ho-so/:id/sua", "dossier.edit", async (ctx) => {
    const d = await dossierOf(ctx);
    const f = readForm(ctx as never);
    const values = valuesOfForm(d.kind, f);
    const list = hasPeopleCsv(d.kind) ? uploadedList(ctx) : undefined;
    const preview = list ? previewPeople(list.text, list.filename) : undefined;
    if (list?.fresh || field(f, "buoc") === "xem-truoc") {
      await renderForm(ctx, d.kind, { values, preview, dossier: d });
      return;
    }
    const db = ctx.services.db;
    const actor = actorOf(ctx);
    try {
      let version = Number(field(f, "version")) || undefined;
      if (preview) {
        if (preview.fileError) throw new DomainError("validation_failed", preview.fileError, { fields: [{ field: "danhSach", message: preview.fileError }] });
        version = (await replaceSubscribers(db, actor, d.id, { csv: preview.csvText }, version)).version;
      }
      const { subscribers: _s, kind: _k, quantity, ...rest } = inputFromForm(d.kind, f) as Record<string, unknown>;
      const patch: Record<string, unknown> = { ...rest, version };
      if (!hasPeopleCsv(d.kind) && quantity !== undefined) patch.quantity = quantity;
      const current = (await mustGetDossier(db, d.id)) as unknown as Record<string, unknown>;
      for (const [top, names] of Object.entries(formFieldsByTop(d.kind))) {
        if (top === "commitment" || top === "quantity") continue;
        const nested = names.some((n) => n.includes("."));
        if (nested) {
          // Fields the form does not show (e.g. the receiver's identity issue date) are kept.
          const merged: Record<string, unknown> = { ...((current[top] as Record<string, unknown>) ?? {}) };
          for (const n of names) delete merged[n.split(".")[1]];
          Object.assign(merged, (rest[top] as Record<string, unknown>) ?? {});
          patch[top] = Object.keys(merged).length ? merged : current[top] !== undefined ? null : undefined;
          if (patch[top] === undefined) delete patch[top];
        } else if (!(top in rest) && current[top] !== undefined && current[top] !== null) {
          patch[top] = null;
        }
      }
      await updateDossier(db, actor, d.id, patch).catch((e) => {
        if (e instanceof DomainError && e.code === "patch_empty") return;
        throw e;
      });
      done(ctx, `/quan-tri/ho-so/${d.id}`, "updated");
    } catch (err) {
      const errors = fieldErrors(err);
      if (!errors) throw err;
      await renderForm(ctx, d.kind, {
        values, errors: foldListErrors(errors, d.kind), preview: list ? previewPeople(list.text, list.filename, errors) : undefined, dossier: await mustGetDossier(db, d.id),
        error: (err as DomainError).message,
      }, 400);
    }
  });

  addPage(api, "post", "/quan-tri/ho-so/:id/tiep-nhan", "dossier.submit", async (ctx) => {
    const d = await dossierOf(ctx);
    const version = Number(field(readForm(ctx as never), "version")) || undefined;
    await submitDossier(ctx.services.db, actorOf(ctx), d.id, { version });
    done(ctx, `/quan-tri/ho-so/${d.id}`, "submitted");
  });

  addPage(api, "post", "/quan-tri/ho-so/:id/rut", "dossier.withdraw", async (ctx) => {
    const d = await dossierOf(ctx);
    const f = readForm(ctx as never);
    await withdrawDossier(ctx.services.db, actorOf(ctx), d.id, { reason: field(f, "reason"), version: Number(field(f, "version")) || undefined });
    done(ctx, `/quan-tri/ho-so/${d.id}`, "withdrawn");
  });

  addPage(api, "get", "/quan-tri/ho-so/:id/van-ban.pdf", "dossier.document", async (ctx) => {
    const d = await dossierOf(ctx);
    const row = await requestDocumentFor(ctx.services.db, actorOf(ctx), d.id);
    sendFile(ctx, documentStore.bytesOf(row), "application/pdf", `van-ban-de-nghi-${d.number}-v${row.dossier_version}.pdf`, ctx.query.tai !== "1");
  });

  addPage(api, "get", "/quan-tri/ho-so/:id/van-ban/:doc", "dossier.document", async (ctx) => {
    const d = await dossierOf(ctx);
    const docId = String(ctx.params.doc).replace(/\.pdf$/, "");
    if (!UUID.test(docId)) throw new DomainError("document_not_found", "Không tìm thấy văn bản.", {}, "not_found");
    const row = await storedDocument(ctx.services.db, d.id, docId);
    sendFile(ctx, documentStore.bytesOf(row), "application/pdf", `${row.kind}-${d.number}-v${row.dossier_version}.pdf`, ctx.query.tai !== "1");
  });
}

export { errorPage };
