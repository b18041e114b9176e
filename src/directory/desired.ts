import type { Db } from "../store/db";
import { dnKey } from "./dn";
import {
  baseEntry, belongsInDirectory, caEntry, casContainer, CERTIFICATE_COLUMNS, holderEntry, placementOf, subjectOf,
  type CaRow, type CertificateRow, type DirEntry, type ParsedCertificate, type Placement,
} from "./dit";
import { latestCrls } from "./crlSource";

/**
 * What the directory must hold, computed from the database: the single source of truth for the
 * embedded server, the publish jobs and `directory resync`.
 */
export type DesiredDirectory = Map<string, DirEntry>;

const addEntry = (m: DesiredDirectory, e: DirEntry) => {
  const k = dnKey(e.dn);
  if (!m.has(k)) m.set(k, e);
};

export function parseCertificate(row: CertificateRow): ParsedCertificate | undefined {
  try {
    return { row, subject: subjectOf(row.der!) };
  } catch {
    return undefined; // a row whose DER does not parse is not published (resync reports it)
  }
}

export async function caEntries(db: Db, base: string): Promise<DirEntry[]> {
  const cas: CaRow[] = await db("cas").select("name", "subject_dn", "certificate", "active");
  const out: DirEntry[] = [];
  for (const ca of cas) {
    if (ca.active === false || ca.active === 0) continue;
    const crls = await latestCrls(db, ca.name);
    out.push(caEntry(ca, base, crls.full, crls.delta));
  }
  return out;
}

/** Every entry the directory must hold now. */
export async function loadDesired(db: Db, base: string, personKey: Buffer, now = new Date(), onProgress?: (done: number, total: number) => void): Promise<DesiredDirectory> {
  const rows: CertificateRow[] = await db("certificates")
    .select(CERTIFICATE_COLUMNS)
    .whereNotNull("handed_over_at")
    .whereIn("status", ["issued", "revoked"])
    .whereNotNull("der");
  const groups = new Map<string, { placement: Placement; certs: ParsedCertificate[] }>();
  let i = 0;
  for (const row of rows) {
    onProgress?.(++i, rows.length);
    // Parsing 100k certificates takes seconds: let OCSP, TSA and LDAP answer in between.
    if ((i & 511) === 0) await new Promise((r) => setImmediate(r));
    if (!belongsInDirectory(row)) continue;
    const pc = parseCertificate(row);
    if (!pc) continue;
    const placement = placementOf(row, pc.subject, base, personKey);
    const g = groups.get(placement.key);
    if (g) g.certs.push(pc);
    else groups.set(placement.key, { placement, certs: [pc] });
  }
  const m: DesiredDirectory = new Map();
  const cas = await caEntries(db, base);
  addEntry(m, baseEntry(base));
  if (cas.length) {
    addEntry(m, casContainer(base));
    for (const e of cas) addEntry(m, e);
  }
  for (const { placement, certs } of groups.values()) {
    for (const c of placement.chain) addEntry(m, c);
    addEntry(m, holderEntry(placement, certs, now));
  }
  return m;
}

/**
 * The holder entry of one certificate, with all its siblings (the same person's other
 * certificates), or undefined when the certificate is not (yet) in the directory.
 */
export async function loadHolder(db: Db, base: string, personKey: Buffer, serial: string, now = new Date()):
  Promise<{ row: CertificateRow; placement: Placement; entry: DirEntry } | undefined> {
  const row: CertificateRow | undefined = await db("certificates").select(CERTIFICATE_COLUMNS).where({ serial }).first();
  if (!row || !row.der) return undefined;
  const pc = parseCertificate(row);
  if (!pc) return undefined;
  const placement = placementOf(row, pc.subject, base, personKey);
  // Siblings share the identity (people) or the common name and agency (devices, organisations).
  const candidates: CertificateRow[] = await db("certificates")
    .select(CERTIFICATE_COLUMNS)
    .whereNotNull("handed_over_at")
    .whereIn("status", ["issued", "revoked"])
    .where((q) => {
      // Narrow by an indexed column that the holder's certificates share (uid, email), then keep
      // those that land on the same DN.
      if (placement.kind === "person" && row.uid) q.where({ uid: row.uid });
      else if (placement.kind === "person" && row.email) q.where({ email: row.email });
      else if (row.subject_cn) q.where({ subject_cn: row.subject_cn });
      else q.where({ serial });
    });
  const certs: ParsedCertificate[] = [];
  for (const c of candidates) {
    if (!belongsInDirectory(c)) continue;
    const p = parseCertificate(c);
    if (p && placementOf(c, p.subject, base, personKey).key === placement.key) certs.push(p);
  }
  if (!certs.length) return { row, placement, entry: { dn: placement.dn, attributes: {} } };
  return { row, placement, entry: holderEntry(placement, certs, now) };
}

