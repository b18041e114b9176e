import type { Knex } from "knex";
import type { Actor } from "../../auth/actor";
import * as audit from "../../audit/audit";
import * as dossiers from "../../store/dossiers";
import { DossierInputSchema, isEditable, subscribersOf, type Dossier, type DossierInput } from "./schema";
import { contentColumns, contentOf } from "./record";
import { diffContent, changedFieldNames, type FieldChange } from "./diff";
import { dossierInvalid, dossierNotEditable, dossierNotFound, dossierVersionConflict, problemsOf } from "./errors";
import { statusAfterEdit } from "../review/transitions";

/**
 * The shared path of every content change: lock, check state and version, build the new content,
 * validate it, write row + list rows + history + audit in one transaction.
 */
export async function modifyContent(
  db: Knex, actor: Actor, id: string, expectedVersion: number | undefined, action: string,
  build: (current: Record<string, unknown>, row: dossiers.DossierRow) => Record<string, unknown>,
  validate: (candidate: Record<string, unknown>) => DossierInput = defaultValidate,
): Promise<Dossier> {
  return db.transaction(async (trx) => {
    const row = await dossiers.getForUpdate(trx, id);
    if (!row) throw dossierNotFound(id);
    if (!isEditable(row.status)) throw dossierNotEditable(row.number, row.status);
    if (expectedVersion !== undefined && expectedVersion !== Number(row.version)) {
      throw dossierVersionConflict(expectedVersion, Number(row.version));
    }
    const before = contentOf(row);
    const next = validate(build(before, row));
    const { receivedAt, ...nextContent } = next as DossierInput & Record<string, unknown>;
    const changes: FieldChange[] = diffContent(before, { ...nextContent, ...(receivedAt ? { receivedAt } : {}) });
    if (changes.length === 0) return dossiers.toDossier(row);
    // Editing a dossier that awaits correction answers the request: needs_correction → corrected.
    const status = statusAfterEdit(row.status);
    const updated = await dossiers.update(trx, id, Number(row.version), { ...contentColumns(next, row.number), received_at: receivedAt ?? null, status }, actor.id === "system" ? null : actor.id);
    if (!updated) throw dossierVersionConflict(Number(row.version), Number(row.version) + 1);
    if (changes.some((c) => c.field === "subscribers")) await dossiers.replaceSubscribers(trx, id, subscribersOf(next));
    await dossiers.appendHistory(trx, { dossierId: id, version: Number(updated.version), actor, action, fromStatus: row.status, toStatus: status, changes });
    await audit.append(trx, {
      actor, action: `dossier.${action}`, objectType: "dossier", objectId: id,
      details: { number: row.number, version: Number(updated.version), fields: changedFieldNames(changes), ...(status !== row.status ? { from: row.status, to: status } : {}) },
    });
    return dossiers.toDossier(updated);
  });
}

function defaultValidate(candidate: Record<string, unknown>): DossierInput {
  const parsed = DossierInputSchema.safeParse(candidate);
  if (!parsed.success) throw dossierInvalid(problemsOf(parsed.error));
  return parsed.data;
}
