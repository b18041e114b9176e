import type { Db } from "./db";

/** Stored PDFs: plain rows in and out; `db` may be a transaction. */
export interface DocumentRow {
  id: string;
  dossier_id: string;
  kind: string;
  dossier_version: number;
  sha256: string;
  size: number;
  bytes: Buffer;
  created_by: string | null;
  created_at: string;
}

export type DocumentSummaryRow = Omit<DocumentRow, "bytes">;

const summaryColumns = ["id", "dossier_id", "kind", "dossier_version", "sha256", "size", "created_by", "created_at"];

export const find = (db: Db, dossierId: string, kind: string, dossierVersion: number): Promise<DocumentRow | undefined> =>
  db("documents").where({ dossier_id: dossierId, kind, dossier_version: dossierVersion }).first();

export const get = (db: Db, dossierId: string, id: string): Promise<DocumentRow | undefined> =>
  db("documents").where({ dossier_id: dossierId, id }).first();

export const insert = (db: Db, row: DocumentRow) => db("documents").insert(row);

export async function listFor(db: Db, dossierId: string): Promise<DocumentSummaryRow[]> {
  return db("documents").select(summaryColumns).where({ dossier_id: dossierId }).orderBy([{ column: "created_at", order: "asc" }, { column: "dossier_version", order: "asc" }]);
}

/** Bytes come back as Buffer from both SQLite and PostgreSQL. */
export const bytesOf = (row: DocumentRow): Buffer => (Buffer.isBuffer(row.bytes) ? row.bytes : Buffer.from(row.bytes as unknown as Uint8Array));
