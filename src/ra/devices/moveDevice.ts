import type { Db } from "../../store/db";
import { nowIso, toJson } from "../../store/db";
import * as store from "../../store/devices";
import * as audit from "../../audit/audit";
import type { Actor } from "../../auth/actor";
import { DomainError } from "../../errors";
import { messages } from "../../messages";
import { canTransition, STATE_LABELS, type DeviceState } from "./lifecycle";

export const deviceNotFound = (id: string) => new DomainError("device_not_found", messages.devices.notFound(id), { id }, "not_found");

export async function mustGetDevice(db: Db, id: string): Promise<store.DeviceRow> {
  const d = await store.get(db, id);
  if (!d) throw deviceNotFound(id);
  return d;
}

export const forbiddenTransition = (from: DeviceState, to: DeviceState) =>
  new DomainError(
    "device_transition_forbidden",
    messages.devices.forbiddenTransition(STATE_LABELS[from], STATE_LABELS[to]),
    { from, to },
    "conflict",
  );

/**
 * Moves a device along one edge of the lifecycle table, recording who, when, from, to and why
 * (device_events + the audit chain) in the caller's transaction. Anything off the table is a 409.
 */
export async function moveDevice(
  trx: Db,
  actor: Actor,
  device: store.DeviceRow,
  to: DeviceState,
  reason: string,
  details: Record<string, unknown> = {},
  patch: Partial<store.DeviceRow> = {},
): Promise<store.DeviceRow> {
  if (!canTransition(device.state, to)) throw forbiddenTransition(device.state, to);
  const at = nowIso();
  // Guard against a concurrent move: the update only applies if the state is still the one we read.
  const n = await trx("devices").where({ id: device.id, state: device.state }).update({ ...patch, state: to, updated_at: at });
  if (n !== 1) {
    const now = await mustGetDevice(trx, device.id);
    throw forbiddenTransition(now.state, to);
  }
  await store.addEvent(trx, {
    device_id: device.id, at, actor: actor.username, from_state: device.state, to_state: to, reason, details: toJson(details),
  });
  await audit.append(trx, {
    actor, action: "device.transition", objectType: "device", objectId: device.id,
    details: { serial: device.serial, from: device.state, to, reason, ...details },
  });
  return (await store.get(trx, device.id))!;
}
