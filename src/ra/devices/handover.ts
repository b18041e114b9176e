import crypto from "node:crypto";
import type { Knex } from "knex";
import type { Db } from "../../store/db";
import { fromJson, nowIso, toJson } from "../../store/db";
import * as store from "../../store/devices";
import * as handovers from "../../store/handovers";
import * as audit from "../../audit/audit";
import { schedulePublish } from "../../directory/schedule";
import { renderHandoverRecord } from "../../documents/handoverRecord";
import { getDossier } from "../../store/dossiers";
import { transitionDossier } from "../dossiers/transition";
import type { Actor } from "../../auth/actor";
import { DomainError } from "../../errors";
import { messages } from "../../messages";
import { moveDevice, mustGetDevice } from "./moveDevice";
import { certificateNotFound } from "./deviceCertificates";
import { KIND_LABELS, STATE_LABELS } from "./lifecycle";
import { vnDate } from "./returnDeadline";

/**
 * Bàn giao thiết bị lưu khóa bí mật (design.md §1 step 3): one or more devices, each with the
 * certificate on it, handed to the agency's receiving person, at the provider's office or the
 * agency's, with a record (biên bản, Mẫu 07) signed by both sides. Handover is what step 4 waits for:
 * the certificates are published after it.
 */
export interface Person {
  name: string;
  position: string;
  agency: string;
  idNumber?: string;
}

export interface HandoverInput {
  place: { kind: "provider" | "agency"; address: string };
  handedAt: string;
  handingOfficer: Person;
  receiver?: Person;
  items: { deviceId: string; certificateSerial: string; notes?: string }[];
  notes?: string;
}

export interface HandoverView {
  handover: handovers.HandoverRow;
  items: (handovers.HandoverItemRow & { device: store.DeviceRow; certificate: store.DeviceCertificateRow })[];
  dossiersHandedOver: string[];
}

/** Devices in these states may be handed over: fresh from issuance, or back from recovery. */
const HANDABLE = ["issued", "recovered"];

export async function createHandover(db: Knex, actor: Actor, input: HandoverInput): Promise<HandoverView> {
  return db.transaction(async (trx) => {
    const seen = new Set<string>();
    const rows: HandoverView["items"] = [];
    for (const [i, it] of input.items.entries()) {
      const device = await mustGetDevice(trx, it.deviceId);
      if (seen.has(device.id)) throw new DomainError("handover_duplicate_device", messages.devices.handoverDuplicateDevice(device.serial), { deviceId: device.id });
      seen.add(device.id);
      const serial = it.certificateSerial.toLowerCase().replace(/^0+(?=.)/, "");
      const cert = await store.certificate(trx, serial);
      if (!cert) throw certificateNotFound(serial);
      if (cert.device_id !== device.id) {
        throw new DomainError("handover_certificate_not_on_device", messages.devices.handoverCertificateNotOnDevice(serial, device.serial), { serial, deviceId: device.id }, "conflict");
      }
      if (cert.status !== "issued") throw new DomainError("certificate_not_issued", messages.devices.certificateNotIssued(serial), { serial }, "conflict");
      if (!HANDABLE.includes(device.state)) {
        throw new DomainError("handover_device_not_ready", messages.devices.handoverDeviceNotIssued(device.serial, STATE_LABELS[device.state]), { deviceId: device.id, state: device.state }, "conflict");
      }
      if (device.state === "issued" && cert.handed_over_at) {
        throw new DomainError("certificate_handed_over", messages.devices.handoverCertificateHandedOver(serial), { serial }, "conflict");
      }
      rows.push({
        handover_id: "", position: i + 1, device_id: device.id, certificate_serial: serial,
        subscriber_name: cert.subject_cn ?? device.holder_name ?? "", notes: it.notes ?? null, device, certificate: cert,
      });
    }

    // The receiving person defaults to the one the (single) dossier named.
    const dossierIds = [...new Set(rows.map((r) => r.certificate.dossier_id).filter((x): x is string => !!x))];
    let receiver = input.receiver;
    if (!receiver && dossierIds.length === 1) {
      const d = (await getDossier(trx, dossierIds[0])) as unknown as { receiver?: { fullName: string; position?: string; idNumber: string }; agency: { name: string } } | undefined;
      if (d?.receiver) receiver = { name: d.receiver.fullName, position: d.receiver.position ?? "", agency: d.agency.name, idNumber: d.receiver.idNumber };
    }
    if (!receiver) throw new DomainError("handover_receiver_required", messages.devices.handoverReceiverRequired, {});

    const at = nowIso();
    const handedAt = new Date(input.handedAt).toISOString();
    const year = Number(vnDate(new Date(handedAt)).slice(0, 4));
    const id = crypto.randomUUID();
    const seq = await handovers.nextSequence(trx, year);
    const number = handovers.formatNumber(seq, year);
    const handover: handovers.HandoverRow = {
      id, number, year, seq, place_kind: input.place.kind, place: input.place.address, handed_at: handedAt,
      handing_officer: toJson(input.handingOfficer), receiver: toJson(receiver), dossier_id: dossierIds.length === 1 ? dossierIds[0] : null,
      notes: input.notes ?? null, record_sha256: null, record_pdf: null, created_at: at, created_by: actor.username,
    };
    await handovers.insert(trx, handover);
    await handovers.insertItems(trx, rows.map(({ device: _d, certificate: _c, ...r }) => ({ ...r, handover_id: id })));

    for (const r of rows) {
      await trx("certificates").where({ serial: r.certificate_serial }).update({ handed_over_at: handedAt });
      r.device = await moveDevice(trx, actor, r.device, "handed_over", `Bàn giao theo biên bản số ${number}`, { handoverId: id, certificate: r.certificate_serial });
      await schedulePublish(trx, r.certificate_serial);
    }

    // A dossier moves to handed_over when every certificate issued for it has been handed over.
    const dossiersHandedOver: string[] = [];
    for (const dossierId of dossierIds) {
      const pending = await trx("certificates").where({ dossier_id: dossierId, status: "issued" }).whereNull("handed_over_at").count({ n: "*" });
      const d = await getDossier(trx, dossierId);
      if (d && Number(pending[0].n) === 0 && d.status === "issued") {
        await transitionDossier(trx, actor, dossierId, { action: "handed_over", to: "handed_over", note: `Biên bản bàn giao số ${number}`, auditDetails: { handoverId: id } });
        dossiersHandedOver.push(dossierId);
      }
    }
    // The biên bản (Mẫu 07): rendered once, stored with its SHA-256; the same handover always gives
    // the same bytes (the engine dates the PDF at the handover time).
    const dossier = dossierIds.length === 1 ? await getDossier(trx, dossierIds[0]) : undefined;
    const pdf = await renderHandoverRecord(handoverRecordInput(handover, rows, dossier ? { number: dossier.number, agency: { name: dossier.agency.name } } : null));
    const sha256 = crypto.createHash("sha256").update(pdf).digest("hex");
    await handovers.setRecord(trx, id, pdf, sha256);
    Object.assign(handover, { record_pdf: pdf, record_sha256: sha256 });
    await audit.append(trx, {
      actor, action: "handover.created", objectType: "handover", objectId: id,
      details: { number, devices: rows.map((r) => r.device.serial), certificates: rows.map((r) => r.certificate_serial), dossiers: dossierIds, placeKind: input.place.kind, recordSha256: sha256 },
    });
    return { handover, items: rows.map((r) => ({ ...r, handover_id: id })), dossiersHandedOver };
  });
}

