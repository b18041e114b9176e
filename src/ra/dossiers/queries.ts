import type { Db } from "../../store/db";
import { fromJson } from "../../store/db";
import * as dossiers from "../../store/dossiers";
import type { Dossier } from "./schema";
import { dossierNotFound } from "./errors";
import { fold } from "./fields";

/** Reads of dossiers for the API and other capabilities (no state changes here). */
export async function mustGetDossier(db: Db, id: string): Promise<Dossier> {
  const d = await dossiers.getDossier(db, id);
  if (!d) throw dossierNotFound(id);
  return d;
}

export interface DossierListQuery {
  kind?: string;
  status?: string[];
  agency?: string;
  /** YYYY-MM-DD (a whole day in Viet Nam) or an ISO instant. */
  receivedFrom?: string;
  receivedTo?: string;
  q?: string;
  limit: number;
  offset: number;
}

const isDate = (s: string) => /^\d{4}-\d{2}-\d{2}$/.test(s);
const startOfVietnamDay = (d: string) => new Date(`${d}T00:00:00+07:00`);

export async function listDossiers(db: Db, q: DossierListQuery) {
  const receivedFrom = q.receivedFrom ? (isDate(q.receivedFrom) ? startOfVietnamDay(q.receivedFrom) : new Date(q.receivedFrom)).toISOString() : undefined;
  // "to" a day includes that whole day; "to" an instant includes that instant.
  const receivedBefore = q.receivedTo
    ? new Date((isDate(q.receivedTo) ? startOfVietnamDay(q.receivedTo).getTime() + 86400_000 : new Date(q.receivedTo).getTime() + 1)).toISOString()
    : undefined;
  return dossiers.list(db, {
    kind: q.kind, status: q.status, agency: q.agency ? fold(q.agency) : undefined, q: q.q ? fold(q.q) : undefined,
    receivedFrom, receivedBefore, limit: q.limit, offset: q.offset,
  });
}

export async function dossierHistory(db: Db, id: string) {
  if (!(await dossiers.get(db, id))) throw dossierNotFound(id);
  return (await dossiers.history(db, id)).map((h) => ({ ...h, changes: fromJson<unknown>(h.changes) }));
}

/** People of the dossier who also appear (same identity number) in other dossiers. */
export async function dossierDuplicates(db: Db, id: string) {
  if (!(await dossiers.get(db, id))) throw dossierNotFound(id);
  return dossiers.duplicatesOf(db, id);
}
