import type { Knex } from "knex";
import type { Config } from "../config";
import type { Logger } from "../log";
import type { HealthResult } from "../service";
import { nowIso, type Db } from "../store/db";
import { enqueue } from "../outbox/outbox";
import { DirectoryClient, DirectoryUnavailable } from "./client";
import { caEntry, casContainer, baseEntry, CERT_ATTR, CA_CERT_ATTR, CRL_ATTR, DELTA_CRL_ATTR, isPublishable, type CaRow, type DirEntry } from "./dit";
import { loadDesired, loadHolder, loadHolders } from "./desired";
import { latestCrls } from "./crlSource";
import { DirectoryIndex } from "./searchIndex";
import { diffTrees, type EntryDiff } from "./diff";
import { dnKey, parseDn } from "./dn";
import * as audit from "../audit/audit";
import { loadPersonKey } from "./personKey";

/**
 * The directory as the rest of the service sees it: publish, unpublish, publish a CRL, reconcile.
 * Two targets behind one interface:
 * - embedded (LDAP_URL unset): the in-memory index the embedded LDAP server answers from, kept in
 *   step with the database (a publish re-reads the holder's rows and replaces the entry);
 * - external (LDAP_URL set): an OpenLDAP server, changed value by value, idempotently.
 * It only carries out decisions: what is publishable is decided by the rows (dit.ts).
 */
export interface DriftReport {
  at: string;
  entries: number;
  /** Entries that differ between the directory and the database. */
  drift: number;
  /** Expired certificates whose removal was queued. */
  expiredQueued: number;
  error?: string;
}

export class Directory {
  readonly mode: "embedded" | "external";
  readonly base: string;
  /** The secret key of person RDNs (personKey.ts). */
  readonly personKey: Buffer;
  readonly index = new DirectoryIndex();
  readonly client?: DirectoryClient;
  lastReconcile?: DriftReport;
  /** DNs known to exist in the external directory (chain entries), to skip lookups. */
  private known = new Set<string>();

  constructor(config: Config, private readonly log: Logger) {
    this.base = config.LDAP_BASE_DN;
    this.personKey = loadPersonKey(config);
    this.mode = config.LDAP_URL ? "external" : "embedded";
    if (config.LDAP_URL) {
      this.client = new DirectoryClient({
        url: config.LDAP_URL, bindDn: config.LDAP_BIND_DN, password: config.LDAP_BIND_PASSWORD,
        startTls: config.LDAP_STARTTLS, log,
      });
    }
  }

  /** Loads the embedded index from the database (no-op for an external directory). */
  async load(db: Db): Promise<void> {
    if (this.mode !== "embedded") return;
    this.index.replaceAll((await loadDesired(db, this.base, this.personKey)).values());
  }

  /**
   * Called after certificates are in the directory (and marked published), e.g. by the RA to close
   * their dossier: with one serial from publishCertificate(), with a whole batch's (up to 1,000)
   * from the batched publisher. A listener that throws makes the publish jobs retry (publishing is idempotent), so
   * listeners must be idempotent too.
   */
  readonly publishedListeners: Array<(db: Db, serials: string[]) => Promise<void>> = [];

  private async markPublished(db: Db, serial: string) {
    await db("certificates").where({ serial }).whereNull("published_at").update({ published_at: nowIso() });
    for (const l of this.publishedListeners) await l(db, [serial]);
  }

  /** Publishes a handed-over, issued certificate (and refreshes its holder's attributes). */
  async publishCertificate(db: Db, serial: string): Promise<void> {
    const h = await loadHolder(db, this.base, this.personKey, serial);
    if (!h) return;
    const publishable = isPublishable(h.row, new Date());
    if (this.mode === "embedded") {
      this.refreshHolder(h.placement.chain, h.entry);
      if (publishable) await this.markPublished(db, serial);
      return;
    }
    if (!publishable) {
      // Revoked or expired before the job ran: make sure it is not there.
      if (h.row.status === "revoked" || h.row.status === "issued") await this.removeValue(h.entry.dn, h.row.der!);
      return;
    }
    const client = this.client!;
    await this.ensureChain(h.placement.chain);
    const existing = await client.read(h.entry.dn, ["objectClass"]);
    if (!existing) {
      if (await client.add(h.entry)) {
        this.known.add(dnKey(h.entry.dn));
        await this.markPublished(db, serial);
        return;
      }
    }
    // Keep the holder's other attributes in step with the newest certificate, then add this value.
    const changes = Object.entries(h.entry.attributes)
      .filter(([attr]) => attr !== "objectClass" && attr !== CERT_ATTR)
      .map(([attr, values]) => ({ op: "replace" as const, attr, values }));
    await client.modify(h.entry.dn, changes);
    await client.addValue(h.entry.dn, CERT_ATTR, Buffer.from(h.row.der!));
    await this.markPublished(db, serial);
  }

