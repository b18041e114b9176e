import type { Knex } from "knex";
import * as store from "../../store/devices";
import * as audit from "../../audit/audit";
import type { Actor } from "../../auth/actor";
import { DomainError } from "../../errors";
import { messages } from "../../messages";
import { moveDevice, mustGetDevice } from "./moveDevice";
import { STATE_LABELS } from "./lifecycle";

export const certificateNotFound = (serial: string) =>
  new DomainError("certificate_not_found", messages.devices.certificateNotFound(serial), { serial }, "not_found");

/**
 * Registers that an issued certificate (and its key) sits on the device: the station calls this
 * after writing the certificate onto the token. The first certificate moves the device from
 * initialized to issued; the device's holder is the certificate's subscriber.
 */
export async function attachCertificate(db: Knex, actor: Actor, deviceId: string, serial: string): Promise<store.DeviceRow> {
  return db.transaction(async (trx) => {
    const d = await mustGetDevice(trx, deviceId);
    const c = await store.certificate(trx, serial);
    if (!c) throw certificateNotFound(serial);
    if (c.status !== "issued") throw new DomainError("certificate_not_issued", messages.devices.certificateNotIssued(serial), { serial, status: c.status }, "conflict");
    if (c.device_id && c.device_id !== d.id) {
      throw new DomainError("certificate_on_other_device", messages.devices.certificateOnOtherDevice(serial), { serial }, "conflict");
    }
    if (d.state !== "initialized" && d.state !== "issued") {
      throw new DomainError("device_not_ready", messages.devices.deviceNotReadyForCertificate(STATE_LABELS[d.state]), { state: d.state }, "conflict");
    }
    if (c.device_id === d.id) return d; // idempotent: the station may retry
    await store.attachCertificate(trx, serial, d.id);
    const holder = { holder_dossier_id: c.dossier_id, holder_subscriber_index: c.subscriber_index, holder_name: c.subject_cn };
    await audit.append(trx, {
      actor, action: "device.certificate_attached", objectType: "device", objectId: d.id, details: { serial: d.serial, certificate: serial },
    });
    if (d.state === "initialized") {
      return moveDevice(trx, actor, d, "issued", "Nạp khóa và chứng thư số lên thiết bị", { certificate: serial }, holder);
    }
    await store.update(trx, d.id, holder);
    return (await store.get(trx, d.id))!;
  });
}

/** Which device holds this certificate. */
export async function deviceOfCertificate(db: Knex, serial: string): Promise<store.DeviceRow> {
  const c = await store.certificate(db, serial);
  if (!c) throw certificateNotFound(serial);
  if (!c.device_id) throw new DomainError("certificate_on_no_device", messages.devices.certificateOnNoDevice(serial), { serial }, "not_found");
  return mustGetDevice(db, c.device_id);
}
