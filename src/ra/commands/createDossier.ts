import crypto from "node:crypto";
import type { Knex } from "knex";
import type { Actor } from "../../auth/actor";
import * as audit from "../../audit/audit";
import * as dossiers from "../../store/dossiers";
import { nowIso } from "../../store/db";
import { authorize } from "../../policy/policy";
import type { Dossier, DossierInput } from "../dossiers/schema";
import { subscribersOf } from "../dossiers/schema";
import { contentColumns, formatDossierNumber, vietnamYear } from "../dossiers/record";

/**
 * Creates a draft dossier from a validated request: allocates its number for the year, writes the
 * row, its list rows, the first history entry and the audit row in one transaction.
 */
export async function createDossier(db: Knex, actor: Actor, input: DossierInput): Promise<Dossier> {
  authorize(actor, "dossier.create");
  return db.transaction(async (trx) => {
    const now = new Date();
    const year = vietnamYear(now);
    const seq = await dossiers.nextSequence(trx, year);
    const number = formatDossierNumber(year, seq);
    const at = nowIso();
    const row: dossiers.DossierRow = {
      id: crypto.randomUUID(),
      number,
      year,
      seq,
      status: "draft",
      ...contentColumns(input, number),
      received_at: input.receivedAt ?? null,
      valid_since: null,
      deadline: null,
      version: 1,
      created_by: actor.id === "system" ? null : actor.id,
      updated_by: actor.id === "system" ? null : actor.id,
      created_at: at,
      updated_at: at,
    };
    await dossiers.insert(trx, row);
    await dossiers.replaceSubscribers(trx, row.id, subscribersOf(input));
    await dossiers.appendHistory(trx, { dossierId: row.id, version: 1, actor, action: "created", toStatus: "draft", changes: [] });
    await audit.append(trx, {
      actor, action: "dossier.created", objectType: "dossier", objectId: row.id,
      details: { number, kind: input.kind, quantity: input.quantity, channel: input.channel },
    });
    return dossiers.toDossier(row);
  });
}
