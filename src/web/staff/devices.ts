import crypto from "node:crypto";
import type { ApiContext, ApiRouter } from "../../http/route";
import { addPage, actorOf, done, field, fieldErrors, readForm, sendFile, validated, view, type StaffForm } from "./page";
import { CreateHandoverSchema, ScheduleHandoverSchema } from "../../http/routes/handovers/schema";
import { scheduleHandover } from "../../ra/devices/scheduleHandover";
import { CreateDeviceSchema, LockSchema, TransitionSchema } from "../../http/routes/devices/schema";
import { DomainError } from "../../errors";
import { can } from "../../policy/policy";
import * as store from "../../store/devices";
import * as handovers from "../../store/handovers";
import { CSV_HEADERS, createDevice, importDevices, readDevice, transitionDevice } from "../../ra/devices/inventory";
import { attachCertificate } from "../../ra/devices/deviceCertificates";
import { lockDevice, recoverDevice } from "../../ra/devices/recovery";
import { createHandover, personOf, readHandover, type HandoverInput } from "../../ra/devices/handover";
import { DEVICE_KINDS, DEVICE_STATES, KIND_LABELS, MANUAL_TARGETS, STATE_LABELS, type DeviceKind, type DeviceState } from "../../ra/devices/lifecycle";
import { ACCEPTED_STATUSES } from "../../ra/devices/recoveryDossier";
import { presentDevice, presentDeviceCertificate, presentEvent, presentRecovery } from "../../http/routes/devices/present";
import { presentHandover } from "../../http/routes/handovers/handovers";
import { listDossiers, mustGetDossier } from "../../ra/dossiers/queries";
import { presentDossierSummary } from "../../http/routes/requests/present";
import { renderHandoverRecord } from "../../documents/handoverRecord";
import { staffMessages as S } from "../../messages/staff";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const idOf = (ctx: ApiContext, what = "thiết bị") => {
  const id = String(ctx.params.id ?? "");
  if (!UUID.test(id)) throw new DomainError("not_found", `Không tìm thấy ${what} "${id.slice(0, 60)}".`, {}, "not_found");
  return id;
};

/** "2026-11-25T09:30" from a datetime-local input, read as Hà Nội time. */
const vnLocal = (v: string) => (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(v) ? `${v}:00+07:00` : v);
const nowLocal = () => new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 16);

async function renderDevice(ctx: ApiContext, id: string, extra: Record<string, unknown> = {}, status = 200) {
  const db = ctx.services.db;
  const d = await readDevice(db, id);
  const recoveryDossiers = d.state === "locked" && can(actorOf(ctx), "device.recover")
    ? (await listDossiers(db, { kind: "device_recovery", status: ACCEPTED_STATUSES, limit: 100, offset: 0 })).rows.map(presentDossierSummary)
    : [];
  view(ctx, "staff/device.njk", {
    title: `Thiết bị ${d.serial}`, dev: presentDevice(d), events: (await store.events(db, d.id)).map(presentEvent),
    certificates: (await store.certificatesOn(db, d.id)).map(presentDeviceCertificate), recoveries: (await store.recoveries(db, d.id)).map(presentRecovery),
    manualTargets: MANUAL_TARGETS.filter((s) => presentDevice(d).allowedTransitions.includes(s)).map((s) => ({ state: s, label: STATE_LABELS[s] })),
    recoveryDossiers, stateLabels: STATE_LABELS, kindLabels: KIND_LABELS, ...extra,
  }, status);
}

/** Devices ready to hand over (issued, or back from recovery) with the certificates on them, optionally of one dossier. */
async function handoverCandidates(ctx: ApiContext, dossierId?: string) {
  const db = ctx.services.db;
  const out: { device: ReturnType<typeof presentDevice>; certificates: ReturnType<typeof presentDeviceCertificate>[] }[] = [];
  for (const state of ["issued", "recovered"] as DeviceState[]) {
    const r = await store.list(db, { state, limit: 500, offset: 0 });
    for (const d of r.items) {
      if (dossierId && d.holder_dossier_id !== dossierId) continue;
      const certs = (await store.certificatesOn(db, d.id)).filter((c) => c.status === "issued" && (state === "recovered" || !c.handed_over_at));
      if (certs.length) out.push({ device: presentDevice(d), certificates: certs.map(presentDeviceCertificate) });
    }
  }
  return out;
}

