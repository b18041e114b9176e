import type { Services } from "../service";
import * as store from "../store/users";
import { DomainError } from "../errors";
import { messages } from "../messages";
import { can } from "../policy/policy";
import { defineOperation, requestOrPerform, type Outcome } from "../approvals/approvals";
import { createUser, setUserRoles, type CreateUserInput } from "./users";
import { ROLES, type Actor, type Role } from "./actor";
import type { Knex } from "knex";

/**
 * Privileged roles need two administrators (issue 8). Creating a user with, or adding to a user, a
 * role named in PRIVILEGED_ROLES (default admin, ca_operator, device_officer: every role that can
 * perform or approve a dual-controlled operation, so one administrator cannot make the two people a
 * four-eyes rule needs) is the dual-controlled operation "user.privileged_role": it waits until a
 * second administrator approves it (src/approvals). The approver sees the e-mail address the
 * enrolment code will go to, which the API never lets anyone change afterwards. The CLI on the CA
 * host creates users directly (the bootstrap and key-ceremony path, audited as "cli").
 */
export interface PrivilegedRolePayload {
  kind: "create" | "roles";
  /** The user whose roles change ("roles" only). */
  userId?: string;
  username: string;
  fullName: string;
  email: string | null;
  /** The roles the user will have. */
  roles: Role[];
  /** The privileged roles among them that the user does not have yet. */
  added: Role[];
}

defineOperation<PrivilegedRolePayload>({
  operation: "user.privileged_role",
  action: "user.privileged_role",
  summary: (p) => messages.users.privilegedRoleLabel(p.username, p.added, p.email),
  perform: async ({ trx, requester }, p) => {
    const db = trx as Knex;
    // Performed in the requester's name: they must still be an administrator.
    if (!can(requester, "user.create")) throw new DomainError("forbidden", messages.common.forbidden, { action: "user.create" }, "forbidden");
    if (p.kind === "create") {
      const u = await createUser(db, requester, { username: p.username, fullName: p.fullName, email: p.email ?? undefined, roles: p.roles });
      return { userId: u.id, username: u.username, roles: p.roles };
    }
    const u = await setUserRoles(db, requester, p.userId!, p.roles);
    return { userId: u.id, username: u.username, roles: p.roles };
  },
});

export const privilegedRoles = (s: Services): Role[] => s.config.PRIVILEGED_ROLES as Role[];

function checkRoles(roles: Role[]) {
  for (const r of roles) {
    if (!ROLES.includes(r)) throw new DomainError("unknown_role", messages.users.unknownRole(r), { role: r });
  }
}

/** Creates a user now, or (with a privileged role) records the request for a second administrator. */
export async function requestCreateUser(s: Services, actor: Actor, given: CreateUserInput): Promise<Outcome<store.UserRow>> {
  const input = { ...given, roles: [...new Set(given.roles)] };
  checkRoles(input.roles);
  const added = input.roles.filter((r) => privilegedRoles(s).includes(r));
  if (!added.length) return { performed: true, result: await createUser(s.db, actor, input) };
  if (await store.getByUsername(s.db, input.username)) {
    throw new DomainError("username_taken", messages.users.usernameTaken(input.username), {}, "conflict");
  }
  const payload: PrivilegedRolePayload = {
    kind: "create", username: input.username, fullName: input.fullName, email: input.email ?? null, roles: input.roles, added,
  };
  return s.db.transaction((trx) => requestOrPerform(s, trx, actor, "user.privileged_role", payload, (t) => createUser(t as Knex, actor, input)));
}

/** Replaces a user's roles now, or (when a privileged role is added) after a second administrator's approval. */
export async function requestSetRoles(s: Services, actor: Actor, userId: string, given: Role[]): Promise<Outcome<store.UserRow>> {
  const roles = [...new Set(given)];
  checkRoles(roles);
  if (!can(actor, "user.roles", { id: userId })) {
    throw new DomainError("self_role_change", messages.users.selfRoleChange, {}, "forbidden");
  }
  const user = await store.get(s.db, userId);
  if (!user) throw new DomainError("user_not_found", messages.users.userNotFound(userId), {}, "not_found");
  const before = await store.rolesOf(s.db, userId);
  const added = roles.filter((r) => privilegedRoles(s).includes(r) && !before.includes(r));
  if (!added.length) return { performed: true, result: await setUserRoles(s.db, actor, userId, roles) };
  const payload: PrivilegedRolePayload = {
    kind: "roles", userId, username: user.username, fullName: user.full_name, email: user.email, roles, added,
  };
  return s.db.transaction((trx) => requestOrPerform(s, trx, actor, "user.privileged_role", payload, (t) => setUserRoles(t as Knex, actor, userId, roles)));
}
