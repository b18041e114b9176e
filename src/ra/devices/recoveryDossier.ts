import type { Db } from "../../store/db";
import { fromJson } from "../../store/db";

/**
 * What recovery needs to know of a Mẫu 06 dossier (đề nghị khôi phục thiết bị lưu khóa bí mật):
 * its kind, its review status and the serials of the devices it names. The dossier store belongs to
 * the dossiers capability; this adapter is the one place that reads it.
 */
export interface RecoveryDossier {
  id: string;
  kind: string;
  status: string;
  deviceSerials: string[];
  /** The policy's answer: must the keys be destroyed (re-initialise) rather than unblocked? */
  destroyKeys: boolean;
}

export const RECOVERY_KIND = "device_recovery";
export const ACCEPTED_STATUSES = ["accepted", "issuing", "issued", "handed_over", "published"];

export async function findRecoveryDossier(db: Db, id: string): Promise<RecoveryDossier | undefined> {
  const hasTable = await db.schema.hasTable("dossiers");
  if (!hasTable) return undefined;
  const row = await db("dossiers").where({ id }).first();
  if (!row) return undefined;
  const content = fromJson<Record<string, any>>(row.content ?? row.data ?? row.payload ?? "{}") ?? {};
  return {
    id: row.id,
    kind: row.kind,
    status: row.status,
    deviceSerials: collectSerials(content),
    destroyKeys: Boolean(content.destroyKeys ?? content.huyKhoa ?? false),
  };
}

/** Device serials named anywhere in the dossier's content (devices[].serial, deviceSerial…). */
function collectSerials(content: Record<string, any>): string[] {
  const out = new Set<string>();
  const visit = (v: any, key = "") => {
    if (Array.isArray(v)) v.forEach((x) => visit(x, key));
    else if (v && typeof v === "object") for (const [k, x] of Object.entries(v)) visit(x, k);
    else if (typeof v === "string" && /serial|sê-ri|seri/i.test(key)) out.add(v.trim());
  };
  visit(content);
  return [...out];
}
