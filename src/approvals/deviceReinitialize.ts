import type { Services } from "../service";
import type { Actor } from "../auth/actor";
import { DomainError } from "../errors";
import { messages } from "../messages";
import { toJson } from "../store/db";
import { recoverDevice, type RecoverInput } from "../ra/devices/recovery";
import { defineOperation, isDualControlled, requestOrPerform, type ApprovalRow } from "./approvals";

/**
 * Device re-initialisation (the keys on the token are destroyed) under dual control. The station
 * asks first (dry run); the physical C_InitToken happens at the station, after the service said
 * yes. So the approval authorises rather than performs: a dry run for "reinitialize" without an
 * executed approval for this device and dossier records a pending approval and answers 202; a
 * second device officer approves; the station's next dry run gets 200, it re-initialises the
 * token, and records the recovery, which is refused without the executed approval.
 */
interface ReinitializePayload {
  deviceId: string;
  dossierId: string;
}

defineOperation<ReinitializePayload>({
  operation: "device.reinitialize",
  action: "device.reinitialize",
  summary: (p) => `thiết bị ${p.deviceId}, hồ sơ ${p.dossierId}`,
  perform: async (_ctx, p) => ({ authorised: true, deviceId: p.deviceId, dossierId: p.dossierId }),
});

const payloadOf = (deviceId: string, dossierId: string): ReinitializePayload => ({ deviceId, dossierId });

/** Undefined when the recovery may go on; the pending approval when it must wait for a second person. */
export async function guardReinitialize(s: Services, actor: Actor, deviceId: string, input: RecoverInput): Promise<ApprovalRow | undefined> {
  if (input.method !== "reinitialize" || !isDualControlled(s, "device.reinitialize")) return undefined;
  const payload = toJson(payloadOf(deviceId, input.dossierId));
  const approvals = s.db("approvals").where({ operation: "device.reinitialize", payload });
  if (await approvals.clone().where({ status: "executed" }).first()) return undefined;
  if (!input.dryRun) {
    throw new DomainError("approval_required", messages.security.approvalRequired, { operation: "device.reinitialize" }, "conflict");
  }
  const pending: ApprovalRow | undefined = await approvals.clone().where({ status: "pending" }).first();
  if (pending) return pending;
  // Every rule of the recovery is checked before anyone is asked to approve it.
  await recoverDevice(s.db, actor, deviceId, { ...input, dryRun: true });
  return s.db.transaction(async (trx) => {
    const out = await requestOrPerform(s, trx, actor, "device.reinitialize", payloadOf(deviceId, input.dossierId), async () => undefined);
    return out.performed ? undefined : out.approval;
  });
}
