import crypto from "node:crypto";
import type { Knex } from "knex";
import type { Services } from "../service";
import type { Actor } from "../auth/actor";
import * as users from "../store/users";
import { nowIso, toJson, fromJson, type Db } from "../store/db";
import { append } from "../audit/audit";
import { authorize, can } from "../policy/policy";
import { DomainError } from "../errors";
import { messages } from "../messages";

/**
 * Dual control (four eyes), as EJBCA's approvals: an operation named in DUAL_CONTROL is not
 * performed when requested; it waits as a pending approval until a second person who may perform
 * it approves (then it is executed in the approval's transaction) or rejects it, or it expires
 * after APPROVAL_TTL_HOURS. The requester never approves their own request (src/policy/rules.ts
 * "approval.decide"). Every step is audited in the transaction that makes it.
 */
export const OPERATIONS = ["ca.key", "revocation.urgent", "revocation.bulk", "device.reinitialize", "user.privileged_role"] as const;
export type Operation = (typeof OPERATIONS)[number];
export type ApprovalStatus = "pending" | "approved" | "rejected" | "expired" | "executed";

export interface PerformContext {
  s: Services;
  trx: Db;
  /** Who asked for the operation: it is performed in their name. */
  requester: Actor;
  /** The second person (absent when dual control is off for the operation). */
  approver?: Actor;
  approvalId?: string;
}

export interface OperationDefinition<P = any> {
  operation: Operation;
  /** The policy action both the requester and the approver need. */
  action: string;
  /** One line for the approver: what will happen. */
  summary(payload: P): string;
  /** Performs the operation; returns a JSON-able result. Must throw a DomainError to refuse. */
  perform(ctx: PerformContext, payload: P): Promise<unknown>;
}

const definitions = new Map<string, OperationDefinition>();

/** Declares how an operation is performed once approved (called at module load by its owner). */
export function defineOperation<P>(d: OperationDefinition<P>): void {
  definitions.set(d.operation, d as OperationDefinition);
}

export const isDualControlled = (s: Services, op: Operation) => (s.config.DUAL_CONTROL as string[]).includes(op);

export interface ApprovalRow {
  id: string;
  operation: string;
  policy_action: string;
  payload: string;
  summary: string | null;
  requested_by: string;
  requested_by_name: string;
  requested_at: string;
  expires_at: string;
  status: ApprovalStatus;
  decided_by: string | null;
  decided_by_name: string | null;
  decided_at: string | null;
  reason: string | null;
  result: string | null;
}

export type Outcome<R> = { performed: true; result: R } | { performed: false; approval: ApprovalRow };

/**
 * The one call other code makes: performs the operation now when dual control is off for it,
 * otherwise records a pending approval (in the caller's transaction) and returns it.
 * `perform` is what happens now; the registered definition is what happens on approval.
 */
export async function requestOrPerform<P, R>(
  s: Services, trx: Db, actor: Actor, operation: Operation, payload: P, perform: (trx: Db) => Promise<R>,
): Promise<Outcome<R>> {
  const def = definitions.get(operation);
  if (!def) throw new DomainError("operation_unknown", messages.security.operationUnknown(operation), { operation });
  authorize(actor, def.action, payload);
  if (!isDualControlled(s, operation)) return { performed: true, result: await perform(trx) };
  const now = new Date();
  const row: ApprovalRow = {
    id: crypto.randomUUID(),
    operation,
    policy_action: def.action,
    payload: toJson(payload),
    summary: def.summary(payload).slice(0, 500),
    requested_by: actor.id,
    requested_by_name: actor.username,
    requested_at: now.toISOString(),
    expires_at: new Date(now.getTime() + s.config.APPROVAL_TTL_HOURS * 3600_000).toISOString(),
    status: "pending",
    decided_by: null, decided_by_name: null, decided_at: null, reason: null, result: null,
  };
  await trx("approvals").insert(row);
  await append(trx, { actor, action: "approval.requested", objectType: "approval", objectId: row.id, details: { operation, payload: payload as unknown, expiresAt: row.expires_at } });
  return { performed: false, approval: row };
}

export const get = (db: Db, id: string): Promise<ApprovalRow | undefined> => db("approvals").where({ id }).first();

