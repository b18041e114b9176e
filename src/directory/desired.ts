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
