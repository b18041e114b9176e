import crypto from "node:crypto";
import type { Services, HealthResult } from "../../service";
import * as audit from "../../audit/audit";
import * as outbox from "../../outbox/outbox";
import { systemActor } from "../../auth/actor";
import { buildCrl } from "./build";
import * as crls from "./store";

/** A CRL as served: bytes plus what the HTTP caching headers need. */
export interface ServedCrl {
  number: number;
  der: Buffer;
  etag: string;
  thisUpdate: Date;
  nextUpdate: Date;
}

/** Entries revoked this long before the base CRL's thisUpdate are repeated in the delta (commit races). */
const DELTA_MARGIN_MS = 10 * 60_000;
const HOUR = 3600_000;

/** A delta CRL lists what was revoked since its base, then what was taken off hold (removeFromCRL). */
async function* deltaPages(db: Services["db"], caName: string, nowIso: string, since: string) {
  yield* crls.revokedPages(db, caName, { notExpiredAt: nowIso, revokedSince: since });
  const released = await crls.releasedFromHold(db, caName, since);
  if (released.length) yield released;
}

/** The public path of a CA's delta CRL (documented in the README). */
export const deltaCrlPath = (ca: string) => `/crl/${encodeURIComponent(ca)}/delta.crl`;
export const fullCrlPath = (ca: string) => `/crl/${encodeURIComponent(ca)}.crl`;

/**
 * Issues the complete and delta CRLs of each CA (RFC 5280 §5):
 * - on revocation (job `crl.regenerate`), coalesced: a job finding that the newest CRL already
 *   reflects every revocation of the CA does nothing, so a burst of revocations yields few CRLs;
 * - on a schedule: every CRL_REISSUE_HOURS, valid CRL_VALIDITY_HOURS, so consecutive CRLs overlap.
 * The delta CRL issued with each complete CRL lists what was revoked since the previous complete CRL
 * (its BaseCRLNumber), so a relying party holding that one only needs the small delta.
 */
export class CrlService {
  private served = new Map<string, ServedCrl>();
  private timer?: NodeJS.Timeout;
  private running = new Map<string, Promise<unknown>>();

  constructor(private s: Services) {}

  /** Issues a new full + delta CRL for the CA unless the newest one is current. Returns the numbers issued. */
  async regenerate(caName: string, opts: { force?: boolean } = {}): Promise<{ full?: number; delta?: number }> {
    // One build per CA at a time in this process; the unique (ca_name, number) guards other nodes.
    const prev = this.running.get(caName);
    if (prev) await prev.catch(() => undefined);
    const p = this.doRegenerate(caName, opts);
    this.running.set(caName, p);
    try {
      return await p;
    } finally {
      if (this.running.get(caName) === p) this.running.delete(caName);
    }
  }

