import type { Db } from "../store/db";
import type { AuditRow } from "./audit";

export interface AuditQuery {
  actor?: string;
  /** An action name, or a prefix ending in "*" ("dossier.*"). */
  action?: string;
  objectType?: string;
  objectId?: string;
  /** ISO instant or date. */
  from?: string;
  to?: string;
  limit: number;
  offset: number;
}

/** Lists the audit log, newest first, with filters (the API and the auditors' page read it here). */
export async function listAudit(db: Db, q: AuditQuery): Promise<{ rows: AuditRow[]; total: number }> {
  const base = db("audit_log").modify((b) => {
    if (q.actor) b.where("actor", q.actor);
    if (q.action) b.where("action", "like", q.action.endsWith("*") ? q.action.slice(0, -1) + "%" : q.action);
    if (q.objectType) b.where("object_type", q.objectType);
    if (q.objectId) b.where("object_id", q.objectId);
    if (q.from) b.where("at", ">=", new Date(q.from).toISOString());
    if (q.to) b.where("at", "<=", new Date(q.to).toISOString());
  });
  const [{ n }] = await base.clone().count({ n: "*" });
  const rows: AuditRow[] = await base.clone().orderBy("seq", "desc").limit(q.limit).offset(q.offset);
  return { rows, total: Number(n) };
}
