import type { Knex } from "knex";
import { certificateSearchText } from "../text/searchKey";
import { indexSearchText, serialsWithWord } from "./publicSearchIndex";

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

/**
 * Every word must occur in the holder or agency (public_search_text is already unaccented): for
 * each query word, the certificates from the word index (src/store/publicSearchIndex.ts); then the
 * published ones among them, newest first, and the rows of at most `limit` certificates.
 */
export async function findPublishedByText(db: Knex, words: string[], limit: number): Promise<PublishedCertificateRow[]> {
  // Written so that no index on status, handed_over_at or not_before can be used (<>, coalesce and
  // the expression are not sargable): the planner then starts from the word index, not a scan.
  let q = db("certificates")
    .select("serial")
    .whereRaw("status <> 'pending' and status <> 'void' and coalesce(handed_over_at, '') <> ''");
  for (const w of words) q = q.whereIn("serial", serialsWithWord(db, w));
  const serials: string[] = (await q.orderByRaw("coalesce(not_before, '') desc").limit(limit)).map((r: { serial: string }) => r.serial);
  if (serials.length === 0) return [];
  // By primary key only: with status in the WHERE the planner could pick the status index.
  const rows: PublishedCertificateRow[] = await db("certificates").select(columns).whereIn("serial", serials);
  const order = new Map(serials.map((s, i) => [s, i]));
  return rows.filter((r) => r.der).sort((a, b) => order.get(a.serial)! - order.get(b.serial)!);
}

/**
 * Fills public_search_text (holder and agency as in the certificate, nothing else) for rows that
 * do not have it yet (rows from before issuance wrote it). Cheap when there is nothing to do: the column leads an index, so "is null"
 * is an index probe. The subject does not change after issuance, so once filled it stays right.
 */
export async function fillPublicSearchText(db: Knex, batch = 500): Promise<number> {
  let total = 0;
  for (;;) {
    const rows: { serial: string; subject_cn: string | null; subject_o: string | null }[] = await db("certificates")
      .select("serial", "subject_cn", "subject_o")
      .whereNull("public_search_text")
      .whereIn("status", ["issued", "revoked"])
      .limit(batch);
    if (rows.length === 0) return total;
    await db.transaction(async (trx) => {
      const filled = rows.map((r) => ({ serial: r.serial, public_search_text: certificateSearchText(r.subject_cn, r.subject_o) }));
      for (const r of filled) await trx("certificates").where({ serial: r.serial }).update({ public_search_text: r.public_search_text });
      await indexSearchText(trx, filled);
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
 * The current complete and delta CRL of each CA (the status capability's crls table: ca_name,
 * number, kind full | delta, this_update, next_update). Until that table exists the page says
 * "chưa phát hành". Only the columns needed: a CRL's DER may be large.
 */
export async function listCurrentCrls(db: Knex): Promise<CrlRow[]> {
  if (!(await db.schema.hasTable("crls"))) return [];
  const latest = db("crls").select("ca_name", "kind").max({ number: "number" }).groupBy("ca_name", "kind").as("l");
  const rows: { ca_name: string; kind: string; number: string | number; this_update: string; next_update: string }[] = await db("crls as c")
    .join(latest, function () {
      this.on("c.ca_name", "=", "l.ca_name").andOn("c.kind", "=", "l.kind").andOn("c.number", "=", "l.number");
    })
    .select("c.ca_name", "c.kind", "c.number", "c.this_update", "c.next_update");
  return rows.map((r) => ({
    caName: r.ca_name, delta: r.kind === "delta", number: String(r.number), thisUpdate: r.this_update, nextUpdate: r.next_update,
  }));
}
