import type { Db } from "../../store/db";
import { nowIso } from "../../store/db";
import { vnDateOf } from "../calendar/dates";
import { DOSSIER_STATUSES } from "../dossiers/schema";
import { CLOCK_RUNNING } from "./transitions";

/**
 * The reviewers' work queues, over dossiers whose review clock runs (received, under review):
 * overdue (deadline passed), due today (the last working day is today in Hà Nội), and by reviewer.
 */
export interface QueueRow {
  id: string;
  number: string;
  kind: string;
  status: string;
  agency_name: string;
  received_at: string | null;
  valid_since: string | null;
  deadline: string | null;
  deadline_date: string | null;
  reviewer_id: string | null;
  reviewer: string | null;
  review_started_at: string | null;
  correction_rounds: number;
}

const COLUMNS = [
  "id", "number", "kind", "status", "agency_name", "received_at", "valid_since", "deadline", "deadline_date", "reviewer_id", "reviewer",
  "review_started_at", "correction_rounds",
];

export type QueueView = "overdue" | "due_today" | "by_reviewer" | "all";

export interface QueueQuery {
  view: QueueView;
  reviewer?: string;
  limit: number;
  offset: number;
  now?: Date;
}

const running = (db: Db) => db("dossiers").whereIn("status", CLOCK_RUNNING as string[]);

function filtered(db: Db, q: QueueQuery) {
  const now = (q.now ?? new Date()).toISOString();
  const today = vnDateOf(q.now ?? new Date());
  const base = running(db);
  if (q.view === "overdue") base.where("deadline", "<", now);
  if (q.view === "due_today") base.where("deadline_date", today).andWhere("deadline", ">=", now);
  if (q.reviewer === "-") base.whereNull("reviewer");
  else if (q.reviewer) base.where("reviewer", q.reviewer);
  return base;
}

/** Oldest deadline first: what must be done first is on top. */
export async function queue(db: Db, q: QueueQuery): Promise<{ rows: QueueRow[]; total: number }> {
  const total = Number((await filtered(db, q).clone().count({ n: "*" }))[0].n);
  const rows: QueueRow[] = await filtered(db, q)
    .select(COLUMNS)
    .orderBy([{ column: "deadline", order: "asc" }, { column: "number", order: "asc" }])
    .limit(q.limit)
    .offset(q.offset);
  return { rows, total };
}

export interface ReviewerLoad {
  reviewerId: string | null;
  reviewer: string | null;
  total: number;
  overdue: number;
  dueToday: number;
}

/** Dossiers with a running clock, per reviewer (null: received, nobody has started the review). */
export async function byReviewer(db: Db, now = new Date()): Promise<ReviewerLoad[]> {
  const rows: QueueRow[] = await running(db).select(COLUMNS);
  const iso = now.toISOString();
  const today = vnDateOf(now);
  const groups = new Map<string, ReviewerLoad>();
  for (const r of rows) {
    const key = r.reviewer_id ?? "";
    const g = groups.get(key) ?? { reviewerId: r.reviewer_id, reviewer: r.reviewer, total: 0, overdue: 0, dueToday: 0 };
    g.total++;
    if (r.deadline && r.deadline < iso) g.overdue++;
    else if (r.deadline_date === today) g.dueToday++;
    groups.set(key, g);
  }
  return [...groups.values()].sort((a, b) => (a.reviewer ?? "").localeCompare(b.reviewer ?? ""));
}

export interface ReviewCounts {
  byStatus: Record<string, number>;
  clockRunning: number;
  overdue: number;
  dueToday: number;
  unassigned: number;
  byReviewer: ReviewerLoad[];
  at: string;
}

export async function counts(db: Db, now = new Date()): Promise<ReviewCounts> {
  const grouped: { status: string; n: number | string }[] = await db("dossiers").select("status").count({ n: "*" }).groupBy("status");
  const byStatus = Object.fromEntries(DOSSIER_STATUSES.map((s) => [s, 0])) as Record<string, number>;
  for (const g of grouped) byStatus[g.status] = Number(g.n);
  const loads = await byReviewer(db, now);
  return {
    byStatus,
    clockRunning: loads.reduce((a, g) => a + g.total, 0),
    overdue: loads.reduce((a, g) => a + g.overdue, 0),
    dueToday: loads.reduce((a, g) => a + g.dueToday, 0),
    unassigned: loads.filter((g) => g.reviewerId === null).reduce((a, g) => a + g.total, 0),
    byReviewer: loads,
    at: nowIso(),
  };
}