  private async doRegenerate(caName: string, opts: { force?: boolean }): Promise<{ full?: number; delta?: number }> {
    const { db, config, log } = this.s;
    const signer = await this.s.status.signers(caName);
    if (!signer) throw new Error(`no signer for CA ${caName}`);
    const snapshot = await crls.revocationSnapshot(db, caName);
    const last = await crls.latest(db, caName, "full");
    const now = new Date(Math.floor(Date.now() / 1000) * 1000);
    if (
      !opts.force && last && last.revoked_total === snapshot.total && last.max_revoked_at === snapshot.maxRevokedAt &&
      now.getTime() < Date.parse(last.this_update) + config.CRL_REISSUE_HOURS * HOUR &&
      now.getTime() < Date.parse(last.next_update) - Math.max(0, config.CRL_VALIDITY_HOURS - config.CRL_REISSUE_HOURS) * HOUR
    ) {
      return {};
    }
    const nextUpdate = new Date(now.getTime() + config.CRL_VALIDITY_HOURS * HOUR);
    const number = (await crls.lastNumber(db, caName)) + 1;
    const t0 = Date.now();
    const full = await buildCrl(
      { signer, number, thisUpdate: now, nextUpdate, freshestCrlUrl: config.publicBaseUrl + deltaCrlPath(caName) },
      crls.revokedPages(db, caName, { notExpiredAt: now.toISOString() }),
    );
    const baseNumber = last?.number ?? number;
    const since = last ? new Date(Date.parse(last.this_update) - DELTA_MARGIN_MS).toISOString() : now.toISOString();
    const delta = await buildCrl(
      { signer, number: number + 1, thisUpdate: now, nextUpdate, baseNumber },
      deltaPages(db, caName, now.toISOString(), since),
    );
    const sha = (b: Buffer) => crypto.createHash("sha256").update(b).digest("hex");
    await db.transaction(async (trx) => {
      const common = { ca_name: caName, this_update: now.toISOString(), next_update: nextUpdate.toISOString(), revoked_total: snapshot.total, max_revoked_at: snapshot.maxRevokedAt, created_at: new Date().toISOString() };
      await crls.insert(trx, { ...common, number, kind: "full", base_number: null, entries: full.entries, der: full.der, sha256: sha(full.der) });
      await crls.insert(trx, { ...common, number: number + 1, kind: "delta", base_number: baseNumber, entries: delta.entries, der: delta.der, sha256: sha(delta.der) });
      await audit.append(trx, {
        actor: systemActor, action: "crl.issued", objectType: "ca", objectId: caName,
        details: { number, deltaNumber: number + 1, baseNumber, entries: full.entries, deltaEntries: delta.entries, thisUpdate: common.this_update, nextUpdate: common.next_update },
      });
      await outbox.enqueue(trx, { kind: "directory.publishCrl", payload: { ca: caName }, dedupeKey: `directory.publishCrl:${caName}:${number}` });
    });
    log.info({ ca: caName, number, entries: full.entries, deltaEntries: delta.entries, ms: Date.now() - t0 }, "CRL issued");
    return { full: number, delta: number + 1 };
  }

  /** The newest CRL of a kind, from memory when its number has not changed. */
  async current(caName: string, kind: "full" | "delta"): Promise<ServedCrl | undefined> {
    const row = await crls.latest(this.s.db, caName, kind);
    if (!row) return undefined;
    const key = `${caName}\u0000${kind}`;
    const cached = this.served.get(key);
    if (cached && cached.number === row.number) return cached;
    const der = await crls.derOf(this.s.db, row.id);
    if (!der) return undefined;
    const served = { number: row.number, der, etag: `"${row.sha256.slice(0, 32)}"`, thisUpdate: new Date(row.this_update), nextUpdate: new Date(row.next_update) };
    this.served.set(key, served);
    return served;
  }

  /** Active CAs whose key is loaded here. */
  private async signingCas(): Promise<string[]> {
    const names: string[] = (await this.s.db("cas").where({ active: true }).select("name")).map((r: { name: string }) => r.name);
    const out: string[] = [];
    for (const n of names) if (await this.s.status.signers(n).catch(() => undefined)) out.push(n);
    return out;
  }

  /** The schedule: a CA whose newest CRL is older than CRL_REISSUE_HOURS (or missing) gets a new one. */
  async tick(): Promise<void> {
    for (const ca of await this.signingCas()) {
      try {
        await this.regenerate(ca);
      } catch (err) {
        this.s.log.error({ err, ca }, "CRL issuance failed");
      }
    }
  }

  start(intervalMs = 60_000) {
    const run = () => void this.tick().catch((err) => this.s.log.error({ err }, "CRL schedule failed"));
    this.timer = setInterval(run, intervalMs);
    this.timer.unref();
    setTimeout(run, 2_000).unref();
  }

  stop() {
    if (this.timer) clearInterval(this.timer);
  }

  /** healthChecks.crl: a CA past its nextUpdate (or with no CRL though its key is here) is degraded. */
  async health(): Promise<HealthResult> {
    const now = Date.now();
    const cas: { name: string }[] = await this.s.db("cas").where({ active: true }).select("name");
    const overdue: { ca: string; nextUpdate: string }[] = [];
    const missing: string[] = [];
    const fresh: { ca: string; number: number; nextUpdate: string }[] = [];
    for (const { name } of cas) {
      const last = await crls.latest(this.s.db, name, "full");
      if (!last) {
        if (await this.s.status.signers(name).catch(() => undefined)) missing.push(name);
      } else if (Date.parse(last.next_update) <= now) overdue.push({ ca: name, nextUpdate: last.next_update });
      else fresh.push({ ca: name, number: last.number, nextUpdate: last.next_update });
    }
    const status = overdue.length || missing.length ? "degraded" : "ok";
    return { status, critical: false, overdue, missing, fresh };
  }
}