  /**
   * Publishes many certificates (the outbox's batched directory.publish); returns the serials
   * that failed, with their error (the others are published, or have nothing to publish).
   * Embedded: one read of the rows per 250 (loadHolders), the entries replaced in memory, one
   * UPDATE per 250 for published_at. External: certificate by certificate as publishCertificate();
   * once the directory is unavailable the rest of the batch fails with that error at once (they
   * are retried with backoff), while an LDAP error on one entry fails that certificate alone.
   */
  async publishCertificates(db: Db, serials: string[]): Promise<Map<string, unknown>> {
    const failures = new Map<string, unknown>();
    if (this.mode === "external") {
      let down: unknown;
      for (const serial of serials) {
        if (down) {
          failures.set(serial, down);
          continue;
        }
        try {
          await this.publishCertificate(db, serial);
        } catch (err) {
          failures.set(serial, err);
          if (err instanceof DirectoryUnavailable) down = err;
        }
      }
      return failures;
    }
    // In parts of 250, the next part's rows read while this part's entries are built: the
    // database works on its thread while this one builds entries.
    const PART = 250;
    const parts: string[][] = [];
    for (let i = 0; i < serials.length; i += PART) parts.push(serials.slice(i, i + PART));
    const load = (k: number) => {
      const p = loadHolders(db, this.base, this.personKey, parts[k]);
      p.catch(() => undefined); // awaited below; never an unhandled rejection meanwhile
      return p;
    };
    let next = parts.length ? load(0) : undefined;
    const seen = new Set<string>();
    const publishedAll: string[] = [];
    for (let k = 0; k < parts.length; k++) {
      const holders = await next!;
      next = k + 1 < parts.length ? load(k + 1) : undefined;
      const now = new Date();
      const published: string[] = [];
      for (const [serial, h] of holders) {
        if (!h) continue;
        try {
          this.refreshHolder(h.placement.chain, h.entry, seen, h.placement.key);
          if (isPublishable(h.row, now)) published.push(serial);
        } catch (err) {
          failures.set(serial, err);
        }
      }
      if (published.length) {
        await db("certificates").whereIn("serial", published).whereNull("published_at").update({ published_at: nowIso() });
        publishedAll.push(...published);
      }
    }
    if (publishedAll.length) for (const l of this.publishedListeners) await l(db, publishedAll);
    return failures;
  }

  /** Removes a revoked or expired certificate: that one value, never the attribute. */
  async unpublishCertificate(db: Db, serial: string): Promise<void> {
    const h = await loadHolder(db, this.base, this.personKey, serial);
    if (!h) return;
    if (isPublishable(h.row, new Date())) {
      this.log.warn({ serial }, "directory.unpublish for a certificate that is still valid: kept");
      return;
    }
    if (this.mode === "embedded") {
      this.refreshHolder(h.placement.chain, h.entry);
      return;
    }
    await this.removeValue(h.entry.dn, h.row.der!);
  }

  private async removeValue(dn: string, der: Buffer | Uint8Array) {
    await this.client!.deleteValue(dn, CERT_ATTR, Buffer.from(der));
  }

  /** Publishes a CA's certificate and its newest full and delta CRL, exactly as signed. */
  async publishCrl(db: Db, caName: string): Promise<void> {
    const ca: CaRow | undefined = await db("cas").select("name", "subject_dn", "certificate", "active").where({ name: caName }).first();
    if (!ca) return;
    const crls = await latestCrls(db, caName);
    const entry = caEntry(ca, this.base, crls.full, crls.delta);
    const chain = [baseEntry(this.base), casContainer(this.base)];
    if (this.mode === "embedded") {
      for (const c of chain) if (!this.index.get(c.dn)) this.index.put(c);
      this.index.put(entry);
      return;
    }
    await this.ensureChain(chain);
    if (await this.client!.add(entry)) return;
    const changes: Array<{ op: "replace"; attr: string; values: Array<Buffer> }> = [
      { op: "replace", attr: CA_CERT_ATTR, values: [Buffer.from(ca.certificate)] },
    ];
    if (crls.full) changes.push({ op: "replace", attr: CRL_ATTR, values: [crls.full] });
    if (crls.delta) changes.push({ op: "replace", attr: DELTA_CRL_ATTR, values: [crls.delta] });
    await this.client!.modify(entry.dn, changes);
  }

