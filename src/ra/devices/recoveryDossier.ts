import type { Db } from "../../store/db";
import { getDossier } from "../../store/dossiers";

/**
 * What recovery needs to know of a Mẫu 06 dossier (đề nghị khôi phục thiết bị lưu khóa bí mật):
 * its kind, its review status and the serials of the devices it names. The dossier store belongs to
 * the dossiers capability; this adapter is the one place where devices read it.
 */
export interface RecoveryDossier {
  id: string;
  number: string;
  kind: string;
  status: string;
  deviceSerials: string[];
  holderName?: string;
}

export const RECOVERY_KIND = "device_recovery";
/** Accepted by review (and anything after acceptance). */
export const ACCEPTED_STATUSES = ["accepted", "issuing", "issued", "handed_over", "published", "completed"];

export async function findRecoveryDossier(db: Db, id: string): Promise<RecoveryDossier | undefined> {
  const d = await getDossier(db, id);
  if (!d) return undefined;
  const any = d as unknown as { devices?: { serial: string }[]; holder?: { fullName?: string } };
  return {
    id: d.id,
    number: d.number,
    kind: d.kind,
    status: d.status,
    deviceSerials: d.kind === RECOVERY_KIND ? (any.devices ?? []).map((x) => x.serial.trim()) : [],
    holderName: any.holder?.fullName,
  };
}
