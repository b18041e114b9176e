import type { Knex } from "knex";
import { certificateSearchText } from "../text/searchKey";

/**
 * Reads of published certificates for the public site. A certificate is published once its
 * device has been handed over (design.md §1 step 4): handed_over_at set, and issued or revoked.
 * Pending and void rows, and anything not yet handed over, never leave this module.
 */
export interface PublishedCertificateRow {
  serial: string;
  ca_name: string;
  status: string;
  subject_cn: string | null;
  subject_o: string | null;
  email: string | null;
  der: Buffer;
  sha256: string | null;
  not_before: string | null;
  not_after: string | null;
  revoked_at: string | null;
  revocation_reason: number | null;
  handed_over_at: string | null;
}

const columns = [
  "serial", "ca_name", "status", "subject_cn", "subject_o", "email", "der", "sha256",
  "not_before", "not_after", "revoked_at", "revocation_reason", "handed_over_at",
];

const published = (db: Knex) =>
  db("certificates").select(columns).whereNotNull("handed_over_at").whereIn("status", ["issued", "revoked"]).whereNotNull("der");

export const getPublished = (db: Knex, serial: string): Promise<PublishedCertificateRow | undefined> =>
  published(db).where({ serial }).first();

/** Any certificate we issued, published or not (the online check answers for the file it is given). */
export const getIssued = (db: Knex, serial: string): Promise<PublishedCertificateRow | undefined> =>
  db("certificates").select(columns).where({ serial }).whereIn("status", ["issued", "revoked"]).first();

export const findPublishedByEmail = (db: Knex, email: string, limit: number): Promise<PublishedCertificateRow[]> =>
  published(db).where({ email: email.toLowerCase() }).orderBy("not_before", "desc").limit(limit);

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * Every word must occur in the holder or agency (search_text is already unaccented). Two steps:
 * the serials from the covering index certificates_search_text_index (no table read), then the
 * rows of at most `limit` certificates.
 */
export async function findPublishedByText(db: Knex, words: string[], limit: number): Promise<PublishedCertificateRow[]> {
  let q = db("certificates").select("serial").whereIn("status", ["issued", "revoked"]).whereNotNull("handed_over_at");
  for (const w of words) q = q.whereRaw("search_text like ? escape '\\'", [`%${escapeLike(w)}%`]);
  const serials: string[] = (await q.orderBy("not_before", "desc").limit(limit)).map((r: { serial: string }) => r.serial);
  if (serials.length === 0) return [];
  return published(db).whereIn("serial", serials).orderBy("not_before", "desc");
}

/**
 * Fills search_text where the issuer left it empty (holder and agency as in the certificate).
 * Cheap when there is nothing to do: search_text is indexed, so "is null" is an index probe.
 */
export async function fillSearchText(db: Knex, batch = 500): Promise<number> {
  let total = 0;
  for (;;) {
    const rows: { serial: string; subject_cn: string | null; subject_o: string | null }[] = await db("certificates")
      .select("serial", "subject_cn", "subject_o")
      .whereNull("search_text")
      .whereIn("status", ["issued", "revoked"])
      .limit(batch);
    if (rows.length === 0) return total;
    await db.transaction(async (trx) => {
      for (const r of rows) {
        await trx("certificates").where({ serial: r.serial }).update({ search_text: certificateSearchText(r.subject_cn, r.subject_o) });
      }
    });
    total += rows.length;
    if (rows.length < batch) return total;
  }
}

export interface CaRow {
  name: string;
  role: string;
  parent_name: string | null;
  subject_dn: string;
  certificate: Buffer;
  not_before: string;
  not_after: string;
  active: boolean | number;
}

export const listCas = (db: Knex): Promise<CaRow[]> =>
  db("cas").select("name", "role", "parent_name", "subject_dn", "certificate", "not_before", "not_after", "active").orderBy([{ column: "role", order: "desc" }, "name"]);

export const getCa = (db: Knex, name: string): Promise<CaRow | undefined> =>
  db("cas").select("name", "role", "parent_name", "subject_dn", "certificate", "not_before", "not_after", "active").where({ name }).first();

export interface CrlRow {
  caName: string;
  delta: boolean;
  number: string | null;
  thisUpdate: string | null;
  nextUpdate: string | null;
}

/**
 * The current CRLs, if the status service has created its table. Read tolerantly: the table
 * belongs to the status capability, and until it exists the page says "chưa phát hành".
 */
export async function listCurrentCrls(db: Knex): Promise<CrlRow[]> {
  if (!(await db.schema.hasTable("crls"))) return [];
  try {
    const rows: Record<string, unknown>[] = await db("crls").select("*");
    const pick = (r: Record<string, unknown>, ...keys: string[]) => {
      for (const k of keys) if (r[k] !== undefined && r[k] !== null) return r[k];
      return null;
    };
    const latest = new Map<string, CrlRow>();
    for (const r of rows) {
      const kind = String(pick(r, "kind", "type") ?? "");
      const crl: CrlRow = {
        caName: String(pick(r, "ca_name", "issuer", "ca") ?? ""),
        delta: kind === "delta" || Boolean(pick(r, "delta", "is_delta")),
        number: pick(r, "number", "crl_number") === null ? null : String(pick(r, "number", "crl_number")),
        thisUpdate: (pick(r, "this_update", "thisUpdate") as string | null) ?? null,
        nextUpdate: (pick(r, "next_update", "nextUpdate") as string | null) ?? null,
      };
      const key = `${crl.caName}|${crl.delta}`;
      const prev = latest.get(key);
      if (!prev || String(crl.thisUpdate ?? "") > String(prev.thisUpdate ?? "")) latest.set(key, crl);
    }
    return [...latest.values()];
  } catch {
    return [];
  }
}
