import type { Db } from "./db";
import type { Role } from "../auth/actor";

export interface UserRow {
  id: string;
  username: string;
  full_name: string;
  email: string | null;
  active: boolean | number;
  created_at: string;
  created_by: string | null;
}

export interface TokenRow {
  id: string;
  user_id: string;
  token_hash: string;
  label: string | null;
  created_at: string;
  expires_at: string | null;
  revoked_at: string | null;
  last_used_at: string | null;
}

export const get = (db: Db, id: string): Promise<UserRow | undefined> => db("users").where({ id }).first();
export const getByUsername = (db: Db, username: string): Promise<UserRow | undefined> =>
  db("users").where({ username }).first();
export const count = async (db: Db) => Number((await db("users").count({ n: "*" }))[0].n);
export const list = (db: Db): Promise<UserRow[]> => db("users").orderBy("username");

export async function insert(db: Db, row: UserRow, roles: Role[]): Promise<void> {
  await db("users").insert(row);
  if (roles.length) await db("user_roles").insert(roles.map((role) => ({ user_id: row.id, role })));
}

export async function rolesOf(db: Db, userId: string): Promise<Role[]> {
  const rows: { role: Role }[] = await db("user_roles").where({ user_id: userId }).orderBy("role");
  return rows.map((r) => r.role);
}

export async function setRoles(db: Db, userId: string, roles: Role[]): Promise<void> {
  await db("user_roles").where({ user_id: userId }).delete();
  if (roles.length) await db("user_roles").insert(roles.map((role) => ({ user_id: userId, role })));
}

export const insertToken = (db: Db, row: TokenRow) => db("api_tokens").insert(row);
export const tokenByHash = (db: Db, hash: string): Promise<TokenRow | undefined> =>
  db("api_tokens").where({ token_hash: hash }).first();
export const touchToken = (db: Db, id: string, at: string) => db("api_tokens").where({ id }).update({ last_used_at: at });
export const revokeToken = (db: Db, id: string, at: string) =>
  db("api_tokens").where({ id }).whereNull("revoked_at").update({ revoked_at: at });
export const tokensOf = (db: Db, userId: string): Promise<TokenRow[]> =>
  db("api_tokens").where({ user_id: userId }).orderBy("created_at");