export type Holder = { row: CertificateRow; placement: Placement; entry: DirEntry };

/** Rows per IN (…) list in the batch reads below. */
const IN_CHUNK = 500;

/**
 * loadHolder() for many certificates at once (the outbox's batched directory.publish): one read
 * of the certificates and one read of their holders' certificates per 500, each DER parsed once.
 * Same rule as loadHolder(): the siblings of a certificate share the indexed column it is narrowed
 * by (uid, else e-mail for people; the common name otherwise) and land on the same DN.
 */
export async function loadHolders(db: Db, base: string, personKey: Buffer, serials: string[], now = new Date()): Promise<Map<string, Holder | undefined>> {
  const out = new Map<string, Holder | undefined>();
  const parsed = new Map<string, { pc: ParsedCertificate; placement: Placement } | null>();
  const parse = (row: CertificateRow) => {
    let p = parsed.get(row.serial);
    if (p === undefined) {
      const pc = parseCertificate(row);
      p = pc ? { pc, placement: placementOf(row, pc.subject, base, personKey) } : null;
      parsed.set(row.serial, p);
    }
    return p;
  };
  const unique = [...new Set(serials)];
  const targets: CertificateRow[] = [];
  for (let i = 0; i < unique.length; i += IN_CHUNK) {
    targets.push(...(await db("certificates").select(CERTIFICATE_COLUMNS).whereIn("serial", unique.slice(i, i + IN_CHUNK))));
  }
  // How each target finds its siblings, as loadHolder() narrows them.
  type By = "uid" | "email" | "subject_cn" | "serial";
  const narrowing = (row: CertificateRow, kind: string): [By, string] =>
    kind === "person" && row.uid ? ["uid", row.uid]
    : kind === "person" && row.email ? ["email", row.email]
    : row.subject_cn ? ["subject_cn", row.subject_cn]
    : ["serial", row.serial];
  const wanted: Record<By, Set<string>> = { uid: new Set(), email: new Set(), subject_cn: new Set(), serial: new Set() };
  const plan: { row: CertificateRow; placement: Placement; by: By; value: string }[] = [];
  for (const row of targets) {
    if (!row.der) continue;
    const p = parse(row);
    if (!p) continue;
    const [by, value] = narrowing(row, p.placement.kind);
    wanted[by].add(value);
    plan.push({ row, placement: p.placement, by, value });
  }
  const candidates: Record<By, Map<string, CertificateRow[]>> = { uid: new Map(), email: new Map(), subject_cn: new Map(), serial: new Map() };
  const add = (by: By, c: CertificateRow) => {
    const k = String(c[by]);
    const list = candidates[by].get(k);
    if (list) list.push(c);
    else candidates[by].set(k, [c]);
  };
  // The targets were read above: their siblings' query leaves them out (most holders have one
  // certificate, so this halves what is read) and they are added back from memory.
  const skipTargets = targets.length <= 2 * IN_CHUNK;
  const sibling = (c: CertificateRow) => !!c.handed_over_at && (c.status === "issued" || c.status === "revoked");
  for (const by of Object.keys(wanted) as By[]) {
    const values = [...wanted[by]];
    for (let i = 0; i < values.length; i += IN_CHUNK) {
      // Only the narrowing column in SQL, so the planner takes its index (with the status and
      // handed_over_at conditions beside it, SQLite scanned by status: every issued certificate
      // for each batch); those conditions are checked here.
      const rows: CertificateRow[] = await db("certificates").select(CERTIFICATE_COLUMNS)
        .whereIn(by, values.slice(i, i + IN_CHUNK))
        .modify((q) => {
          if (skipTargets) q.whereNotIn("serial", targets.map((t) => t.serial));
        });
      for (const c of rows) if (sibling(c)) add(by, c);
    }
    if (skipTargets) for (const t of targets) if (sibling(t) && t[by] != null && wanted[by].has(String(t[by]))) add(by, t);
  }
  for (const { row, placement, by, value } of plan) {
    const certs: ParsedCertificate[] = [];
    for (const c of candidates[by].get(value) ?? []) {
      if (!belongsInDirectory(c)) continue;
      const p = parse(c);
      if (p && p.placement.key === placement.key) certs.push(p.pc);
    }
    out.set(row.serial, { row, placement, entry: certs.length ? holderEntry(placement, certs, now) : { dn: placement.dn, attributes: {} } });
  }
  for (const s of unique) if (!out.has(s)) out.set(s, undefined);
  return out;
}