/** Marks pending approvals past their expiry as expired (each audited). */
export async function expireDue(db: Knex): Promise<number> {
  const now = nowIso();
  const due: ApprovalRow[] = await db("approvals").where({ status: "pending" }).andWhere("expires_at", "<=", now).limit(500);
  for (const a of due) {
    await db.transaction(async (trx) => {
      const n = await trx("approvals").where({ id: a.id, status: "pending" }).update({ status: "expired", decided_at: now });
      if (n) await append(trx, { actor: "system", action: "approval.expired", objectType: "approval", objectId: a.id, details: { operation: a.operation } });
    });
  }
  return due.length;
}

export async function list(db: Knex, q: { status?: ApprovalStatus; operation?: string; limit: number; offset: number }) {
  await expireDue(db);
  const base = () => {
    const b = db("approvals");
    if (q.status) b.where({ status: q.status });
    if (q.operation) b.where({ operation: q.operation });
    return b;
  };
  const [{ n }] = await base().count({ n: "*" });
  const items: ApprovalRow[] = await base().orderBy("requested_at", "desc").limit(q.limit).offset(q.offset);
  return { items, total: Number(n) };
}

/**
 * A second person's decision. Approve: the operation is executed in this transaction, as the
 * requester, and the approval becomes "executed" (or stays "approved" with the refusal as its
 * result when the operation itself refuses, e.g. the certificate was revoked meanwhile).
 */
export async function decide(s: Services, actor: Actor, id: string, decision: "approve" | "reject", reason?: string): Promise<ApprovalRow> {
  let expired = false;
  const row = await s.db.transaction(async (trx) => {
    const a: ApprovalRow | undefined = await trx("approvals").where({ id }).forUpdate().first();
    if (!a) throw new DomainError("approval_not_found", messages.security.approvalNotFound(id), { id }, "not_found");
    if (a.status !== "pending") throw new DomainError("approval_not_pending", messages.security.approvalNotPending(a.status), { status: a.status }, "conflict");
    const now = nowIso();
    if (a.expires_at <= now) {
      await trx("approvals").where({ id }).update({ status: "expired", decided_at: now });
      await append(trx, { actor: "system", action: "approval.expired", objectType: "approval", objectId: id, details: { operation: a.operation } });
      expired = true;
      return a;
    }
    // The approver must be entitled to the operation on this very payload (e.g. nobody approves a
    // privileged role for themself), as the requester was when asking (requestOrPerform).
    const subject = { requestedBy: a.requested_by, action: a.policy_action, payload: fromJson<unknown>(a.payload) };
    if (!can(actor, "approval.decide", subject)) {
      const self = a.requested_by === actor.id;
      throw new DomainError(self ? "self_approval" : "approver_not_entitled",
        self ? messages.security.selfApproval : messages.security.approverNotEntitled, { operation: a.operation }, "forbidden");
    }
    const base = { decided_by: actor.id, decided_by_name: actor.username, decided_at: now, reason: reason ?? null };
    if (decision === "reject") {
      await trx("approvals").where({ id }).update({ ...base, status: "rejected" });
      await append(trx, { actor, action: "approval.rejected", objectType: "approval", objectId: id, details: { operation: a.operation, requestedBy: a.requested_by_name, reason } });
      return (await get(trx, id))!;
    }
    await trx("approvals").where({ id }).update({ ...base, status: "approved" });
    await append(trx, { actor, action: "approval.approved", objectType: "approval", objectId: id, details: { operation: a.operation, requestedBy: a.requested_by_name, reason } });
    const def = definitions.get(a.operation);
    if (!def) throw new DomainError("operation_unknown", messages.security.operationUnknown(a.operation), { operation: a.operation });
    const requester = await actorOf(trx, a.requested_by);
    try {
      const result = await trx.transaction(async (sp) => def.perform({ s, trx: sp, requester, approver: actor, approvalId: id }, fromJson(a.payload)));
      await trx("approvals").where({ id }).update({ status: "executed", result: toJson(result ?? null) });
      await append(trx, { actor, action: "approval.executed", objectType: "approval", objectId: id, details: { operation: a.operation, result: result as unknown } });
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      const result = { error: { code: err.code, message: err.message, details: err.details } };
      await trx("approvals").where({ id }).update({ result: toJson(result) });
      await append(trx, { actor, action: "approval.execution_refused", objectType: "approval", objectId: id, details: { operation: a.operation, code: err.code } });
    }
    return (await get(trx, id))!;
  });
  if (expired) throw new DomainError("approval_expired", messages.security.approvalExpired, { id }, "conflict");
  return row;
}

async function actorOf(db: Db, userId: string): Promise<Actor> {
  const u = await users.get(db, userId);
  return { id: userId, username: u?.username ?? userId, roles: u && u.active ? await users.rolesOf(db, userId) : [] };
}