async function renderHandoverForm(ctx: ApiContext, values: Record<string, string>, extra: Record<string, unknown> = {}, status = 200) {
  const dossierId = UUID.test(values.dossierId ?? "") ? values.dossierId : undefined;
  const dossier = dossierId ? await mustGetDossier(ctx.services.db, dossierId) : null;
  if (dossier && !values["receiver.name"] && dossier.receiver) {
    values["receiver.name"] = dossier.receiver.fullName;
    values["receiver.position"] = dossier.receiver.position ?? "";
    values["receiver.idNumber"] = dossier.receiver.idNumber;
    values["receiver.agency"] = dossier.agency.name;
  }
  if (dossier && !values["receiver.agency"]) values["receiver.agency"] = dossier.agency.name;
  view(ctx, "staff/handover-form.njk", {
    title: "Lập biên bản bàn giao", candidates: await handoverCandidates(ctx, dossierId), dossier: dossier ? { id: dossier.id, number: dossier.number, agency: dossier.agency.name } : null,
    values, kindLabels: KIND_LABELS, errors: {}, ...extra,
  }, status);
}

function handoverInputOf(f: StaffForm): HandoverInput {
  const items = ([] as string[]).concat(f.fields.item ?? []).map((v) => {
    const [deviceId, certificateSerial] = v.split("|");
    return { deviceId, certificateSerial };
  });
  if (items.length === 0) throw new DomainError("validation_failed", S.deviceRequired, { fields: [{ field: "items", message: S.deviceRequired }] });
  const person = (p: string) => ({ name: field(f, `${p}.name`), position: field(f, `${p}.position`), agency: field(f, `${p}.agency`), ...(field(f, `${p}.idNumber`) ? { idNumber: field(f, `${p}.idNumber`).toUpperCase() } : {}) });
  const receiver = person("receiver");
  const handedAt = new Date(vnLocal(field(f, "handedAt")));
  if (Number.isNaN(handedAt.getTime())) throw new DomainError("validation_failed", "Thời điểm bàn giao không hợp lệ.", { fields: [{ field: "handedAt", message: "Thời điểm bàn giao không hợp lệ." }] });
  return {
    place: { kind: field(f, "place.kind") === "agency" ? "agency" : "provider", address: field(f, "place.address") },
    handedAt: handedAt.toISOString(),
    handingOfficer: { name: field(f, "handingOfficer.name"), position: field(f, "handingOfficer.position") || "Cán bộ", agency: field(f, "handingOfficer.agency") || "Cục Chứng thực số và Bảo mật thông tin" },
    ...(receiver.name ? { receiver: { ...receiver, position: receiver.position || "—", agency: receiver.agency || "—" } } : {}),
    items, ...(field(f, "notes") ? { notes: field(f, "notes") } : {}),
  };
}

