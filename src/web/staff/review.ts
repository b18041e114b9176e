import type { ApiContext, ApiRouter } from "../../http/route";
import { addPage, actorOf, done, field, fieldErrors, readForm, view, type StaffForm } from "./page";
import { DomainError } from "../../errors";
import { staffMessages as S } from "../../messages/staff";
import { dossierLabels } from "../../messages/dossiers";
import { reviewDossier } from "../../ra/commands/reviewDossier";
import { deficiencyCatalogue, fieldLabel, resolveDeficiencies, type DeficiencyInput } from "../../ra/review/deficiencies";
import { snapshotOf } from "../../ra/review/mailSnapshot";
import { renderMail } from "../../mail/templates";
import { presentDossier } from "../../http/routes/requests/present";
import { findingsFor } from "../../ra/review/findings";
import { presentFinding } from "../../http/routes/review/present";
import * as reviews from "../../store/reviews";
import type { Dossier } from "../../ra/dossiers/schema";
import { dossierOf } from "./dossiers";
import { subscriberColumns } from "./dossierForm";

/** Fields a free-text deficiency may name (the review's fieldLabel accepts each). */
function fieldOptions(d: Dossier): Record<string, string> {
  const keys = [
    "other", "agency.name", "agency.headOfficeAddress", "agency.contactAddress", "agency.phone", "agency.fax", "agency.email", "agency.taxCode",
    "agency.budgetCode", "certificateType", "quantity", "commitment", "receiver", "note",
    ...("subscribers" in d && d.subscribers ? subscriberColumns.map((c) => `subscribers.${c.field}`) : []),
    ...("assets" in d && d.assets ? ["assets.name", "assets.kind", "assets.identifier"] : []),
    ...("certificates" in d && d.certificates ? ["certificates.serial"] : []),
    ...("devices" in d && d.devices ? ["devices.serial"] : []),
  ];
  const out: Record<string, string> = {};
  for (const k of keys) {
    const l = fieldLabel(k);
    if (l) out[k] = k.includes(".") && k.split(".")[0] !== "agency" ? `${(dossierLabels as Record<string, string>)[k.split(".")[0]] ?? ""} – ${l}` : l;
  }
  return out;
}

const FREE_ROWS = 3;
const rowsOf = (s: string) => s.split(/[,;\s]+/).map((x) => x.trim()).filter(Boolean).map(Number);

/** The checklist as submitted → the review command's deficiencies (catalogue codes + free text, per field/row). */
function deficienciesOf(d: Dossier, f: StaffForm): DeficiencyInput[] {
  const out: DeficiencyInput[] = [];
  const codes = ([] as string[]).concat(f.fields.ma ?? []);
  for (const c of deficiencyCatalogue()) {
    if (!codes.includes(c.code)) continue;
    const reason = field(f, `lydo_${c.code}`) || null;
    const rows = c.field?.includes(".") && !c.field.startsWith("agency.") ? rowsOf(field(f, `dong_${c.code}`)) : [];
    if (rows.length === 0) out.push({ field: c.field ?? "other", code: c.code, reason });
    for (const row of rows) out.push({ field: c.field!, row: Number.isInteger(row) ? row : -1, code: c.code, reason });
  }
  for (let i = 0; i < FREE_ROWS; i++) {
    const reason = field(f, `tu_lydo_${i}`);
    if (!reason) continue;
    const row = field(f, `tu_dong_${i}`);
    out.push({ field: field(f, `tu_truong_${i}`) || "other", row: row ? Number(row) || -1 : null, reason });
  }
  void d;
  return out;
}

async function renderChecklist(ctx: ApiContext, d: Dossier, f: StaffForm | null, extra: Record<string, unknown> = {}, status = 200) {
  const checked = new Set(f ? ([] as string[]).concat(f.fields.ma ?? []) : []);
  const findings = (await findingsFor(ctx.services.db, d)).map(presentFinding);
  view(ctx, "staff/correction.njk", {
    title: `Yêu cầu bổ sung hồ sơ ${d.number}`, d: presentDossier(d, actorOf(ctx)), findings,
    catalogue: deficiencyCatalogue().filter((c) => {
      const list = c.field?.split(".")[0];
      return !list || !["subscribers", "assets", "certificates", "devices", "changes"].includes(list) || Array.isArray((d as unknown as Record<string, unknown>)[list]);
    }).map((c) => ({
      ...c, label: c.field ? fieldLabel(c.field) : fieldLabel("other"), perRow: Boolean(c.field?.includes(".") && !c.field.startsWith("agency.")),
      checked: checked.has(c.code), rows: f ? field(f, `dong_${c.code}`) : "", reasonText: f ? field(f, `lydo_${c.code}`) : "",
    })),
    free: Array.from({ length: FREE_ROWS }, (_, i) => ({
      i, field: f ? field(f, `tu_truong_${i}`) : "", row: f ? field(f, `tu_dong_${i}`) : "", reason: f ? field(f, `tu_lydo_${i}`) : "",
    })),
    fieldOptions: fieldOptions(d), ...extra,
  }, status);
}

export function registerReviewPages(api: ApiRouter) {
  addPage(api, "post", "/quan-tri/ho-so/:id/kiem-duyet", "dossier.review", async (ctx) => {
    const d = await dossierOf(ctx);
    const f = readForm(ctx as never);
    const action = field(f, "action");
    if (!["start", "accept", "reject"].includes(action)) throw new DomainError("invalid_action", "Thao tác kiểm duyệt không hợp lệ.", {});
    await reviewDossier(ctx.services.db, actorOf(ctx), d.id, {
      action: action as "start" | "accept" | "reject", reason: field(f, "reason") || null, version: Number(field(f, "version")) || undefined,
    });
    done(ctx, `/quan-tri/ho-so/${d.id}`, action === "start" ? "started" : action === "accept" ? "accepted" : "rejected");
  });

  addPage(api, "get", "/quan-tri/ho-so/:id/yeu-cau-bo-sung", "dossier.review", async (ctx) => {
    const d = await dossierOf(ctx);
    await renderChecklist(ctx, d, null);
  });

  addPage(api, "post", "/quan-tri/ho-so/:id/yeu-cau-bo-sung", "dossier.review", async (ctx) => {
    const d = await dossierOf(ctx);
    const f = readForm(ctx as never);
    const input = deficienciesOf(d, f);
    if (input.length === 0) {
      await renderChecklist(ctx, d, f, { error: S.deficienciesRequired }, 400);
      return;
    }
    try {
      if (field(f, "buoc") === "gui") {
        await reviewDossier(ctx.services.db, actorOf(ctx), d.id, { action: "request_correction", deficiencies: input, version: Number(field(f, "version")) || undefined });
        done(ctx, `/quan-tri/ho-so/${d.id}`, "correction");
        return;
      }
      // Preview: the same resolution and the same mail template the outbox job will use.
      const list = resolveDeficiencies(d, input);
      const round = Number((await reviews.reviewColumns(ctx.services.db, d.id))?.correction_rounds ?? 0) + 1;
      const snap = snapshotOf(d, actorOf(ctx), new Date().toISOString());
      const to = [...new Set(snap.to.filter((x): x is string => !!x))];
      const mail = renderMail("correction_request", { ...snap, to, key: "preview", round, deficiencies: list, notice: null });
      await renderChecklist(ctx, d, f, { mail, to, round, count: list.length });
    } catch (err) {
      const errors = fieldErrors(err);
      if (!errors) throw err;
      await renderChecklist(ctx, d, f, { error: (err as DomainError).message, problems: Object.values(errors) }, 400);
    }
  });
}
