import type { Actor } from "../auth/actor";
import { can } from "./policy";

/**
 * Confidentiality of requester data (Decree 68 procedure, issue 8). The personal fields of the
 * people in a dossier — identity number and its issue date and place, date of birth, mobile phone,
 * delivery address — reach only the roles allowed "dossier.read_personal" (src/policy/rules.ts);
 * everyone else gets masked values: identifiers and phones keep their last 3 characters (enough to
 * tell two people apart on the phone), dates, places and addresses become "***". Agency data (the
 * office's address, phone, e-mail) is not personal and is not masked.
 */
export const PERSONAL_FIELDS: ReadonlySet<string> = new Set(["idNumber", "idIssueDate", "idIssuePlace", "dateOfBirth", "mobile", "deliveryAddress"]);
const KEEP_TAIL: ReadonlySet<string> = new Set(["idNumber", "mobile"]);

export function maskField(field: string, value: unknown): unknown {
  if (value === null || value === undefined || value === "") return value;
  if (KEEP_TAIL.has(field) && typeof value === "string" && value.length > 3) return "*".repeat(value.length - 3) + value.slice(-3);
  return "***";
}

/** A deep copy with every personal field masked; history changes `{field: "receiver.mobile", from, to}` too. */
export function maskPersonal<T>(value: T): T {
  if (Array.isArray(value)) return value.map((v) => maskPersonal(v)) as unknown as T;
  if (value === null || typeof value !== "object" || Buffer.isBuffer(value) || value instanceof Date) return value;
  const o = value as Record<string, unknown>;
  const changeOf = typeof o.field === "string" ? String(o.field).split(".").pop()! : undefined;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) {
    if (PERSONAL_FIELDS.has(k)) out[k] = maskField(k, v);
    else if (changeOf && PERSONAL_FIELDS.has(changeOf) && (k === "from" || k === "to")) out[k] = maskField(changeOf, v);
    else out[k] = maskPersonal(v);
  }
  return out as T;
}

/** What this actor may see of a presented value: itself, or masked. */
export const personalView = <T>(actor: Actor, value: T): T => (can(actor, "dossier.read_personal") ? value : maskPersonal(value));
