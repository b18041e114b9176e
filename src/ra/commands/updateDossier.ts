import type { Knex } from "knex";
import type { Actor } from "../../auth/actor";
import { authorize } from "../../policy/policy";
import { DomainError } from "../../errors";
import { messages } from "../../messages";
import type { Dossier } from "../dossiers/schema";
import { dossierInvalid } from "../dossiers/errors";
import { modifyContent } from "../dossiers/modifyContent";

/** Fields of the response a client may send back in a PATCH without meaning to change them. */
const READ_ONLY = new Set(["id", "number", "status", "validSince", "deadline", "deadlineDate", "overdue", "createdAt", "updatedAt", "createdBy", "updatedBy", "form"]);

/**
 * Edits a dossier's content while it is a draft or awaits correction (JSON merge patch, RFC 7396,
 * on top-level fields: a list is replaced whole, null removes an optional field). The merged
 * request is validated as a whole. `version` in the patch, when given, must be the current one.
 */
export async function updateDossier(db: Knex, actor: Actor, id: string, patch: Record<string, unknown>): Promise<Dossier> {
  authorize(actor, "dossier.edit");
  const { version: expected, status, ...fields } = patch;
  if (expected !== undefined && !(Number.isInteger(expected) && (expected as number) >= 1)) {
    throw dossierInvalid([{ field: "version", message: messages.dossiers.invalidVersion, code: "invalid_type" }]);
  }
  for (const k of Object.keys(fields)) if (READ_ONLY.has(k)) delete fields[k];
  if (Object.keys(fields).length === 0) throw new DomainError("patch_empty", messages.dossiers.patchEmpty);
  return modifyContent(db, actor, id, expected as number | undefined, "updated", (current, row) => {
    if (status !== undefined && status !== row.status) {
      throw new DomainError("dossier_status_by_procedure", messages.dossiers.statusByProcedure, { field: "status" });
    }
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
