export const ROLES = ["admin", "clerk", "reviewer", "ca_operator", "device_officer", "auditor"] as const;
export type Role = (typeof ROLES)[number];

/** Who is acting: a signed-in user, or the system itself (workers, start-up). */
export interface Actor {
  id: string;
  username: string;
  roles: Role[];
}

export const systemActor: Actor = { id: "system", username: "system", roles: [] };
/**
 * The operator at the CA host's command line (`chungthu users …`, direct database access): the
 * bootstrap and key-ceremony path that creates users and tokens outside the API's rules.
 */
export const cliActor: Actor = { id: "cli", username: "cli", roles: [] };

export const hasRole = (actor: Actor, ...roles: Role[]) => roles.some((r) => actor.roles.includes(r));
