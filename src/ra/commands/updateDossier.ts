import type { Knex } from "knex";
import type { Actor } from "../../auth/actor";
import * as audit from "../../audit/audit";
import * as dossiers from "../../store/dossiers";
import { authorize } from "../../policy/policy";
import { DomainError } from "../../errors";
import { messages } from "../../messages";
import { DossierInputSchema, isEditable, subscribersOf, type Dossier, type DossierInput } from "../dossiers/schema";
import { contentColumns, contentOf } from "../dossiers/record";
import { diffContent, changedFieldNames, type FieldChange } from "../dossiers/diff";
import { dossierInvalid, dossierNotEditable, dossierNotFound, dossierVersionConflict, problemsOf } from "../dossiers/errors";

/** Fields of the response a client may send back in a PATCH without meaning to change them. */
const READ_ONLY = new Set(["id", "number", "status", "validSince", "deadline", "createdAt", "updatedAt", "createdBy", "updatedBy", "form"]);

/**
 * Edits a dossier's content while it is a draft or awaits correction (JSON merge patch, RFC 7396,
 * on top-level fields: a list is replaced whole, null removes an optional field). The merged
 * request is validated as a whole. `version` in the patch, when given, must be the current one.
 */
export async function updateDossier(db: Knex, actor: Actor, id: string, patch: Record<string, unknown>): Promise<Dossier> {
  authorize(actor, "dossier.edit");
  const { version: expected, ...fields } = patch;
  for (const k of Object.keys(fields)) if (READ_ONLY.has(k)) delete fields[k];
  if (Object.keys(fields).length === 0) throw new DomainError("patch_empty", messages.dossiers.patchEmpty);
  return modifyContent(db, actor, id, typeof expected === "number" ? expected : undefined, "updated", (current) => {
    if (fields.kind !== undefined && fields.kind !== current.kind) {
      throw new DomainError("dossier_kind_immutable", messages.dossiers.kindImmutable, { field: "kind" });
    }
    const merged: Record<string, unknown> = { ...current };
    for (const [k, v] of Object.entries(fields)) {
      if (v === null) delete merged[k];
      else merged[k] = v;
    }
    return merged;
  });
}

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
    const updated = await dossiers.update(trx, id, Number(row.version), { ...contentColumns(next, row.number), received_at: receivedAt ?? null }, actor.id === "system" ? null : actor.id);
    if (!updated) throw dossierVersionConflict(Number(row.version), Number(row.version) + 1);
    if (changes.some((c) => c.field === "subscribers")) await dossiers.replaceSubscribers(trx, id, subscribersOf(next));
    await dossiers.appendHistory(trx, { dossierId: id, version: Number(updated.version), actor, action, fromStatus: row.status, toStatus: row.status, changes });
    await audit.append(trx, {
      actor, action: `dossier.${action}`, objectType: "dossier", objectId: id,
      details: { number: row.number, version: Number(updated.version), fields: changedFieldNames(changes) },
    });
    return dossiers.toDossier(updated);
  });
}

function defaultValidate(candidate: Record<string, unknown>): DossierInput {
  const parsed = DossierInputSchema.safeParse(candidate);
  if (!parsed.success) throw dossierInvalid(problemsOf(parsed.error));
  return parsed.data;
}
