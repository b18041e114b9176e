import crypto from "node:crypto";
import type { Knex } from "knex";
import type { Actor } from "../auth/actor";
import * as audit from "../audit/audit";
import { DomainError } from "../errors";
import { messages } from "../messages";
import { nowIso } from "../store/db";
import * as store from "../store/documents";
import { mustGetDossier } from "../ra/dossiers/queries";
import type { Dossier } from "../ra/dossiers/schema";
import { renderRequestDocument } from "./requestDocument";
import type { DocumentDossier } from "./types";

/** What a stored PDF is. */
export type StoredDocumentKind = "request" | "correction_notice" | "handover_record";

export interface SaveDocumentInput {
  dossierId: string;
  kind: StoredDocumentKind;
  dossierVersion: number;
  bytes: Buffer;
  actor: Actor | string;
}

/**
 * Stores a rendered PDF with its dossier version and SHA-256, and records it in the audit chain.
 * One document of a kind per dossier version: when one is already stored (another request got
 * there first), that one is returned and the new bytes are dropped.
 */
export async function saveDocument(db: Knex, input: SaveDocumentInput): Promise<store.DocumentRow> {
  const existing = await store.find(db, input.dossierId, input.kind, input.dossierVersion);
  if (existing) return existing;
  const row: store.DocumentRow = {
    id: crypto.randomUUID(),
    dossier_id: input.dossierId,
    kind: input.kind,
    dossier_version: input.dossierVersion,
    sha256: crypto.createHash("sha256").update(input.bytes).digest("hex"),
    size: input.bytes.length,
    bytes: input.bytes,
    created_by: typeof input.actor === "string" ? input.actor : input.actor.username,
    created_at: nowIso(),
  };
  try {
    await db.transaction(async (trx) => {
      await store.insert(trx, row);
      await audit.append(trx, {
        actor: input.actor, action: "document.stored", objectType: "dossier", objectId: input.dossierId,
        details: { documentId: row.id, kind: row.kind, dossierVersion: row.dossier_version, sha256: row.sha256, size: row.size },
      });
    });
    return row;
  } catch (e) {
    // A concurrent render of the same version won the unique index: serve what it stored.
    const winner = await store.find(db, input.dossierId, input.kind, input.dossierVersion);
    if (winner) return winner;
    throw e;
  }
}

/** The stored dossier as the document templates read it. */
export const toDocumentDossier = (d: Dossier): DocumentDossier => d as unknown as DocumentDossier;

/**
 * The official request document of a dossier's current version: the stored one when this version
 * was rendered before, else rendered now (dated at the version's time, so a re-render would give
 * the same bytes) and stored.
 */
export async function requestDocumentFor(db: Knex, actor: Actor, dossierId: string): Promise<store.DocumentRow> {
  const dossier = await mustGetDossier(db, dossierId);
  const existing = await store.find(db, dossier.id, "request", dossier.version);
  if (existing) return existing;
  let bytes: Buffer;
  try {
    bytes = await renderRequestDocument(toDocumentDossier(dossier), { renderedAt: new Date(dossier.updatedAt) });
  } catch (e) {
    throw new DomainError("document_render_failed", messages.documents.renderFailed, { dossierId, reason: (e as Error).message }, "unavailable");
  }
  return saveDocument(db, { dossierId: dossier.id, kind: "request", dossierVersion: dossier.version, bytes, actor });
}

/** The documents stored for a dossier (without their bytes). */
export async function documentsOf(db: Knex, dossierId: string): Promise<store.DocumentSummaryRow[]> {
  await mustGetDossier(db, dossierId);
  return store.listFor(db, dossierId);
}

/** One stored document of a dossier, with its bytes. */
export async function storedDocument(db: Knex, dossierId: string, documentId: string): Promise<store.DocumentRow> {
  await mustGetDossier(db, dossierId);
  const row = await store.get(db, dossierId, documentId);
  if (!row) throw new DomainError("document_not_found", messages.documents.documentNotFound(documentId), { dossierId, documentId }, "not_found");
  return row;
}
