import { DomainError } from "../errors";
import { messages } from "../messages";
import type { Actor, Role } from "../auth/actor";

/**
 * One module decides who may do what: role × action × object. Rules read as sentences
 * (outline's server/policies): allow("clerk", "dossier.create"). Routes name their action and the
 * route layer calls authorize(); commands call it again with the object for state-dependent rules.
 */
type Predicate = (actor: Actor, object?: any) => boolean;
const rules = new Map<string, { role: Role; when?: Predicate }[]>();

export function allow(roles: Role | Role[], actions: string | string[], when?: Predicate): void {
  for (const action of ([] as string[]).concat(actions)) {
    const list = rules.get(action) ?? [];
    for (const role of ([] as Role[]).concat(roles)) list.push({ role, when });
    rules.set(action, list);
  }
}

export function can(actor: Actor, action: string, object?: unknown): boolean {
  const list = rules.get(action) ?? [];
  return list.some((r) => actor.roles.includes(r.role) && (!r.when || r.when(actor, object)));
}

export function authorize(actor: Actor, action: string, object?: unknown): void {
  if (!can(actor, action, object)) {
    throw new DomainError("forbidden", messages.common.forbidden, { action }, "forbidden");
  }
}

/** Every action that has at least one rule: for the policy table test and the OpenAPI document. */
export const knownActions = () => [...rules.keys()].sort();
export const rolesFor = (action: string): Role[] => [...new Set((rules.get(action) ?? []).map((r) => r.role))];