  /**
   * Puts the holder's entry (and the chain above it when absent); `seen` skips chain DNs a batch
   * already checked; `key` is the entry's dnKey when known (placementOf).
   */
  private refreshHolder(chain: DirEntry[], entry: DirEntry, seen?: Set<string>, key?: string) {
    for (const c of chain) {
      if (seen?.has(c.dn)) continue;
      if (!this.index.get(c.dn)) this.index.put(c);
      seen?.add(c.dn);
    }
    if (Object.keys(entry.attributes).length) this.index.put(entry, key);
    else this.index.remove(entry.dn);
  }

  private async ensureChain(chain: DirEntry[]) {
    for (const e of chain) {
      const k = dnKey(e.dn);
      if (this.known.has(k)) continue;
      if (!(await this.client!.read(e.dn, ["1.1"]))) await this.client!.add(e);
      this.known.add(k);
    }
  }

  /** The differences between the external directory and the database. */
  async diff(db: Db, onProgress?: (done: number, total: number) => void): Promise<EntryDiff[]> {
    if (!this.client) throw new Error("diff needs an external directory (LDAP_URL)");
    const desired = await loadDesired(db, this.base, this.personKey, new Date(), onProgress);
    const actual = await this.client.readTree(this.base);
    return diffTrees(desired, actual);
  }

  /** Applies a diff to the external directory; value by value, so a retry converges. */
  async apply(diffs: EntryDiff[], onProgress?: (done: number) => void): Promise<void> {
    const client = this.client!;
    let n = 0;
    for (const d of diffs) {
      if (d.change === "add") await client.add({ dn: d.dn, attributes: d.add });
      else if (d.change === "delete") await client.delete(d.dn);
      else {
        const oc = (m: Record<string, unknown>) => Object.keys(m).filter((a) => a.toLowerCase() === "objectclass");
        const rest = (m: Record<string, unknown>) => Object.keys(m).filter((a) => a.toLowerCase() !== "objectclass");
        await client.modify(d.dn, [
          ...oc(d.add).map((attr) => ({ op: "add" as const, attr, values: d.add[attr] })),
          ...rest(d.remove).map((attr) => ({ op: "delete" as const, attr, values: d.remove[attr] })),
          ...rest(d.add).map((attr) => ({ op: "add" as const, attr, values: d.add[attr] })),
          ...oc(d.remove).map((attr) => ({ op: "delete" as const, attr, values: d.remove[attr] })),
        ]);
      }
      this.known.delete(dnKey(d.dn));
      onProgress?.(++n);
    }
  }

  /**
   * Marks every publishable certificate as published (after a resync put them there) and returns
   * the serials it marked, for whoever settles their dossiers (the CLI has no module listeners).
   */
  async markAllPublished(db: Knex): Promise<string[]> {
    const due = () => db("certificates").whereNull("published_at").where({ status: "issued" }).whereNotNull("handed_over_at")
      .where((q) => q.whereNull("not_after").orWhere("not_after", ">", nowIso()));
    const serials: string[] = await due().pluck("serial");
    for (let i = 0; i < serials.length; i += 500) {
      await due().whereIn("serial", serials.slice(i, i + 500)).update({ published_at: nowIso() });
    }
    for (const l of this.publishedListeners) await l(db, serials);
    return serials;
  }