export async function readHandover(db: Db, id: string): Promise<HandoverView> {
  const handover = await handovers.get(db, id);
  if (!handover) throw new DomainError("handover_not_found", messages.devices.handoverNotFound(id), { id }, "not_found");
  const items = [];
  for (const it of await handovers.items(db, id)) {
    items.push({ ...it, device: (await store.get(db, it.device_id))!, certificate: (await store.certificate(db, it.certificate_serial))! });
  }
  return { handover, items, dossiersHandedOver: [] };
}

export const personOf = (json: string) => fromJson<Person>(json);

type Row = handovers.HandoverItemRow & { device: store.DeviceRow; certificate: store.DeviceCertificateRow };

function handoverRecordInput(h: handovers.HandoverRow, rows: Row[], dossier: { number: string; agency: { name: string } } | null) {
  const officer = personOf(h.handing_officer);
  const receiver = personOf(h.receiver);
  return {
    place: h.place,
    time: h.handed_at,
    number: h.number,
    handingOfficer: { name: officer.name, position: officer.position, unit: officer.agency, idNumber: officer.idNumber ?? null },
    receiver: { name: receiver.name, position: receiver.position, agency: receiver.agency, idNumber: receiver.idNumber ?? null },
    rows: rows.map((r) => ({
      subscriber: r.subscriber_name,
      deviceType: `${KIND_LABELS[r.device.kind]} ${r.device.model}`.trim(),
      deviceSerial: r.device.serial,
      certificateSerial: r.certificate_serial.toUpperCase(),
      validFrom: r.certificate.not_before ?? "",
      validTo: r.certificate.not_after ?? "",
      notes: r.notes,
    })),
    dossier,
  };
}

/** The stored record; rendered again (same bytes) only if it was never stored. */
export async function handoverRecordPdf(db: Knex, id: string): Promise<{ pdf: Buffer; sha256: string; number: string }> {
  const v = await readHandover(db, id);
  if (v.handover.record_pdf && v.handover.record_sha256) {
    return { pdf: Buffer.from(v.handover.record_pdf), sha256: v.handover.record_sha256, number: v.handover.number };
  }
  const d = v.handover.dossier_id ? await getDossier(db, v.handover.dossier_id) : undefined;
  const pdf = await renderHandoverRecord(handoverRecordInput(v.handover, v.items, d ? { number: d.number, agency: { name: d.agency.name } } : null));
  const sha256 = crypto.createHash("sha256").update(pdf).digest("hex");
  await handovers.setRecord(db, id, pdf, sha256);
  return { pdf, sha256, number: v.handover.number };
}
