import type { Knex } from "knex";
import type { Actor } from "../../auth/actor";
import * as dossiers from "../../store/dossiers";
import { authorize } from "../../policy/policy";
import { dossierNotFound } from "../dossiers/errors";
import { transitionDossier } from "../dossiers/transition";
import type { Dossier } from "../dossiers/schema";
import { checkTransition } from "../review/transitions";

/** The agency withdraws its request (recorded by a clerk, with the reason). */
export async function withdrawDossier(db: Knex, actor: Actor, id: string, input: { reason: string; version?: number }): Promise<Dossier> {
  return db.transaction(async (trx) => {
    const row = await dossiers.getForUpdate(trx, id);
    if (!row) throw dossierNotFound(id);
    const t = checkTransition("withdraw", row.status, { reason: input.reason });
    authorize(actor, t.policy, row);
    return transitionDossier(trx, actor, id, { action: t.event, to: t.to, expectedVersion: input.version, note: input.reason.trim(), auditDetails: { reason: input.reason.trim() } });
  });
}
