import type { Db } from "./db";
import { fromJson, nowIso, toJson } from "./db";
import type { Dossier, DossierInput, DossierStatus, Subscriber } from "../ra/dossiers/schema";

/**
 * Dossiers in the database: plain rows in and out, `db` may be a transaction.
 * Every write bumps `version` and is guarded by the version the caller read (optimistic locking):
 * a stale write changes nothing and returns undefined, and the caller reports the conflict.
 */
export interface DossierRow {
  id: string;
  number: string;
  year: number;
  seq: number;
  kind: string;
  status: DossierStatus;
  agency_name: string;
  agency_search: string;
  search_text: string;
  certificate_type: string | null;
  quantity: number;
  channel: string;
  data: string;
  received_at: string | null;
  valid_since: string | null;
  deadline: string | null;
  version: number;
  created_by: string | null;
  updated_by: string | null;
  created_at: string;
  updated_at: string;
}

export type DossierSummaryRow = Omit<DossierRow, "data" | "search_text" | "agency_search">;

export interface HistoryRow {
  id: number;
  dossier_id: string;
  version: number;
  at: string;
  actor_id: string | null;
  actor: string;
  action: string;
  from_status: string | null;
  to_status: string | null;
  changes: string;
  note: string | null;
}

export const get = (db: Db, id: string): Promise<DossierRow | undefined> => db("dossiers").where({ id }).first();

/** Reads the row and, on PostgreSQL, locks it until the transaction ends. */
export const getForUpdate = (db: Db, id: string): Promise<DossierRow | undefined> =>
  db("dossiers").where({ id }).forUpdate().first();

export const getByNumber = (db: Db, number: string): Promise<DossierRow | undefined> => db("dossiers").where({ number }).first();

/** The stored request plus the provider's fields, as the rest of the system reads a dossier. */
export function toDossier(row: DossierRow): Dossier {
  const data = fromJson<DossierInput>(row.data);
  return {
    ...data,
    id: row.id,
    number: row.number,
    status: row.status,
    version: Number(row.version),
    receivedAt: row.received_at,
    validSince: row.valid_since,
    deadline: row.deadline,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    createdBy: row.created_by,
    updatedBy: row.updated_by,
  } as Dossier;
}

export async function getDossier(db: Db, id: string): Promise<Dossier | undefined> {
  const row = await get(db, id);
  return row && toDossier(row);
}

/**
 * Next sequence number of a year. Inside the creating transaction: the increment locks the year's
 * row (PostgreSQL) or the database (SQLite), so two dossiers never get the same number; the unique
 * index on dossiers.number backs this up.
 */
export async function nextSequence(db: Db, year: number): Promise<number> {
  await db("dossier_numbers").insert({ year, last: 0 }).onConflict("year").ignore();
  await db("dossier_numbers").where({ year }).increment("last", 1);
  const r = await db("dossier_numbers").where({ year }).first();
  return Number(r.last);
}

export const insert = (db: Db, row: DossierRow) => db("dossiers").insert(row);

/** Columns a command may change; version, updated_at and updated_by are set here. */
export type DossierChanges = Partial<
  Pick<DossierRow, "status" | "agency_name" | "agency_search" | "search_text" | "certificate_type" | "quantity" | "channel" | "data" | "received_at" | "valid_since" | "deadline">
>;

/**
 * Applies changes if the row is still at `expectedVersion`, bumping the version.
 * Returns the new row, or undefined when the dossier is missing or was changed meanwhile.
 */
export async function update(
  db: Db, id: string, expectedVersion: number, changes: DossierChanges, actorId: string | null,
): Promise<DossierRow | undefined> {
  const n = await db("dossiers")
    .where({ id, version: expectedVersion })
    .update({ ...changes, version: expectedVersion + 1, updated_at: nowIso(), updated_by: actorId });
  if (!n) return undefined;
  return get(db, id);
}

/** Status change (with the review clock's fields when given), version bump; undefined when stale. */
export function setStatus(
  db: Db, id: string, expectedVersion: number, status: DossierStatus, actorId: string | null,
  clock: { receivedAt?: string | null; validSince?: string | null; deadline?: string | null } = {},
): Promise<DossierRow | undefined> {
  const changes: DossierChanges = { status };
  if (clock.receivedAt !== undefined) changes.received_at = clock.receivedAt;
  if (clock.validSince !== undefined) changes.valid_since = clock.validSince;
  if (clock.deadline !== undefined) changes.deadline = clock.deadline;
  return update(db, id, expectedVersion, changes, actorId);
}

// --- the people list, one row per entry --------------------------------------------------------

export interface SubscriberRow {
  dossier_id: string;
  idx: number;
  full_name: string;
  date_of_birth: string | null;
  id_type: string | null;
  id_number: string;
  id_issue_date: string | null;
  id_issue_place: string | null;
  email: string | null;
  workplace: string | null;
  province: string | null;
  position: string | null;
  mobile: string | null;
  previous_certificate_serial: string | null;
}

/** Replaces the dossier's list rows (idx is 0-based, as in the JSON list). */
export async function replaceSubscribers(db: Db, dossierId: string, list: Subscriber[]): Promise<void> {
  await db("dossier_subscribers").where({ dossier_id: dossierId }).delete();
  const rows: SubscriberRow[] = list.map((s, idx) => ({
    dossier_id: dossierId,
    idx,
    full_name: s.fullName,
    date_of_birth: s.dateOfBirth ?? null,
    id_type: s.idType ?? null,
    id_number: s.idNumber,
    id_issue_date: s.idIssueDate ?? null,
    id_issue_place: s.idIssuePlace ?? null,
    email: s.email ?? null,
    workplace: s.workplace ?? null,
    province: s.province ?? null,
    position: s.position ?? null,
    mobile: s.mobile ?? null,
    previous_certificate_serial: s.previousCertificateSerial ?? null,
  }));
  for (let i = 0; i < rows.length; i += 200) await db("dossier_subscribers").insert(rows.slice(i, i + 200));
}

