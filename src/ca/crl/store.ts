import type { Db } from "../../store/db";
import type { RevokedEntry } from "./build";

export interface CrlRow {
  id: number;
  ca_name: string;
  number: number;
  kind: "full" | "delta";
  base_number: number | null;
  this_update: string;
  next_update: string;
  entries: number;
  revoked_total: number;
  max_revoked_at: string | null;
  der?: Buffer;
  sha256: string;
  created_at: string;
}

const META = ["id", "ca_name", "number", "kind", "base_number", "this_update", "next_update", "entries", "revoked_total", "max_revoked_at", "sha256", "created_at"];

const normalise = (r: any): CrlRow | undefined =>
  r && { ...r, number: Number(r.number), base_number: r.base_number === null ? null : Number(r.base_number), entries: Number(r.entries), revoked_total: Number(r.revoked_total) };

/** The newest CRL of a kind for a CA, without its DER. */
export const latest = async (db: Db, caName: string, kind: "full" | "delta"): Promise<CrlRow | undefined> =>
  normalise(await db("crls").select(META).where({ ca_name: caName, kind }).orderBy("number", "desc").first());

export const derOf = async (db: Db, id: number): Promise<Buffer | undefined> => {
  const r = await db("crls").select("der").where({ id }).first();
  return r ? Buffer.from(r.der) : undefined;
};

export const lastNumber = async (db: Db, caName: string): Promise<number> => {
  const r = await db("crls").where({ ca_name: caName }).max({ n: "number" }).first();
  return r?.n === null || r?.n === undefined ? 0 : Number(r.n);
};

export const insert = (db: Db, row: Omit<CrlRow, "id">) => db("crls").insert(row);

/** What the revocations of a CA look like now: changes when anything is revoked (coalescing). */
export async function revocationSnapshot(db: Db, caName: string): Promise<{ total: number; maxRevokedAt: string | null }> {
  const r = await db("certificates").where({ ca_name: caName, status: "revoked" }).count({ n: "*" }).max({ m: "revoked_at" }).first();
  return { total: Number(r?.n ?? 0), maxRevokedAt: (r?.m as string | null) ?? null };
}

/**
 * Revoked certificates of a CA in pages, by keyset on the serial (never OFFSET, never everything):
 * unexpired ones (RFC 5280 §5.1.2.6 lets a CA drop expired entries), and for a delta CRL only those
 * revoked since `revokedSince`.
 */
export async function* revokedPages(db: Db, caName: string, opts: { notExpiredAt: string; revokedSince?: string; pageSize?: number }): AsyncGenerator<RevokedEntry[]> {
  const size = opts.pageSize ?? 10_000;
  let after = "";
  for (;;) {
    const rows: { serial: string; revoked_at: string; revocation_reason: number | null; invalidity_date: string | null }[] = await db("certificates")
      .select("serial", "revoked_at", "revocation_reason", "invalidity_date")
      .where({ ca_name: caName, status: "revoked" })
      .andWhere("serial", ">", after)
      .andWhere((q) => q.whereNull("not_after").orWhere("not_after", ">=", opts.notExpiredAt))
      .modify((q) => {
        if (opts.revokedSince) q.andWhere("revoked_at", ">=", opts.revokedSince);
      })
      .orderBy("serial")
      .limit(size);
    if (!rows.length) return;
    after = rows[rows.length - 1].serial;
    yield rows.map((r) => ({ serial: r.serial, revokedAt: r.revoked_at, reason: r.revocation_reason === null ? null : Number(r.revocation_reason), invalidityDate: r.invalidity_date }));
    if (rows.length < size) return;
  }
}

/**
 * RFC 5280 §5.3.1: a certificate taken off hold since `since` is listed in a delta CRL with the
 * reason removeFromCRL (8). The release is known from the audit log (certificate.hold_released),
 * written by the CA core in the release's transaction; the certificate must still be valid (issued).
 */
export async function releasedFromHold(db: Db, caName: string, since: string): Promise<RevokedEntry[]> {
  const rows: { serial: string; at: string }[] = await db("audit_log as a")
    .join("certificates as c", "c.serial", "a.object_id")
    .where("a.action", "certificate.hold_released")
    .andWhere("a.at", ">=", since)
    .andWhere("c.ca_name", caName)
    .andWhere("c.status", "issued")
    .groupBy("a.object_id")
    .select({ serial: "a.object_id" })
    .max({ at: "a.at" });
  return rows.map((r) => ({ serial: r.serial, revokedAt: r.at, reason: 8, invalidityDate: null }));
}
