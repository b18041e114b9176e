import type { Knex } from "knex";
import { nowIso } from "../../store/db";
import * as audit from "../../audit/audit";
import { getDossier } from "../../store/dossiers";
import { dossierNotFound } from "../dossiers/errors";
import { snapshotOf } from "../review/mailSnapshot";
import { enqueueReadyForHandover } from "../../mail/enqueue";
import type { Actor } from "../../auth/actor";
import { DomainError } from "../../errors";
import { messages } from "../../messages";

/** The devices of a dossier are ready once its certificates are being, or have been, issued. */
const READY_STATUSES = ["issuing", "issued"];

/**
 * Appoints the handover of a dossier's devices: the "ready for handover" e-mail gives the agency and
 * the receiving person the time and place. Rescheduling sends a new notice (one per time).
 */
export async function scheduleHandover(db: Knex, actor: Actor, input: { dossierId: string; handoverAt: string; place: string; note?: string }) {
  return db.transaction(async (trx) => {
    const d = await getDossier(trx, input.dossierId);
    if (!d) throw dossierNotFound(input.dossierId);
    if (!READY_STATUSES.includes(d.status)) {
      throw new DomainError("handover_not_ready", messages.devices.handoverNotReady(d.number, d.status), { status: d.status, allowed: READY_STATUSES }, "conflict");
    }
    const handoverAt = new Date(input.handoverAt).toISOString();
    await enqueueReadyForHandover(trx, { ...snapshotOf(d, actor, nowIso()), handoverAt, place: input.place, note: input.note ?? null });
    await audit.append(trx, {
      actor, action: "handover.scheduled", objectType: "dossier", objectId: d.id, details: { number: d.number, handoverAt },
    });
    return { dossierId: d.id, dossierNumber: d.number, handoverAt, place: input.place };
  });
}
