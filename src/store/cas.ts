import type { Db } from "./db";

/** Certificate authorities (table `cas`): plain rows in and out. */
export interface CaRow {
  name: string;
  role: "root" | "issuing";
  parent_name: string | null;
  subject_dn: string;
  certificate: Buffer;
  key_storage: "encrypted" | "pkcs11";
  key_encrypted: Buffer | null;
  key_ref: string | null;
  key_algorithm: string;
  not_before: string;
  not_after: string;
  development: boolean | number;
  active: boolean | number;
  created_at: string;
}

export const get = (db: Db, name: string): Promise<CaRow | undefined> => db("cas").where({ name }).first();

export const list = (db: Db): Promise<CaRow[]> => db("cas").orderBy([{ column: "role", order: "desc" }, { column: "created_at" }, { column: "name" }]);

export const count = async (db: Db): Promise<number> => Number((await db("cas").count({ n: "*" }))[0].n);

export const insert = (db: Db, row: CaRow) => db("cas").insert(row);

/** The issuing CA new certificates come from: the most recent active one. */
export const currentIssuing = (db: Db): Promise<CaRow | undefined> =>
  db("cas").where({ role: "issuing" }).andWhere("active", true).orderBy("created_at", "desc").first();