export const subscriberRows = (db: Db, dossierId: string): Promise<SubscriberRow[]> =>
  db("dossier_subscribers").where({ dossier_id: dossierId }).orderBy("idx");

/** Every list entry with this identity number, in any dossier: duplicates and earlier requests. */
export const findByIdNumber = (
  db: Db, idNumber: string,
): Promise<{ dossierId: string; number: string; status: string; idx: number; fullName: string }[]> =>
  db("dossier_subscribers as s")
    .join("dossiers as d", "d.id", "s.dossier_id")
    .where("s.id_number", idNumber)
    .orderBy([{ column: "d.created_at" }, { column: "s.idx" }])
    .select({ dossierId: "d.id", number: "d.number", status: "d.status", idx: "s.idx", fullName: "s.full_name" });

/**
 * People of this dossier whose identity number also appears in other dossiers (any status):
 * for the reviewer, who decides whether it is a renewal, a duplicate request or an error.
 */
export const duplicatesOf = (
  db: Db, dossierId: string,
): Promise<{ idx: number; fullName: string; idNumber: string; otherDossierId: string; otherNumber: string; otherStatus: string; otherIdx: number; otherFullName: string }[]> =>
  db("dossier_subscribers as s")
    .join("dossier_subscribers as o", "o.id_number", "s.id_number")
    .join("dossiers as d", "d.id", "o.dossier_id")
    .where("s.dossier_id", dossierId)
    .whereNot("o.dossier_id", dossierId)
    .orderBy([{ column: "s.idx" }, { column: "d.created_at" }, { column: "o.idx" }])
    .select({
      idx: "s.idx", fullName: "s.full_name", idNumber: "s.id_number", otherDossierId: "d.id", otherNumber: "d.number",
      otherStatus: "d.status", otherIdx: "o.idx", otherFullName: "o.full_name",
    });

// --- history -----------------------------------------------------------------------------------

export interface HistoryEntry {
  dossierId: string;
  version: number;
  actor: { id: string; username: string };
  action: string;
  fromStatus?: string | null;
  toStatus?: string | null;
  /** Field-level diff summary (see src/ra/dossiers/diff.ts) or any JSON the action records. */
  changes?: unknown;
  note?: string | null;
}

export async function appendHistory(db: Db, e: HistoryEntry): Promise<void> {
  await db("dossier_history").insert({
    dossier_id: e.dossierId,
    version: e.version,
    at: nowIso(),
    actor_id: e.actor.id === "system" ? null : e.actor.id,
    actor: e.actor.username,
    action: e.action,
    from_status: e.fromStatus ?? null,
    to_status: e.toStatus ?? null,
    changes: toJson(e.changes ?? []),
    note: e.note ?? null,
  });
}

/** History actions that mean "this person received or edited the dossier" (separation of duties). */
export const HANDLING_ACTIONS = ["created", "updated", "subscribers_replaced", "corrected", "received", "resubmitted"] as const;

/** Ids of the users who created, edited, corrected or submitted (received) a dossier. */
export async function handledBy(db: Db, dossierId: string): Promise<string[]> {
  const rows: { actor_id: string | null }[] = await db("dossier_history").distinct("actor_id")
    .where({ dossier_id: dossierId }).whereIn("action", HANDLING_ACTIONS as unknown as string[]).whereNotNull("actor_id");
  return rows.map((r) => String(r.actor_id));
}

export const history = (db: Db, dossierId: string): Promise<HistoryRow[]> =>
  db("dossier_history").where({ dossier_id: dossierId }).orderBy("id");

// --- lists -------------------------------------------------------------------------------------

export interface ListFilter {
  kind?: string;
  status?: string[];
  /** Folded (lower-case, unaccented) substring of the agency's name. */
  agency?: string;
  /** UTC ISO bounds on received_at: from inclusive, to exclusive. */
  receivedFrom?: string;
  receivedBefore?: string;
  /** Folded free text over number, agency and names. */
  q?: string;
  limit: number;
  offset: number;
}

const likePattern = (s: string) => `%${s.replace(/[\\%_]/g, (c) => "\\" + c)}%`;

export async function list(db: Db, f: ListFilter): Promise<{ rows: DossierSummaryRow[]; total: number }> {
  const where = (q: any) => {
    if (f.kind) q.where("kind", f.kind);
    if (f.status?.length) q.whereIn("status", f.status);
    if (f.agency) q.whereRaw("agency_search like ? escape '\\'", [likePattern(f.agency)]);
    if (f.receivedFrom) q.where("received_at", ">=", f.receivedFrom);
    if (f.receivedBefore) q.where("received_at", "<", f.receivedBefore);
    if (f.q) q.whereRaw("search_text like ? escape '\\'", [likePattern(f.q)]);
  };
  const total = Number((await db("dossiers").modify(where).count({ n: "*" }))[0].n);
  const rows = await db("dossiers")
    .modify(where)
    .select(
      "id", "number", "year", "seq", "kind", "status", "agency_name", "certificate_type", "quantity", "channel",
      "received_at", "valid_since", "deadline", "version", "created_by", "updated_by", "created_at", "updated_at",
    )
    .orderBy([{ column: "created_at", order: "desc" }, { column: "year", order: "desc" }, { column: "seq", order: "desc" }])
    .limit(f.limit)
    .offset(f.offset);
  return { rows, total };
}
