import type { Actor } from "../../auth/actor";
import * as audit from "../../audit/audit";
import * as dossiers from "../../store/dossiers";
import type { Db } from "../../store/db";
import type { Dossier, DossierStatus } from "./schema";
import { dossierNotFound, dossierVersionConflict } from "./errors";

export interface TransitionInput {
  /** History and audit action, e.g. "received", "returned", "accepted" (audit: "dossier.<action>"). */
  action: string;
  to: DossierStatus;
  /** Review clock fields to set (undefined leaves them as they are, null clears them). */
  receivedAt?: string | null;
  validSince?: string | null;
  deadline?: string | null;
  /** The version the caller decided on; a newer dossier is a conflict. */
  expectedVersion?: number;
  /** Recorded in the dossier's history (may hold deficiencies, reasons…). */
  changes?: unknown;
  note?: string | null;
  /** Extra audit details: ids, codes and counts only, never personal data. */
  auditDetails?: Record<string, unknown>;
}

/**
 * One status change of a dossier, for the review, issuance and handover commands: call it inside
 * your transaction (after your own state and policy checks). It locks the row, checks the version,
 * sets status and clock with a version bump, and writes the history entry and the audit row.
 */
export async function transitionDossier(trx: Db, actor: Actor, id: string, t: TransitionInput): Promise<Dossier> {
  const row = await dossiers.getForUpdate(trx, id);
  if (!row) throw dossierNotFound(id);
  const current = Number(row.version);
  if (t.expectedVersion !== undefined && t.expectedVersion !== current) throw dossierVersionConflict(t.expectedVersion, current);
  const actorId = actor.id === "system" ? null : actor.id;
  const updated = await dossiers.setStatus(trx, id, current, t.to, actorId, { receivedAt: t.receivedAt, validSince: t.validSince, deadline: t.deadline });
  if (!updated) throw dossierVersionConflict(current, current + 1);
  const clock: Record<string, unknown> = {};
  if (t.receivedAt !== undefined) clock.receivedAt = t.receivedAt;
  if (t.validSince !== undefined) clock.validSince = t.validSince;
  if (t.deadline !== undefined) clock.deadline = t.deadline;
  await dossiers.appendHistory(trx, {
    dossierId: id, version: Number(updated.version), actor, action: t.action, fromStatus: row.status, toStatus: t.to,
    changes: t.changes ?? [{ field: "status", from: row.status, to: t.to }, ...Object.entries(clock).map(([field, to]) => ({ field, to }))],
    note: t.note,
  });
  await audit.append(trx, {
    actor, action: `dossier.${t.action}`, objectType: "dossier", objectId: id,
    details: { number: row.number, from: row.status, to: t.to, version: Number(updated.version), ...clock, ...(t.auditDetails ?? {}) },
  });
  return dossiers.toDossier(updated);
}
