import type { Db } from "./db";
import type { DeficiencySnapshot } from "../mail/payloads";

/** The review's own columns of a dossier and its deficiency rounds: plain rows in and out. */
export interface ReviewColumns {
  reviewer_id: string | null;
  reviewer: string | null;
  review_started_at: string | null;
  deadline_date: string | null;
  correction_rounds: number;
}

export const reviewColumns = (db: Db, dossierId: string): Promise<ReviewColumns | undefined> =>
  db("dossiers").where({ id: dossierId }).first("reviewer_id", "reviewer", "review_started_at", "deadline_date", "correction_rounds");

/** Review bookkeeping beside a status change (the version was bumped by the transition). */
export const setReviewColumns = (db: Db, dossierId: string, c: Partial<ReviewColumns>) => db("dossiers").where({ id: dossierId }).update(c);

export interface DeficiencyRow {
  id: number;
  dossier_id: string;
  round: number;
  idx: number;
  field: string;
  field_label: string;
  row: number | null;
  row_label: string | null;
  reason: string;
  requested_at: string;
  requested_by: string;
}

export async function addDeficiencies(db: Db, dossierId: string, round: number, list: DeficiencySnapshot[], at: string, by: string) {
  const rows = list.map((d, idx) => ({
    dossier_id: dossierId, round, idx, field: d.field, field_label: d.fieldLabel, row: d.row, row_label: d.rowLabel ?? null,
    reason: d.reason, requested_at: at, requested_by: by,
  }));
  for (let i = 0; i < rows.length; i += 200) await db("dossier_deficiencies").insert(rows.slice(i, i + 200));
}

export const deficiencies = (db: Db, dossierId: string): Promise<DeficiencyRow[]> =>
  db("dossier_deficiencies").where({ dossier_id: dossierId }).orderBy([{ column: "round" }, { column: "idx" }]);