  /**
   * The periodic reconciliation: queues the removal of certificates that expired since they were
   * published, then measures drift (embedded: rebuilds the index and counts changed entries;
   * external: reads the tree and counts differing entries, which `directory resync` corrects).
   */
  async reconcile(db: Knex): Promise<DriftReport> {
    const at = nowIso();
    // Those that expired in the last week (the dedupe key makes repeats free; older ones were
    // queued by earlier runs, or are corrected by `directory resync`).
    const weekAgo = new Date(Date.now() - 7 * 86400_000).toISOString();
    const expired: { serial: string }[] = await db("certificates").select("serial")
      .where({ status: "issued" }).whereNotNull("published_at").where("not_after", "<=", at).where("not_after", ">", weekAgo);
    for (const { serial } of expired) {
      await enqueue(db, { kind: "directory.unpublish", payload: { serial, reason: "expired" }, dedupeKey: `directory.unpublish:${serial}:expired` });
    }
    let report: DriftReport;
    try {
      if (this.mode === "embedded") {
        const desired = await loadDesired(db, this.base, this.personKey);
        const drift = this.index.replaceAll(desired.values());
        report = { at, entries: this.index.size, drift, expiredQueued: expired.length };
      } else {
        let diffs = await this.diff(db);
        const moved = personEntryRepairs(diffs);
        if (moved.length) {
          // Person entries whose RDN changed (a new RDN key) or that a publish missed: old DN
          // removed, new one added. Other drift waits for `directory resync`.
          await this.apply(moved);
          const count = (c: string) => moved.filter((d) => d.change === c && isPersonDn(d.dn)).length;
          await audit.append(db, {
            actor: "system", action: "directory.repaired", objectType: "directory", objectId: "external",
            details: { what: "person_entries", added: count("add"), removed: count("delete") },
          });
          diffs = await this.diff(db);
        }
        report = { at, entries: -1, drift: diffs.length, expiredQueued: expired.length };
      }
    } catch (err) {
      report = { at, entries: -1, drift: -1, expiredQueued: expired.length, error: (err as Error).message };
    }
    this.lastReconcile = report;
    if (report.error) this.log.warn({ directory: report }, "directory reconciliation failed");
    else if (report.drift > 0) this.log.warn({ directory: report }, "directory drift: entries differ from the database");
    else this.log.debug({ directory: report }, "directory in step with the database");
    return report;
  }

  async health(url?: string): Promise<HealthResult> {
    const drift = this.lastReconcile
      ? { drift: this.lastReconcile.drift, lastReconciledAt: this.lastReconcile.at, ...(this.lastReconcile.error ? { reconcileError: this.lastReconcile.error } : {}) }
      : {};
    if (this.mode === "embedded") {
      // Drift here is what the last reconciliation corrected in memory (e.g. a missed job).
      return { status: "ok", mode: "embedded", url: url ?? null, entries: this.index.size, ...drift };
    }
    try {
      await this.client!.ping();
      const degraded = !!this.lastReconcile && this.lastReconcile.drift !== 0;
      return { status: degraded ? "degraded" : "ok", mode: "external", ...drift };
    } catch (err) {
      // An outage never blocks issuance or revocation: jobs wait in the outbox. Not critical.
      return { status: "down", critical: false, mode: "external", error: err instanceof DirectoryUnavailable ? err.message : String(err), ...drift };
    }
  }

  async close(): Promise<void> {
    await this.client?.close();
  }
}

/** A person entry: `uid=…,ou=people,…` (dit.ts). */
export function isPersonDn(dn: string): boolean {
  const rdns = parseDn(dn);
  return rdns.length > 2 && rdns[0][0].type.toLowerCase() === "uid" &&
    rdns[1][0].type.toLowerCase() === "ou" && rdns[1][0].value.toLowerCase() === "people";
}

/**
 * The part of a diff the periodic reconciliation repairs by itself: person entries to add (with
 * the containers above them that are missing) and stale person entries to delete — what a change
 * of the RDN key leaves behind (every person's entry under its old DN). Order is kept (additions
 * parents first, deletions last).
 */
export function personEntryRepairs(diffs: EntryDiff[]): EntryDiff[] {
  const adds = diffs.filter((d) => d.change === "add" && isPersonDn(d.dn));
  const ancestors = new Set<string>();
  for (const d of adds) {
    const rdns = parseDn(d.dn);
    for (let i = 1; i < rdns.length; i++) ancestors.add(dnKey(rdns.slice(i)));
  }
  return diffs.filter((d) =>
    (d.change === "add" && (isPersonDn(d.dn) || ancestors.has(dnKey(d.dn)))) ||
    (d.change === "delete" && isPersonDn(d.dn)));
}
