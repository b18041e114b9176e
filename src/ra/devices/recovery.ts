import crypto from "node:crypto";
import type { Knex } from "knex";
import { nowIso } from "../../store/db";
import * as store from "../../store/devices";
import * as audit from "../../audit/audit";
import type { Actor } from "../../auth/actor";
import { DomainError } from "../../errors";
import { messages } from "../../messages";
import { moveDevice, mustGetDevice, forbiddenTransition } from "./moveDevice";
import { canTransition, STATE_LABELS } from "./lifecycle";
import { ACCEPTED_STATUSES, findRecoveryDossier, RECOVERY_KIND } from "./recoveryDossier";
import { settleRecoveryDossier } from "../dossiers/fulfilment";

/**
 * Records that the device locked after wrong PINs. SoftHSM2 (and some tokens) never lock, they only
 * raise "user PIN count low", so the lock is OUR record, reported by the holder or counted at the
 * station (softhsm2 recipe).
 */
export async function lockDevice(db: Knex, actor: Actor, id: string, input: { failedAttempts: number; reason: string }): Promise<store.DeviceRow> {
  return db.transaction(async (trx) => {
    const d = await mustGetDevice(trx, id);
    return moveDevice(trx, actor, d, "locked", input.reason, { failedAttempts: input.failedAttempts }, {
      wrong_pin_count: d.wrong_pin_count + input.failedAttempts,
      lock_count: d.lock_count + 1,
      locked_at: nowIso(),
    });
  });
}

export interface RecoverInput {
  dossierId: string;
  method: "unblock" | "reinitialize";
  notes?: string;
  /** Check every rule and write nothing: the station asks before it touches the token. */
  dryRun?: boolean;
}

/**
 * Khôi phục thiết bị lưu khóa bí mật (Mẫu 06): only for an accepted device_recovery dossier that names
 * this device, once per dossier, and only for a locked device. The station unblocks the user PIN with
 * the SO PIN (C_InitPIN), or re-initialises the token when policy says the keys must be destroyed;
 * this records it and moves the device locked → recovered.
 */
export async function recoverDevice(db: Knex, actor: Actor, id: string, input: RecoverInput) {
  return db.transaction(async (trx) => {
    const d = await mustGetDevice(trx, id);
    const dossier = await findRecoveryDossier(trx, input.dossierId);
    if (!dossier) {
      throw new DomainError("recovery_dossier_not_found", messages.devices.recoveryDossierNotFound(input.dossierId), { dossierId: input.dossierId }, "not_found");
    }
    if (dossier.kind !== RECOVERY_KIND) {
      throw new DomainError("recovery_dossier_wrong_kind", messages.devices.recoveryDossierWrongKind, { kind: dossier.kind }, "conflict");
    }
    if (!ACCEPTED_STATUSES.includes(dossier.status)) {
      throw new DomainError("recovery_dossier_not_accepted", messages.devices.recoveryDossierNotAccepted(dossier.status), { status: dossier.status }, "conflict");
    }
    if (!dossier.deviceSerials.includes(d.serial)) {
      throw new DomainError("recovery_dossier_other_device", messages.devices.recoveryDossierOtherDevice(d.serial), { serial: d.serial }, "conflict");
    }
    // Once per device and dossier (a Mẫu 06 dossier may list several devices).
    if (await store.recoveryByDossier(trx, dossier.id, d.id)) {
      throw new DomainError("recovery_dossier_used", messages.devices.recoveryDossierUsed, { dossierId: dossier.id }, "conflict");
    }
    if (d.state !== "locked") {
      if (!canTransition(d.state, "recovered")) {
        throw new DomainError("device_not_locked", messages.devices.notLocked(STATE_LABELS[d.state]), { state: d.state, ...forbiddenTransition(d.state, "recovered").details }, "conflict");
      }
    }
    const method = input.method;
    if (input.dryRun) return { device: d, recovery: undefined, method };
    const recovery: store.RecoveryRow = {
      id: crypto.randomUUID(), device_id: d.id, dossier_id: dossier.id, method, keys_destroyed: method === "reinitialize",
      performed_at: nowIso(), performed_by: actor.username, notes: input.notes ?? null,
    };
    await store.insertRecovery(trx, recovery);
    await audit.append(trx, {
      actor, action: "device.recovered", objectType: "device", objectId: d.id,
      details: { serial: d.serial, dossierId: dossier.id, method, recoveryId: recovery.id },
    });
    const device = await moveDevice(trx, actor, d, "recovered", `Khôi phục theo hồ sơ ${dossier.id}`, { dossierId: dossier.id, method }, {
      wrong_pin_count: 0, locked_at: null,
    });
    // Every device the dossier lists recovered: the dossier → completed.
    await settleRecoveryDossier(trx, actor, dossier.id, dossier.deviceSerials);
    return { device, recovery, method };
  });
}

/** A real token locks after this many wrong user PINs in a row; our record does the same. */
export const WRONG_PIN_LIMIT = 5;

/**
 * Wrong PINs counted at the station. The device locks (our record) when the token says it locked or
 * when the count reaches the limit, since SoftHSM2 never locks by itself.
 */
export async function recordPinFailures(db: Knex, actor: Actor, id: string, input: { attempts: number; tokenLocked: boolean }): Promise<store.DeviceRow> {
  return db.transaction(async (trx) => {
    const d = await mustGetDevice(trx, id);
    const count = d.wrong_pin_count + input.attempts;
    await audit.append(trx, {
      actor, action: "device.pin_failures", objectType: "device", objectId: d.id, details: { serial: d.serial, attempts: input.attempts, count },
    });
    if ((input.tokenLocked || count >= WRONG_PIN_LIMIT) && d.state !== "locked" && canTransition(d.state, "locked")) {
      return moveDevice(trx, actor, d, "locked", messages.devices.lockedByPinFailures(count), { wrongPinCount: count, tokenLocked: input.tokenLocked }, {
        wrong_pin_count: count, lock_count: d.lock_count + 1, locked_at: nowIso(),
      });
    }
    await store.update(trx, d.id, { wrong_pin_count: count, updated_at: nowIso() });
    return (await store.get(trx, d.id))!;
  });
}