export function registerDevicePages(api: ApiRouter) {
  addPage(api, "get", "/quan-tri/thiet-bi", "device.read", async (ctx) => {
    const str = (v: unknown) => (typeof v === "string" ? v.trim().slice(0, 100) : "");
    const filters = { state: str(ctx.query["trang-thai"]), serial: str(ctx.query["so-seri"]) };
    const r = await store.list(ctx.services.db, {
      state: (DEVICE_STATES as readonly string[]).includes(filters.state) ? (filters.state as DeviceState) : undefined, serial: filters.serial || undefined, limit: 200, offset: 0,
    });
    const recent = await handovers.list(ctx.services.db, 20, 0);
    view(ctx, "staff/devices.njk", {
      title: "Thiết bị và bàn giao", items: r.items.map(presentDevice), total: r.total, filters, stateLabels: STATE_LABELS, kindLabels: KIND_LABELS,
      handovers: recent.map((h) => ({ id: h.id, number: h.number, handedAt: h.handed_at, place: h.place, receiver: personOf(h.receiver) })),
      kinds: DEVICE_KINDS, values: {}, errors: {}, csvHeaders: Object.values(CSV_HEADERS),
    });
  });

  addPage(api, "post", "/quan-tri/thiet-bi", "device.create", async (ctx) => {
    const f = readForm(ctx as never);
    try {
      const { body } = validated(CreateDeviceSchema, { body: {
        serial: field(f, "serial"), model: field(f, "model"), manufacturer: field(f, "manufacturer"), tokenLabel: field(f, "tokenLabel") || undefined, kind: field(f, "kind"),
      } });
      const d = await createDevice(ctx.services.db, actorOf(ctx), body as never);
      done(ctx, `/quan-tri/thiet-bi/${d.id}`, "deviceCreated");
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      const r = await store.list(ctx.services.db, { limit: 200, offset: 0 });
      view(ctx, "staff/devices.njk", {
        title: "Thiết bị và bàn giao", items: r.items.map(presentDevice), total: r.total, filters: {}, stateLabels: STATE_LABELS, kindLabels: KIND_LABELS,
        handovers: [], kinds: DEVICE_KINDS, values: f.fields, errors: fieldErrors(err) ?? {}, error: err.message, csvHeaders: Object.values(CSV_HEADERS),
      }, 400);
    }
  });

  // Bulk intake from the supplier's CSV (the same command as POST /api/devices/import): all or
  // nothing by default; "valid-only" takes the good rows and lists the others with their reasons.
  addPage(api, "post", "/quan-tri/thiet-bi/nhap-csv", "device.import", async (ctx) => {
    const f = readForm(ctx as never);
    const file = f.files.csv;
    const list = async () => store.list(ctx.services.db, { limit: 200, offset: 0 });
    const render = async (status: number, extra: Record<string, unknown>) => {
      const r = await list();
      view(ctx, "staff/devices.njk", {
        title: "Thiết bị và bàn giao", items: r.items.map(presentDevice), total: r.total, filters: {}, stateLabels: STATE_LABELS, kindLabels: KIND_LABELS,
        handovers: [], kinds: DEVICE_KINDS, values: {}, errors: {}, csvHeaders: Object.values(CSV_HEADERS), ...extra,
      }, status);
    };
    if (!file || !file.text.trim()) return render(400, { importError: S.deviceCsvRequired });
    try {
      const result = await importDevices(ctx.services.db, actorOf(ctx), file.text, { validOnly: field(f, "validOnly") === "1" });
      await render(result.imported.length ? 201 : 200, {
        importResult: { filename: file.filename, imported: result.imported.map(presentDevice), rejected: [...result.rejected].sort((a, b) => a.row - b.row) },
      });
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      const rows = (err.details as { rows?: { row: number; serial?: string; errors: string[] }[] }).rows;
      if (err.code === "csv_rows_invalid" && rows) await render(400, { importResult: { filename: file.filename, imported: [], rejected: rows } });
      else await render(400, { importError: err.message });
    }
  });

  addPage(api, "get", "/quan-tri/thiet-bi/:id", "device.read", async (ctx) => renderDevice(ctx, idOf(ctx)));

  const deviceAction = (path: string, action: string, notice: keyof typeof S.notices, run: (ctx: ApiContext, id: string, f: StaffForm) => Promise<unknown>) =>
    addPage(api, "post", `/quan-tri/thiet-bi/:id/${path}`, action, async (ctx) => {
      const id = idOf(ctx);
      const f = readForm(ctx as never);
      try {
        await run(ctx, id, f);
        done(ctx, `/quan-tri/thiet-bi/${id}`, notice);
      } catch (err) {
        if (!(err instanceof DomainError) || err.kind === "forbidden") throw err;
        await renderDevice(ctx, id, { error: err.message }, 400);
      }
    });
  deviceAction("trang-thai", "device.transition", "deviceMoved", (ctx, id, f) =>
    {
      const { body } = validated(TransitionSchema, { params: { id }, body: { to: field(f, "to"), reason: field(f, "reason") } });
      return transitionDevice(ctx.services.db, actorOf(ctx), id, body.to, body.reason);
    });
  deviceAction("chung-thu", "device.attach", "attached", (ctx, id, f) =>
    attachCertificate(ctx.services.db, actorOf(ctx), id, field(f, "serial").replace(/[:\s]/g, "").toLowerCase().replace(/^0+(?=.)/, "")));
  deviceAction("khoa", "device.lock", "locked", (ctx, id, f) =>
    {
      const { body } = validated(LockSchema, { params: { id }, body: { failedAttempts: Number(field(f, "failedAttempts")) || 0, reason: field(f, "reason") } });
      return lockDevice(ctx.services.db, actorOf(ctx), id, body);
    });
  deviceAction("khoi-phuc", "device.recover", "recovered", (ctx, id, f) =>
    recoverDevice(ctx.services.db, actorOf(ctx), id, { dossierId: field(f, "dossierId"), method: field(f, "method") === "reinitialize" ? "reinitialize" : "unblock", notes: field(f, "notes") || undefined }));

  // The appointment: the agency and the receiving person are e-mailed the time and place.
  addPage(api, "post", "/quan-tri/ho-so/:id/hen-ban-giao", "handover.create", async (ctx) => {
    const id = idOf(ctx, "hồ sơ");
    const f = readForm(ctx as never);
    const { body } = validated(ScheduleHandoverSchema, {
      body: { dossierId: id, handoverAt: vnLocal(field(f, "handoverAt")), place: field(f, "place"), note: field(f, "note") || undefined },
    });
    await scheduleHandover(ctx.services.db, actorOf(ctx), body);
    done(ctx, `/quan-tri/ho-so/${id}`, "handoverScheduled");
  });

  addPage(api, "get", "/quan-tri/ban-giao/moi", "handover.create", async (ctx) => {
    const values: Record<string, string> = {
      dossierId: typeof ctx.query["ho-so"] === "string" ? ctx.query["ho-so"] : "", handedAt: nowLocal(), "place.kind": "provider",
      "place.address": "Trụ sở Cục Chứng thực số và Bảo mật thông tin, Hà Nội", "handingOfficer.name": ctx.state.fullName ?? "",
      "handingOfficer.agency": "Cục Chứng thực số và Bảo mật thông tin",
    };
    await renderHandoverForm(ctx, values);
  });

  addPage(api, "post", "/quan-tri/ban-giao/moi", "handover.create", async (ctx) => {
    const f = readForm(ctx as never);
    try {
      const { body } = validated(CreateHandoverSchema, { body: handoverInputOf(f) });
      const v = await createHandover(ctx.services.db, actorOf(ctx), body);
      done(ctx, `/quan-tri/ban-giao/${v.handover.id}`, "handedOver");
    } catch (err) {
      if (!(err instanceof DomainError) || err.kind === "forbidden") throw err;
      const values = Object.fromEntries(Object.entries(f.fields).map(([k, x]) => [k, Array.isArray(x) ? x.join(",") : x]));
      await renderHandoverForm(ctx, values, { error: err.message, errors: fieldErrors(err) ?? {} }, 400);
    }
  });

  addPage(api, "get", "/quan-tri/ban-giao/:id", "handover.read", async (ctx) => {
    const h = presentHandover(await readHandover(ctx.services.db, idOf(ctx, "biên bản bàn giao")), actorOf(ctx));
    view(ctx, "staff/handover.njk", { title: `Biên bản bàn giao ${h.number}`, h, kindLabels: KIND_LABELS });
  });

  addPage(api, "get", "/quan-tri/ban-giao/:id/bien-ban.pdf", "handover.read", async (ctx) => {
    const db = ctx.services.db;
    const v = await readHandover(db, idOf(ctx, "biên bản bàn giao"));
    const row = await handovers.get(db, v.handover.id);
    let pdf: Buffer | null = row?.record_pdf ? Buffer.from(row.record_pdf) : null;
    if (!pdf) {
      const officer = personOf(v.handover.handing_officer);
      const receiver = personOf(v.handover.receiver);
      const dossier = v.handover.dossier_id ? await mustGetDossier(db, v.handover.dossier_id) : null;
      pdf = await renderHandoverRecord({
        place: v.handover.place, time: v.handover.handed_at, number: v.handover.number,
        handingOfficer: { name: officer.name, position: officer.position, unit: officer.agency, idNumber: officer.idNumber ?? null },
        receiver: { name: receiver.name, position: receiver.position, agency: receiver.agency, idNumber: receiver.idNumber ?? null },
        rows: v.items.map((i) => ({
          subscriber: i.subscriber_name, deviceType: `${KIND_LABELS[i.device.kind]} ${i.device.model}`.trim(), deviceSerial: i.device.serial,
          certificateSerial: i.certificate_serial, validFrom: i.certificate.not_before ?? "", validTo: i.certificate.not_after ?? "", notes: i.notes,
        })),
        dossier: dossier ? { number: dossier.number, agency: { name: dossier.agency.name } } : null,
      });
      await handovers.setRecord(db, v.handover.id, pdf, crypto.createHash("sha256").update(pdf).digest("hex"));
    }
    sendFile(ctx, pdf!, "application/pdf", `bien-ban-ban-giao-${v.handover.number}.pdf`, ctx.query.tai !== "1");
  });
}
