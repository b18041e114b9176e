import crypto from "node:crypto";
import type { Knex } from "knex";
import { parse } from "csv-parse/sync";
import type { Db } from "../../store/db";
import { nowIso, toJson } from "../../store/db";
import * as store from "../../store/devices";
import * as audit from "../../audit/audit";
import type { Actor } from "../../auth/actor";
import { DomainError } from "../../errors";
import { messages } from "../../messages";
import { DEVICE_KINDS, MANUAL_TARGETS, STATE_LABELS, canTransition, type DeviceKind, type DeviceState } from "./lifecycle";
import { forbiddenTransition, moveDevice, mustGetDevice } from "./moveDevice";
import { refreshReturnDeadline } from "./refreshReturnDeadline";

export interface NewDevice {
  serial: string;
  model: string;
  manufacturer: string;
  tokenLabel?: string;
  kind: DeviceKind;
  notes?: string;
}

function deviceRow(actor: Actor, d: NewDevice, at: string): store.DeviceRow {
  return {
    id: crypto.randomUUID(), serial: d.serial, model: d.model, manufacturer: d.manufacturer, token_label: d.tokenLabel ?? null,
    kind: d.kind, state: "in_stock", holder_dossier_id: null, holder_subscriber_index: null, holder_name: null,
    wrong_pin_count: 0, lock_count: 0, locked_at: null, return_deadline: null, return_reason_at: null, notes: d.notes ?? null,
    created_at: at, created_by: actor.id, updated_at: at,
  };
}

async function insertDevice(trx: Db, actor: Actor, d: NewDevice, at: string, source: string): Promise<store.DeviceRow> {
  const row = deviceRow(actor, d, at);
  await store.insert(trx, row);
  await store.addEvent(trx, {
    device_id: row.id, at, actor: actor.username, from_state: null, to_state: "in_stock", reason: source, details: toJson({}),
  });
  await audit.append(trx, {
    actor, action: "device.created", objectType: "device", objectId: row.id,
    details: { serial: row.serial, model: row.model, manufacturer: row.manufacturer, kind: row.kind, source },
  });
  return row;
}

/** Adds one device to the inventory, in stock. */
export async function createDevice(db: Knex, actor: Actor, d: NewDevice): Promise<store.DeviceRow> {
  return db.transaction(async (trx) => {
    if (await store.getBySerial(trx, d.serial)) {
      throw new DomainError("device_serial_taken", messages.devices.serialTaken(d.serial), { serial: d.serial }, "conflict");
    }
    return insertDevice(trx, actor, d, nowIso(), "Nhập thiết bị vào kho");
  });
}

/** Vietnamese headers of the import file, and the field each one fills. */
export const CSV_HEADERS = {
  serial: "Số sê-ri",
  model: "Mẫu thiết bị",
  manufacturer: "Nhà sản xuất",
  tokenLabel: "Nhãn token",
  kind: "Loại",
} as const;
const REQUIRED: (keyof typeof CSV_HEADERS)[] = ["serial", "model", "manufacturer", "kind"];
const MAX: Record<keyof typeof CSV_HEADERS, number> = { serial: 100, model: 200, manufacturer: 200, tokenLabel: 32, kind: 20 };

const fold = (s: string) => s.normalize("NFC").trim().toLowerCase().replace(/\s+/g, " ");
const KIND_WORDS: Record<string, DeviceKind> = {
  "usb token": "usb_token", usb_token: "usb_token", usb: "usb_token", token: "usb_token",
  hsm: "hsm", sim: "sim", "sim pki": "sim",
};
export const parseKind = (v: string): DeviceKind | undefined =>
  (DEVICE_KINDS as readonly string[]).includes(v) ? (v as DeviceKind) : KIND_WORDS[fold(v)];

export interface RowError {
  /** Line number in the file (the header is line 1). */
  row: number;
  serial?: string;
  errors: string[];
}
export interface ImportResult {
  imported: store.DeviceRow[];
  rejected: RowError[];
}

/**
 * Bulk import from a CSV file with Vietnamese headers (comma or semicolon separated, UTF-8, BOM
 * allowed). Every row is checked first; by default one bad row rejects the whole file (nothing is
 * half-imported), with the errors of each row. validOnly imports the good rows and reports the rest.
 */
