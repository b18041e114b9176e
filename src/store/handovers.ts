import type { Db } from "./db";

export interface HandoverRow {
  id: string;
  number: string;
  year: number;
  seq: number;
  place_kind: "provider" | "agency";
  place: string;
  handed_at: string;
  handing_officer: string; // JSON
  receiver: string; // JSON
  dossier_id: string | null;
  notes: string | null;
  record_sha256: string | null;
  record_pdf: Buffer | null;
  created_at: string;
  created_by: string;
}

export interface HandoverItemRow {
  handover_id: string;
  position: number;
  device_id: string;
  certificate_serial: string;
  subscriber_name: string;
  notes: string | null;
}

export const get = (db: Db, id: string): Promise<HandoverRow | undefined> => db("handovers").where({ id }).first();
export const insert = (db: Db, row: HandoverRow) => db("handovers").insert(row);
export const insertItems = (db: Db, rows: HandoverItemRow[]) => db("handover_items").insert(rows);
export const items = (db: Db, id: string): Promise<HandoverItemRow[]> => db("handover_items").where({ handover_id: id }).orderBy("position");
/**
 * Next handover record number of a year, as dossier numbers are allocated (store/dossiers.ts
 * nextSequence): inside the creating transaction the increment locks the year's counter row
 * (PostgreSQL) or the database (SQLite), so concurrent handovers never share a number and a rolled
 * back one gives its number back; the unique indexes on handovers (number; year + seq) back this up.
 */
export async function nextSequence(db: Db, year: number): Promise<number> {
  await db("handover_numbers").insert({ year, last: 0 }).onConflict("year").ignore();
  await db("handover_numbers").where({ year }).increment("last", 1);
  const r = await db("handover_numbers").where({ year }).first();
  return Number(r.last);
}

export const formatNumber = (seq: number, year: number) => `${seq}/${year}/BB-BG`;
export const setRecord = (db: Db, id: string, pdf: Buffer, sha256: string) =>
  db("handovers").where({ id }).update({ record_pdf: pdf, record_sha256: sha256 });
export const list = (db: Db, limit: number, offset: number): Promise<HandoverRow[]> =>
  db("handovers").select("id", "number", "place_kind", "place", "handed_at", "handing_officer", "receiver", "dossier_id", "notes", "record_sha256", "created_at", "created_by")
    .orderBy("handed_at", "desc").limit(limit).offset(offset);
