import type { Db } from "./db";
import { fromJson } from "./db";
import type { DeviceKind, DeviceState } from "../ra/devices/lifecycle";

export interface DeviceRow {
  id: string;
  serial: string;
  model: string;
  manufacturer: string;
  token_label: string | null;
  kind: DeviceKind;
  state: DeviceState;
  holder_dossier_id: string | null;
  holder_subscriber_index: number | null;
  holder_name: string | null;
  wrong_pin_count: number;
  lock_count: number;
  locked_at: string | null;
  return_deadline: string | null;
  return_reason_at: string | null;
  notes: string | null;
  created_at: string;
  created_by: string | null;
  updated_at: string;
}

export interface DeviceEventRow {
  id: number;
  device_id: string;
  at: string;
  actor: string;
  from_state: DeviceState | null;
  to_state: DeviceState;
  reason: string;
  details: string;
}

export interface RecoveryRow {
  id: string;
  device_id: string;
  dossier_id: string;
  method: "unblock" | "reinitialize";
  keys_destroyed: boolean | number;
  performed_at: string;
  performed_by: string;
  notes: string | null;
}

export const get = (db: Db, id: string): Promise<DeviceRow | undefined> => db("devices").where({ id }).first();
export const getBySerial = (db: Db, serial: string): Promise<DeviceRow | undefined> => db("devices").where({ serial }).first();
export const serialsExisting = async (db: Db, serials: string[]): Promise<Set<string>> => {
  const found = new Set<string>();
  for (let i = 0; i < serials.length; i += 500) {
    const rows: { serial: string }[] = await db("devices").select("serial").whereIn("serial", serials.slice(i, i + 500));
    rows.forEach((r) => found.add(r.serial));
  }
  return found;
};

export const insert = (db: Db, row: DeviceRow) => db("devices").insert(row);
export const update = (db: Db, id: string, patch: Partial<DeviceRow>) => db("devices").where({ id }).update(patch);

export interface DeviceFilter {
  state?: DeviceState;
  kind?: DeviceKind;
  serial?: string;
  overdue?: boolean;
  now?: string;
  limit: number;
  offset: number;
}

export async function list(db: Db, f: DeviceFilter): Promise<{ items: DeviceRow[]; total: number }> {
  const base = db("devices").modify((q) => {
    if (f.state) q.where("state", f.state);
    if (f.kind) q.where("kind", f.kind);
    if (f.serial) q.where("serial", f.serial);
    if (f.overdue) q.whereNotNull("return_deadline").where("return_deadline", "<", f.now ?? new Date().toISOString());
  });
  const [{ n }] = await base.clone().count({ n: "*" });
  const items = await base.clone().orderBy("serial").limit(f.limit).offset(f.offset);
  return { items, total: Number(n) };
}

export const addEvent = (db: Db, e: Omit<DeviceEventRow, "id">) => db("device_events").insert(e);
export const events = (db: Db, deviceId: string): Promise<DeviceEventRow[]> =>
  db("device_events").where({ device_id: deviceId }).orderBy("id");
export const eventDetails = (e: DeviceEventRow) => fromJson<Record<string, unknown>>(e.details);

export const insertRecovery = (db: Db, r: RecoveryRow) => db("device_recoveries").insert(r);
export const recoveries = (db: Db, deviceId: string): Promise<RecoveryRow[]> =>
  db("device_recoveries").where({ device_id: deviceId }).orderBy("performed_at");
export const recoveryByDossier = (db: Db, dossierId: string, deviceId?: string): Promise<RecoveryRow | undefined> =>
  db("device_recoveries").where({ dossier_id: dossierId, ...(deviceId ? { device_id: deviceId } : {}) }).first();

/** The certificates table as this capability reads it (columns of migrations/…_certificates.ts). */
export interface DeviceCertificateRow {
  serial: string;
  ca_name: string;
  status: string;
  dossier_id: string | null;
  subscriber_index: number | null;
  subject_dn: string | null;
  subject_cn: string | null;
  subject_o: string | null;
  not_before: string | null;
  not_after: string | null;
  revoked_at: string | null;
  handed_over_at: string | null;
  published_at: string | null;
  device_id: string | null;
}
const CERT_COLUMNS = [
  "serial", "ca_name", "status", "dossier_id", "subscriber_index", "subject_dn", "subject_cn", "subject_o",
  "not_before", "not_after", "revoked_at", "handed_over_at", "published_at", "device_id",
];
export const certificate = (db: Db, serial: string): Promise<DeviceCertificateRow | undefined> =>
  db("certificates").select(CERT_COLUMNS).where({ serial }).first();
export const certificatesOn = (db: Db, deviceId: string): Promise<DeviceCertificateRow[]> =>
  db("certificates").select(CERT_COLUMNS).where({ device_id: deviceId }).orderBy("created_at");
export const attachCertificate = (db: Db, serial: string, deviceId: string) =>
  db("certificates").where({ serial }).update({ device_id: deviceId });
