import type { Db } from "../store/db";

/**
 * The latest full and delta CRL of a CA, read from the `crls` table that the status service
 * (issue "status": CRL building) owns. Until that table exists the CA entry simply has no CRL.
 *
 * Columns (status branch, migrations/20261125001400_status.ts): ca_name, number (one sequence per CA
 * shared by full and delta CRLs), kind ('full' | 'delta'), der (the signed CRL).
 */
export interface CaCrls {
  full?: Buffer;
  delta?: Buffer;
}

let columnsCache: WeakMap<object, Promise<Record<string, unknown> | null>> = new WeakMap();

async function crlColumns(db: Db): Promise<Record<string, unknown> | null> {
  const client = (db as any).client as object;
  let p = columnsCache.get(client);
  if (!p) {
    p = (async () => ((await db.schema.hasTable("crls")) ? ((await db("crls").columnInfo()) as Record<string, unknown>) : null))();
    columnsCache.set(client, p);
  }
  const cols = await p;
  if (!cols) columnsCache.delete(client); // the table may be created later (migration of another module)
  return cols;
}

export async function latestCrls(db: Db, caName: string): Promise<CaCrls> {
  const cols = await crlColumns(db);
  if (!cols || !("der" in cols) || !("ca_name" in cols)) return {};
  const deltaCol = "is_delta" in cols ? "is_delta" : "delta" in cols ? "delta" : "kind" in cols ? "kind" : null;
  const order = "number" in cols ? "number" : "crl_number" in cols ? "crl_number" : "this_update" in cols ? "this_update" : "created_at" in cols ? "created_at" : "der";
  const rows: Array<Record<string, unknown>> = await db("crls")
    .where({ ca_name: caName })
    .orderBy(order, "desc")
    .limit(20)
    .select(deltaCol ? ["der", deltaCol] : ["der"]);
  const isDelta = (r: Record<string, unknown>) =>
    deltaCol === null ? false : deltaCol === "kind" ? r.kind === "delta" : r[deltaCol] === true || r[deltaCol] === 1;
  const full = rows.find((r) => !isDelta(r));
  const delta = rows.find((r) => isDelta(r));
  const buf = (r?: Record<string, unknown>) => (r?.der ? Buffer.from(r.der as Uint8Array) : undefined);
  return { full: buf(full), delta: buf(delta) };
}

/** For tests that create the table after the first lookup. */
export const forgetCrlColumns = () => {
  columnsCache = new WeakMap();
};
