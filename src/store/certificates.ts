import { insertMany, type Db } from "./db";
import { indexSearchText } from "./publicSearchIndex";

/** Certificates (table `certificates`): plain rows in and out. Serial: lower-case hex, no leading zeros. */
export interface CertificateRow {
  serial: string;
  ca_name: string;
  status: "pending" | "issued" | "revoked" | "void";
  profile: string;
  dossier_id: string | null;
  subscriber_index: number | null;
  asset_index: number | null;
  subject_dn: string | null;
  subject_cn: string | null;
  subject_o: string | null;
  email: string | null;
  uid: string | null;
  search_text: string | null;
  /** Holder and agency only, unaccented: what the public website searches (never identity numbers). */
  public_search_text?: string | null;
  key_algorithm: string | null;
  not_before: string | null;
  not_after: string | null;
  der: Buffer | null;
  sha256: string | null;
  replaces_serial: string | null;
  replaced_by_serial: string | null;
  revoked_at: string | null;
  revocation_reason: number | null;
  invalidity_date: string | null;
  handed_over_at: string | null;
  published_at: string | null;
  device_id: string | null;
  created_at: string;
  created_by: string | null;
  subject_json: string | null;
  tbs: Buffer | null;
  key_generation: string | null;
  idempotency_key: string | null;
  batch_id: string | null;
  issued_at: string | null;
  revocation_comment: string | null;
  revoked_by: string | null;
}

export type NewCertificateRow = Partial<CertificateRow> & Pick<CertificateRow, "serial" | "ca_name" | "status" | "profile" | "created_at">;

export const get = (db: Db, serial: string): Promise<CertificateRow | undefined> => db("certificates").where({ serial }).first();

export const getByIdempotencyKey = (db: Db, key: string): Promise<CertificateRow | undefined> =>
  db("certificates").where({ idempotency_key: key }).first();

/**
 * Inserts certificate rows and the words of their public_search_text (the public name search),
 * unless `searchIndex` is false (the caller indexes them later, many at once).
 */
export async function insert(db: Db, rows: NewCertificateRow | NewCertificateRow[], opts: { searchIndex?: boolean } = {}): Promise<void> {
  const list = Array.isArray(rows) ? rows : [rows];
  await insertMany(db, "certificates", list);
  if (opts.searchIndex !== false) await indexSearchText(db, list);
}

export const update = (db: Db, serial: string, patch: Partial<CertificateRow>) => db("certificates").where({ serial }).update(patch);

export const pending = (db: Db, limit = 1000): Promise<CertificateRow[]> =>
  db("certificates").where({ status: "pending" }).orderBy("created_at").limit(limit);

export interface SearchFilter {
  serial?: string;
  text?: string;
  uid?: string;
  dossierId?: string;
  status?: string;
  caName?: string;
  profile?: string;
  expiresAfter?: string;
  expiresBefore?: string;
  limit: number;
  offset: number;
}

/** Search for the certificate list: every filter narrows; text matches the unaccented search_text. */
export async function search(db: Db, f: SearchFilter): Promise<{ items: CertificateRow[]; total: number }> {
  const base = db("certificates").modify((q) => {
    if (f.serial) q.where("serial", "like", `${f.serial}%`);
    if (f.text) for (const word of f.text.split(/\s+/).filter(Boolean)) q.where("search_text", "like", `%${word.replace(/[%_\\]/g, "")}%`);
    if (f.uid) q.where((w) => w.where("uid", f.uid!).orWhere("uid", "like", `%:${f.uid!.replace(/[%_\\]/g, "")}`));
    if (f.dossierId) q.where("dossier_id", f.dossierId);
    if (f.status) q.where("status", f.status);
    if (f.caName) q.where("ca_name", f.caName);
    if (f.profile) q.where("profile", f.profile);
    if (f.expiresAfter) q.where("not_after", ">=", f.expiresAfter);
    if (f.expiresBefore) q.where("not_after", "<", f.expiresBefore);
  });
  const [{ n }] = await base.clone().count({ n: "*" });
  const items = await base
    .clone()
    .select(
      "serial", "ca_name", "status", "profile", "dossier_id", "subscriber_index", "asset_index", "subject_dn", "subject_cn", "subject_o",
      "email", "uid", "key_algorithm", "not_before", "not_after", "sha256", "replaces_serial", "replaced_by_serial", "revoked_at",
      "revocation_reason", "invalidity_date", "created_at", "issued_at", "key_generation", "handed_over_at", "published_at", "subject_json",
    )
    .orderBy("created_at", "desc")
    .orderBy("serial")
    .limit(f.limit)
    .offset(f.offset);
  return { items, total: Number(n) };
}