export async function importDevices(db: Knex, actor: Actor, csv: string, opts: { validOnly?: boolean } = {}): Promise<ImportResult> {
  let records: string[][];
  try {
    records = parse(csv, { bom: true, delimiter: [",", ";"], skip_empty_lines: true, relax_column_count: true, trim: true });
  } catch (err) {
    throw new DomainError("csv_unreadable", messages.devices.csvUnreadable((err as Error).message), {});
  }
  if (records.length < 2) throw new DomainError("csv_empty", messages.devices.csvEmpty, {});
  const header = records[0].map(fold);
  const col = {} as Record<keyof typeof CSV_HEADERS, number>;
  for (const [field, title] of Object.entries(CSV_HEADERS) as [keyof typeof CSV_HEADERS, string][]) {
    col[field] = header.indexOf(fold(title));
    if (col[field] < 0 && REQUIRED.includes(field)) {
      throw new DomainError("csv_missing_header", messages.devices.csvMissingHeader(title), { header: title });
    }
  }
  const good: { row: number; device: NewDevice }[] = [];
  const rejected: RowError[] = [];
  const seen = new Map<string, number>();
  records.slice(1).forEach((rec, i) => {
    const row = i + 2;
    const cell = (f: keyof typeof CSV_HEADERS) => (col[f] >= 0 ? (rec[col[f]] ?? "").normalize("NFC").trim() : "");
    const errors: string[] = [];
    for (const f of Object.keys(CSV_HEADERS) as (keyof typeof CSV_HEADERS)[]) {
      if (REQUIRED.includes(f) && !cell(f)) errors.push(messages.devices.csvRequired(CSV_HEADERS[f]));
      if (cell(f).length > MAX[f]) errors.push(messages.devices.csvTooLong(CSV_HEADERS[f], MAX[f]));
    }
    const kind = cell("kind") ? parseKind(cell("kind")) : undefined;
    if (cell("kind") && !kind) errors.push(messages.devices.csvBadKind(cell("kind")));
    const serial = cell("serial");
    if (serial && seen.has(serial)) errors.push(messages.devices.csvDuplicateInFile(serial, seen.get(serial)!));
    if (serial && !seen.has(serial)) seen.set(serial, row);
    if (errors.length) rejected.push({ row, serial: serial || undefined, errors });
    else good.push({ row, device: { serial, model: cell("model"), manufacturer: cell("manufacturer"), tokenLabel: cell("tokenLabel") || undefined, kind: kind! } });
  });

  return db.transaction(async (trx) => {
    const existing = await store.serialsExisting(trx, good.map((g) => g.device.serial));
    const fresh = good.filter((g) => {
      if (!existing.has(g.device.serial)) return true;
      rejected.push({ row: g.row, serial: g.device.serial, errors: [messages.devices.serialTaken(g.device.serial)] });
      return false;
    });
    rejected.sort((a, b) => a.row - b.row);
    if (rejected.length && !opts.validOnly) {
      throw new DomainError("csv_rows_invalid", messages.devices.csvRejected, { rows: rejected });
    }
    const at = nowIso();
    const imported: store.DeviceRow[] = [];
    for (const g of fresh) imported.push(await insertDevice(trx, actor, g.device, at, "Nhập thiết bị từ tệp CSV"));
    await audit.append(trx, {
      actor, action: "device.imported", objectType: "device", objectId: "csv",
      details: { imported: imported.length, rejected: rejected.length },
    });
    return { imported, rejected };
  });
}

/** An officer's explicit move along the lifecycle (return, loss, damage, retirement…). */
export async function transitionDevice(db: Knex, actor: Actor, id: string, to: DeviceState, reason: string): Promise<store.DeviceRow> {
  return db.transaction(async (trx) => {
    const d = await mustGetDevice(trx, id);
    if (!canTransition(d.state, to)) throw forbiddenTransition(d.state, to);
    if (!MANUAL_TARGETS.includes(to)) {
      throw new DomainError("device_transition_needs_command", messages.devices.transitionNeedsCommand(STATE_LABELS[to]), { from: d.state, to }, "conflict");
    }
    const patch: Partial<store.DeviceRow> = {};
    // Back in stock means wiped and unassigned: the holder and the PIN record start afresh.
    if (to === "in_stock") Object.assign(patch, { holder_dossier_id: null, holder_subscriber_index: null, holder_name: null, wrong_pin_count: 0, locked_at: null });
    if (to === "returned") Object.assign(patch, { return_deadline: null });
    const moved = await moveDevice(trx, actor, d, to, reason, {}, patch);
    return to === "returned" ? moved : refreshReturnDeadline(trx, moved);
  });
}

/** Reads a device with its return deadline brought up to date. */
export async function readDevice(db: Knex, id: string): Promise<store.DeviceRow> {
  return db.transaction(async (trx) => refreshReturnDeadline(trx, await mustGetDevice(trx, id)));
}
