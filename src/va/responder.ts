import crypto from "node:crypto";
import { AsnConvert } from "@peculiar/asn1-schema";
import { OCSPRequest } from "@peculiar/asn1-ocsp";
import type { Services } from "../service";
import * as der from "../status/der";
import { certInfo } from "../status/certInfo";
import type { ServiceKey } from "../status/serviceKeys";

/**
 * The OCSP responder (RFC 6960, profiled by RFC 5019), a delegated responder per CA.
 *
 * RFC 5019 §2.2.1: responses are pre-produced and re-used: one signed response per certificate
 * (SHA-1 CertID, as RFC 5019 clients send), refreshed at half of its validity and re-signed as soon
 * as the certificate's status changes. A request that carries a nonce (RFC 8954) or asks for several
 * certificates gets a freshly signed response instead.
 *
 * RFC 6960 §2.2: a certificate the CA never issued is "unknown", never "good"; a CertID whose
 * issuerNameHash and issuerKeyHash do not both match the CA is "unknown" too. A request naming no
 * CA of ours gets "unauthorized" (RFC 5019 §2.2.3).
 */

// RFC 6960 §4.2.1 OCSPResponseStatus
export const OcspStatus = { successful: 0, malformedRequest: 1, internalError: 2, tryLater: 3, sigRequired: 5, unauthorized: 6 } as const;

const SHA1 = "1.3.14.3.2.26";
const SHA256 = "2.16.840.1.101.3.4.2.1";
const NONCE_OID = "1.3.6.1.5.5.7.48.1.2";
const HASHES: Record<string, "sha1" | "sha256"> = { [SHA1]: "sha1", [SHA256]: "sha256" };
/** The AlgorithmIdentifier bytes we pre-sign for (OID + NULL, what openssl and RFC 5019 clients send). */
const CANONICAL_ALG: Record<"sha1" | "sha256", Buffer> = { sha1: der.algorithm(SHA1), sha256: der.algorithm(SHA256) };

export const errorResponse = (status: number) => Buffer.from([0x30, 0x03, 0x0a, 0x01, status]);

export interface OcspAnswer {
  der: Buffer;
  /** Set when the response may be cached by HTTP intermediaries (no nonce). */
  cache?: { etag: string; thisUpdate: Date; nextUpdate: Date };
}

interface KnownCa {
  name: string;
  subjectDer: Buffer;
  hashes: Record<"sha1" | "sha256", { name: Buffer; key: Buffer }>;
}

/** A pre-signed response held in memory (the same object while it stays valid). */
export interface PresignedAnswer {
  readonly der: Buffer;
  readonly etag: string;
  readonly thisUpdate: Date;
  readonly nextUpdate: Date;
}

interface Cached {
  der: Buffer;
  etag: string;
  status: string;
  thisUpdate: Date;
  nextUpdate: Date;
  refreshAt: number;
  /** When the database must be read again for this certificate (see recheckAt()). */
  recheckAt: number;
}

/** 80–100 % of `recheckMs` after `nowMs`, at random (see OcspResponder.recheckAt). */
export const recheckTime = (nowMs: number, recheckMs: number) => nowMs + recheckMs * (0.8 + 0.2 * Math.random());

/** Memory entries that are gone: these keys, or every entry whose status is "good". */
export type Forgotten = { keys: string[] } | { allGood: true };

/** What another process needs to answer a request from its own memory (src/va/front). */
export interface MemoryEntry {
  /** The memory key: serial|hash. */
  key: string;
  status: string;
  der: Buffer;
  etag: string;
  thisUpdate: Date;
  nextUpdate: Date;
  refreshAt: number;
}

type CertStatus = { status: "good" } | { status: "unknown" } | { status: "revoked"; revokedAt: string; reason: number | null };

const MEMORY_MAX = 200_000;
/** Serials per query of the memory check (flushRechecks). */
const RECHECK_BATCH = 500;
const HOUR = 3600_000;

export class OcspResponder {
  private cas: KnownCa[] = [];
  private casLoadedAt = 0;
  private memory = new Map<string, Cached>();
  /** Lookups under way, by serial|hash: a burst of requests for one certificate costs one query. */
  private inFlight = new Map<string, Promise<Cached>>();
  /** Exact request bytes (RFC 5019 clients repeat them) → the memory key of their pre-signed answer. */
  private byRequest = new Map<string, string>();
  /** Memory entries due for their database check, by memory key (see flushRechecks). */
  private due = new Map<string, Cached>();
  /** The batched check under way (flushRechecks), if any: it takes every entry that falls due meanwhile. */
  private checking?: Promise<void>;
  private timer?: NodeJS.Timeout;
  /** Told which memory entries are gone (src/va/front keeps copies of them in other processes). */
  private forgetListeners: ((forgotten: Forgotten) => void)[] = [];
  /**
   * How long a memory entry is trusted before the database is consulted again (OCSP_RECHECK_SECONDS:
   * another node's revocation is answered within this time, plus one database read).
   */
  private readonly recheckMs: number;

  constructor(private s: Services) {
    this.recheckMs = s.config.OCSP_RECHECK_SECONDS * 1000;
  }

  private async knownCas(): Promise<KnownCa[]> {
    if (Date.now() - this.casLoadedAt < 60_000 && this.cas.length) return this.cas;
    const rows: { name: string; certificate: Buffer }[] = await this.s.db("cas").where({ active: true }).select("name", "certificate");
    this.cas = rows.map((r) => {
      const info = certInfo(Buffer.from(r.certificate));
      const h = (alg: string, b: Buffer) => crypto.createHash(alg).update(b).digest();
      return {
        name: r.name, subjectDer: info.subjectDer,
        hashes: {
          sha1: { name: h("sha1", info.subjectDer), key: h("sha1", info.publicKeyBits) },
          sha256: { name: h("sha256", info.subjectDer), key: h("sha256", info.publicKeyBits) },
        },
      };
    });
    this.casLoadedAt = Date.now();
    return this.cas;
  }

  /**
   * The pre-signed response for exactly these request bytes when memory holds one still within its
   * refresh time (RFC 5019 clients repeat their request bytes): no parsing, no promise, no
   * allocation but the key. Undefined when the request must go through respond().
   * An entry due for its database check (recheckAt) is still answered, and queued for the batched
   * check (flushRechecks): every request for it waiting on its own read instead — 64 connections
   * cycling through 1,000 certificates — cut the throughput by two thirds for seconds after each
   * interval, and a thousand single reads at once still held the event loop (p99 20–75 ms).
   */
  answerFromMemory(request: Buffer | undefined): PresignedAnswer | undefined {
    const mk = this.keyInMemory(request);
    if (mk === undefined) return undefined;
    const hit = this.memory.get(mk)!;
    if (Date.now() >= hit.recheckAt) this.queueCheck(mk, hit);
    return hit;
  }

  /** The memory key whose entry answers exactly these request bytes, while within its refresh time. */
  private keyInMemory(request: Buffer | undefined): string | undefined {
    if (!request || request.length > 512) return undefined;
    const mk = this.byRequest.get(request.toString("latin1"));
    const entry = mk ? this.memory.get(mk) : undefined;
    if (!entry || entry.status === "unknown" || Date.now() >= entry.refreshAt) return undefined;
    return mk;
  }

  private queueCheck(mk: string, entry: Cached) {
    if (this.due.has(mk)) return;
    this.due.set(mk, entry);
    this.checking ??= new Promise((r) => setImmediate(r))
      .then(() => this.flushRechecks())
      .finally(() => (this.checking = undefined));
  }

  /** The memory entry that answers exactly these request bytes, for another process's memory. */
  entryFor(request: Buffer | undefined): MemoryEntry | undefined {
    const mk = this.keyInMemory(request);
    if (mk === undefined) return undefined;
    const e = this.memory.get(mk)!;
    return { key: mk, status: e.status, der: e.der, etag: e.etag, thisUpdate: e.thisUpdate, nextUpdate: e.nextUpdate, refreshAt: e.refreshAt };
  }

  /**
   * Another process answered these entries from its copy past their recheck time: they get the
   * same batched database check as here; an entry no longer in memory is reported as forgotten,
   * so the copy goes too and the next request comes here.
   */
  touch(keys: string[]): void {
    const gone: string[] = [];
    for (const mk of keys) {
      const e = this.memory.get(mk);
      if (e) this.queueCheck(mk, e);
      else gone.push(mk);
    }
    if (gone.length) this.forgot({ keys: gone });
  }

  /** Calls `fn` whenever memory entries are dropped or replaced. */
  onForget(fn: (forgotten: Forgotten) => void): () => void {
    this.forgetListeners.push(fn);
    return () => (this.forgetListeners = this.forgetListeners.filter((f) => f !== fn));
  }

  /** Drops these memory entries (those present) and tells the listeners which went. */
  private dropFromMemory(keys: Iterable<string>) {
    const gone: string[] = [];
    for (const k of keys) if (this.memory.delete(k)) gone.push(k);
    this.forgot({ keys: gone });
  }

  private forgot(f: Forgotten) {
    if ("keys" in f && f.keys.length === 0) return;
    for (const fn of this.forgetListeners) {
      try {
        fn(f);
      } catch (err) {
        this.s.log.error({ err }, "OCSP memory listener failed");
      }
    }
  }

  /** Resolves once the memory checks queued so far have been done. */
  async rechecksDone(): Promise<void> {
    while (this.checking) await this.checking;
  }

  /**
   * When an entry read from the database at `nowMs` is read again: after 80–100 % of recheckMs, at
   * random, so that entries loaded together (a burst of new clients, a restart) do not all fall due
   * in the same instant.
   */
  private recheckAt(nowMs: number): number {
    return recheckTime(nowMs, this.recheckMs);
  }

  /**
   * The database check of the memory entries that fell due, RECHECK_BATCH serials per query: an
   * entry whose certificate still has the status it was signed for is trusted for another interval
   * (the same object, so the fast path's prepared replies stay); one whose status changed (revoked
   * by another node) leaves memory, and the next request for it is answered and re-signed from the
   * database. On a database error the entries are left to fall due again on their next request.
   */
  private async flushRechecks(): Promise<void> {
    while (this.due.size) {
      const batch = [...this.due].slice(0, RECHECK_BATCH);
      try {
        const serials = [...new Set(batch.map(([mk]) => mk.slice(0, mk.indexOf("|"))))];
        const rows: { serial: string; status: string }[] = await this.s.db("certificates").whereIn("serial", serials).select("serial", "status");
        const statusOf = new Map(rows.map((r) => [r.serial, r.status]));
        const nowMs = Date.now();
        const changed: string[] = [];
        for (const [mk, entry] of batch) {
          if (this.memory.get(mk) !== entry) continue; // replaced meanwhile
          if (statusOf.get(mk.slice(0, mk.indexOf("|"))) === (entry.status === "good" ? "issued" : entry.status)) entry.recheckAt = this.recheckAt(nowMs);
          else changed.push(mk);
        }
        this.dropFromMemory(changed);
      } catch (err) {
        this.s.log.error({ err }, "OCSP memory check failed");
      } finally {
        for (const [mk] of batch) this.due.delete(mk);
      }
    }
  }

  /** Answers an OCSPRequest (DER); never throws: failures are OCSP error statuses. */
  async respond(request: Uint8Array | undefined): Promise<OcspAnswer> {
    // Fast path: the same request bytes as before, answered from memory without parsing.
    const buf = request && (Buffer.isBuffer(request) ? request : Buffer.from(request));
    const hit = this.answerFromMemory(buf);
    if (hit) return { der: hit.der, cache: { etag: hit.etag, thisUpdate: hit.thisUpdate, nextUpdate: hit.nextUpdate } };
    const reqKey = buf && buf.length <= 512 ? buf.toString("latin1") : undefined;
    let parsed: ParsedRequest;
    try {
      parsed = parseRequest(request);
    } catch {
      return { der: errorResponse(OcspStatus.malformedRequest) };
    }
    try {
      return await this.answer(parsed, reqKey);
    } catch (err) {
      this.s.log.error({ err }, "OCSP response failed");
      return { der: errorResponse(OcspStatus.internalError) };
    }
  }

  private async answer(req: ParsedRequest, reqKey?: string): Promise<OcspAnswer> {
    const cas = await this.knownCas();
    // Which CA each CertID names: by both hashes (authoritative) or by one (then "unknown").
    const matches = req.certIds.map((c) => {
      if (!c.hash) return { c, ca: undefined, exact: false };
      for (const ca of cas) {
        const h = ca.hashes[c.hash];
        const n = h.name.equals(c.nameHash);
        const k = h.key.equals(c.keyHash);
        if (n || k) return { c, ca, exact: n && k };
      }
      return { c, ca: undefined, exact: false };
    });
    const ca = matches.find((m) => m.ca)?.ca;
    if (!ca) return { der: errorResponse(OcspStatus.unauthorized) };
    let key: ServiceKey;
    try {
      key = await this.s.status.keys.get("ocsp", ca.name);
    } catch (err) {
      this.s.log.error({ err, ca: ca.name }, "OCSP responder key unavailable");
      return { der: errorResponse(OcspStatus.tryLater) };
    }

    // RFC 5019 path: one certificate, no nonce → the pre-signed response.
    if (req.certIds.length === 1 && !req.nonce && matches[0].exact && matches[0].ca === ca) {
      const c = req.certIds[0];
      if (c.hash && c.algDer.equals(CANONICAL_ALG[c.hash]) && c.serialHex) {
        const hit = await this.presigned(ca, key, c.hash, c.serialHex, c.certIdDer);
        if (reqKey) {
          if (this.byRequest.size >= MEMORY_MAX) this.byRequest.clear();
          this.byRequest.set(reqKey, `${c.serialHex}|${c.hash}`);
        }
        return { der: hit.der, cache: { etag: hit.etag, thisUpdate: hit.thisUpdate, nextUpdate: hit.nextUpdate } };
      }
    }
    const singles: SingleInput[] = [];
    for (const m of matches) {
      const st: CertStatus = m.ca === ca && m.exact && m.c.serialHex ? await this.statusOf(ca.name, m.c.serialHex) : { status: "unknown" };
      singles.push({ certIdDer: m.c.certIdDer, status: st });
    }
    const now = this.now();
    const der = await this.sign(key, singles, now, req.nonce);
    return { der, cache: req.nonce ? undefined : { etag: etagOf(der), thisUpdate: now, nextUpdate: this.nextUpdate(now) } };
  }

  private now() {
    return new Date(Math.floor(Date.now() / 1000) * 1000);
  }
  private nextUpdate(now: Date) {
    return new Date(now.getTime() + this.s.config.OCSP_VALIDITY_HOURS * HOUR);
  }

  private async statusOf(caName: string, serialHex: string): Promise<CertStatus> {
    const row = await this.s.db("certificates").where({ serial: serialHex }).select("ca_name", "status", "revoked_at", "revocation_reason").first();
    return toStatus(caName, row);
  }

  /** The pre-signed response for (serial, hash): memory, then the database, then a new signature. */
  private async presigned(ca: KnownCa, key: ServiceKey, hash: "sha1" | "sha256", serial: string, certIdDer: Buffer): Promise<Cached> {
    const mk = `${serial}|${hash}`;
    const mem = this.memory.get(mk);
    const nowMs = Date.now();
    if (mem && nowMs < mem.recheckAt && nowMs < mem.refreshAt) return mem;
    // Concurrent requests for the same certificate share one lookup (and at most one signature).
    let p = this.inFlight.get(mk);
    if (!p) {
      p = this.lookup(ca, key, hash, serial, certIdDer, mk, mem).finally(() => this.inFlight.delete(mk));
      this.inFlight.set(mk, p);
    }
    return p;
  }

  private async lookup(ca: KnownCa, key: ServiceKey, hash: "sha1" | "sha256", serial: string, certIdDer: Buffer, mk: string, mem: Cached | undefined): Promise<Cached> {
    const nowMs = Date.now();
    const row = await this.s.db("certificates as c")
      .leftJoin("ocsp_responses as o", (j) => j.on("o.serial", "=", "c.serial").andOn("o.hash_alg", "=", this.s.db.raw("?", [hash])))
      .where("c.serial", serial)
      .select("c.ca_name", "c.status", "c.revoked_at", "c.revocation_reason", "o.der", "o.cert_status", "o.this_update", "o.next_update", "o.refresh_at")
      .first();
    const st = toStatus(ca.name, row);
    if (st.status === "unknown") {
      // Not stored: serials we never issued are answered from memory only (bounded).
      if (mem && mem.status === "unknown" && nowMs < mem.refreshAt) return this.remember(mk, { ...mem, recheckAt: this.recheckAt(nowMs) });
      return this.remember(mk, await this.signOne(key, certIdDer, st, Math.min(HOUR, (this.s.config.OCSP_VALIDITY_HOURS * HOUR) / 2)));
    }
    if (row.der && row.cert_status === rowStatus(st) && Date.parse(row.refresh_at) > nowMs) {
      const der = Buffer.from(row.der);
      return this.remember(mk, { der, etag: etagOf(der), status: st.status, thisUpdate: new Date(row.this_update), nextUpdate: new Date(row.next_update), refreshAt: Date.parse(row.refresh_at), recheckAt: this.recheckAt(nowMs) });
    }
    const fresh = await this.signOne(key, certIdDer, st);
    await this.store(serial, hash, ca.name, fresh);
    return this.remember(mk, fresh);
  }

  private remember(mk: string, c: Cached): Cached {
    if (this.memory.size >= MEMORY_MAX) {
      // Drop the oldest tenth (Map keeps insertion order).
      const oldest: string[] = [];
      for (const k of this.memory.keys()) if (oldest.push(k) >= MEMORY_MAX / 10) break;
      this.dropFromMemory(oldest);
    }
    this.dropFromMemory([mk]);
    this.memory.set(mk, c);
    return c;
  }

  private async signOne(key: ServiceKey, certIdDer: Buffer, st: CertStatus, refreshInMs?: number): Promise<Cached> {
    const now = this.now();
    const nextUpdate = this.nextUpdate(now);
    const der = await this.sign(key, [{ certIdDer, status: st }], now);
    const half = refreshInMs ?? (nextUpdate.getTime() - now.getTime()) / 2;
    return { der, etag: etagOf(der), status: st.status, thisUpdate: now, nextUpdate, refreshAt: now.getTime() + half, recheckAt: this.recheckAt(Date.now()) };
  }

  private responseRow(serial: string, hash: string, caName: string, c: Cached) {
    return { serial, hash_alg: hash, ca_name: caName, cert_status: c.status === "good" ? "issued" : c.status, this_update: c.thisUpdate.toISOString(), next_update: c.nextUpdate.toISOString(), refresh_at: new Date(c.refreshAt).toISOString(), der: c.der };
  }

  private async store(serial: string, hash: string, caName: string, c: Cached) {
    await this.s.db("ocsp_responses").insert(this.responseRow(serial, hash, caName, c)).onConflict(["serial", "hash_alg"]).merge();
  }

  /**
   * BasicOCSPResponse (RFC 6960 §4.2.1) written directly: ResponseData with responderID byKey
   * (RFC 5019 §2.2.3), producedAt, the SingleResponses with thisUpdate and nextUpdate (always set),
   * the nonce echoed when asked; signed by the delegated responder whose certificate is included.
   */
  private async sign(key: ServiceKey, singles: SingleInput[], now: Date, nonceExtension?: Buffer): Promise<Buffer> {
    const nextUpdate = this.nextUpdate(now);
    const thisUpdate = der.generalizedTime(now);
    const responses = singles.map((s) => der.seq(s.certIdDer, encodeStatus(s.status), thisUpdate, der.explicit(0, der.generalizedTime(nextUpdate))));
    const responderKeyHash = crypto.createHash("sha1").update(key.certificate.publicKeyBits).digest();
    const tbsParts = [der.explicit(2, der.octets(responderKeyHash)), thisUpdate, der.seq(...responses)];
    if (nonceExtension) tbsParts.push(der.explicit(1, der.seq(nonceExtension)));
    const tbs = der.seq(...tbsParts);
    const signature = await key.sign(tbs);
    const basic = der.seq(tbs, key.signatureAlgorithmDer, der.bitString(signature), der.explicit(0, der.seq(key.certificate.der)));
    return der.seq(der.enumerated(0), der.explicit(0, der.seq(der.oid("1.3.6.1.5.5.7.48.1.1"), der.octets(basic))));
  }

  /** Drops memory entries of a CA and re-signs stored responses whose certificate changed status. */
  async refreshChanged(caName: string): Promise<number> {
    const changed: { serial: string; hash_alg: string }[] = await this.s.db("ocsp_responses as o")
      .join("certificates as c", "c.serial", "o.serial")
      .where("o.ca_name", caName)
      .andWhereRaw("o.cert_status <> c.status")
      .select("o.serial", "o.hash_alg");
    this.dropFromMemory(changed.map((r) => `${r.serial}|${r.hash_alg}`));
    // Revocations of certificates never asked about still need their memory entry gone.
    for (const [k, v] of this.memory) if (v.status !== "revoked") this.memory.delete(k);
    this.forgot({ allGood: true });
    await this.presign(caName, { onlyChanged: true });
    return changed.length;
  }

  /**
   * Pre-signs responses: missing (SHA-1 CertID, RFC 5019), due for refresh (half-life), or stale
   * (status changed). Signatures run in parallel on the thread pool.
   */
  async presign(caName: string, opts: { onlyChanged?: boolean; limit?: number } = {}): Promise<number> {
    const { db } = this.s;
    const ca = (await this.knownCas()).find((c) => c.name === caName);
    if (!ca) return 0;
    const nowIso = new Date().toISOString();
    let key: ServiceKey | undefined;
    let done = 0;
    const limit = opts.limit ?? 100_000;
    while (done < limit) {
      const rows: { serial: string; hash_alg: string | null; status: string; revoked_at: string | null; revocation_reason: number | null }[] = await db("certificates as c")
        .leftJoin("ocsp_responses as o", "o.serial", "c.serial")
        .where("c.ca_name", caName)
        .whereIn("c.status", ["issued", "revoked"])
        .andWhere((q) => {
          q.whereRaw("o.cert_status <> c.status");
          // Expired certificates are still answered on demand, but no longer kept pre-signed.
          if (!opts.onlyChanged) {
            q.orWhere((due) => due.where((w) => w.where("o.refresh_at", "<=", nowIso).orWhereNull("o.serial")).andWhere("c.not_after", ">=", nowIso));
          }
        })
        .select("c.serial", "o.hash_alg", "c.status", "c.revoked_at", "c.revocation_reason")
        .limit(500);
      if (!rows.length) break;
      key ??= await this.s.status.keys.get("ocsp", caName);
      const signingKey = key;
      const signed = await Promise.all(
        rows.map(async (r) => {
          const hash = (r.hash_alg ?? "sha1") as "sha1" | "sha256";
          const st = toStatus(caName, { ca_name: caName, ...r });
          const certIdDer = der.seq(CANONICAL_ALG[hash], der.octets(ca.hashes[hash].name), der.octets(ca.hashes[hash].key), der.intHex(r.serial));
          return { serial: r.serial, hash, c: await this.signOne(signingKey, certIdDer, st) };
        }),
      );
      // One transaction per page, rows written 100 at a time (not one commit per response).
      await db.transaction(async (trx) => {
        for (let i = 0; i < signed.length; i += 100) {
          await trx("ocsp_responses")
            .insert(signed.slice(i, i + 100).map((x) => this.responseRow(x.serial, x.hash, caName, x.c)))
            .onConflict(["serial", "hash_alg"])
            .merge();
        }
      });
      this.dropFromMemory(signed.map((x) => `${x.serial}|${x.hash}`));
      done += rows.length;
    }
    return done;
  }

  /** healthChecks.ocsp: stored responses past their nextUpdate mean the pre-signing stopped. */
  async health(): Promise<import("../service").HealthResult> {
    const nowIso = new Date().toISOString();
    const r = await this.s.db("ocsp_responses").where("next_update", "<=", nowIso).count({ n: "*" }).first();
    const due = await this.s.db("ocsp_responses").where("refresh_at", "<=", nowIso).count({ n: "*" }).first();
    const expired = Number(r?.n ?? 0);
    return { status: expired ? "degraded" : "ok", critical: false, expiredResponses: expired, dueForRefresh: Number(due?.n ?? 0), cached: this.memory.size };
  }

  async tick() {
    for (const ca of await this.knownCas()) {
      if (!(await this.s.status.signers(ca.name).catch(() => undefined))) continue;
      try {
        await this.presign(ca.name);
      } catch (err) {
        this.s.log.error({ err, ca: ca.name }, "OCSP pre-signing failed");
      }
    }
  }

  start(intervalMs = 5 * 60_000) {
    const run = () => void this.tick().catch((err) => this.s.log.error({ err }, "OCSP pre-signing failed"));
    this.timer = setInterval(run, intervalMs);
    this.timer.unref();
    setTimeout(run, 5_000).unref();
  }

  stop() {
    if (this.timer) clearInterval(this.timer);
  }
}

/** The `certificates.status` a response reflects (what ocsp_responses.cert_status stores). */
const rowStatus = (st: CertStatus) => (st.status === "good" ? "issued" : st.status);

const etagOf = (b: Buffer) => `"${crypto.createHash("sha256").update(b).digest("base64url").slice(0, 27)}"`;

function toStatus(caName: string, row: { ca_name: string; status: string; revoked_at: string | null; revocation_reason: number | null } | undefined): CertStatus {
  if (!row || row.ca_name !== caName) return { status: "unknown" };
  if (row.status === "issued") return { status: "good" };
  if (row.status === "revoked" && row.revoked_at) return { status: "revoked", revokedAt: row.revoked_at, reason: row.revocation_reason === null ? null : Number(row.revocation_reason) };
  return { status: "unknown" }; // pending or void: never issued
}

/** CertStatus ::= CHOICE { good [0] IMPLICIT NULL, revoked [1] IMPLICIT RevokedInfo, unknown [2] IMPLICIT NULL } */
function encodeStatus(st: CertStatus): Buffer {
  if (st.status === "good") return Buffer.from([0x80, 0x00]);
  if (st.status === "unknown") return Buffer.from([0x82, 0x00]);
  const parts = [der.generalizedTime(new Date(st.revokedAt))];
  if (st.reason !== null && st.reason > 0 && st.reason <= 10 && st.reason !== 7) parts.push(der.explicit(0, der.enumerated(st.reason)));
  return der.implicitConstructed(1, ...parts);
}

interface SingleInput {
  certIdDer: Buffer;
  status: CertStatus;
}

interface ParsedCertId {
  certIdDer: Buffer;
  algDer: Buffer;
  hash?: "sha1" | "sha256";
  nameHash: Buffer;
  keyHash: Buffer;
  serialHex?: string;
}

interface ParsedRequest {
  certIds: ParsedCertId[];
  /** The whole nonce Extension, echoed as is (RFC 8954). */
  nonce?: Buffer;
}

/** Parses with @peculiar/asn1-ocsp (schema check) and keeps each CertID's exact bytes to echo. */
export function parseRequest(input: Uint8Array | undefined): ParsedRequest {
  if (!input || input.length < 2 || input.length > 64 * 1024) throw new der.DerError("empty");
  const buf = Buffer.from(input);
  const top = der.readTlv(buf, 0);
  if (top.end !== buf.length) throw new der.DerError("trailing bytes");
  const parsed = AsnConvert.parse(buf, OCSPRequest);
  if (!parsed.tbsRequest.requestList.length || parsed.tbsRequest.requestList.length > 100) throw new der.DerError("request count");
  const [tbs] = der.children(buf, top);
  const tbsKids = der.children(buf, tbs);
  const list = tbsKids.find((k) => k.tag === 0x30)!;
  const certIds = der.children(buf, list).map((reqTlv) => {
    const [cid] = der.children(buf, reqTlv);
    const [alg, nameHash, keyHash, serial] = der.children(buf, cid);
    const [algOid] = der.children(buf, alg);
    const oidDotted = oidToString(der.content(buf, algOid));
    const serialBytes = der.content(buf, serial);
    const negative = serialBytes.length === 0 || (serialBytes[0] & 0x80) !== 0;
    const serialHex = negative ? undefined : BigInt("0x" + serialBytes.toString("hex")).toString(16);
    return {
      certIdDer: Buffer.from(der.raw(buf, cid)), algDer: Buffer.from(der.raw(buf, alg)), hash: HASHES[oidDotted],
      nameHash: Buffer.from(der.content(buf, nameHash)), keyHash: Buffer.from(der.content(buf, keyHash)),
      serialHex: serialHex === "0" ? undefined : serialHex,
    };
  });
  let nonce: Buffer | undefined;
  const extsTlv = tbsKids.find((k) => k.tag === 0xa2);
  if (extsTlv) {
    const [exts] = der.children(buf, extsTlv);
    for (const e of der.children(buf, exts)) {
      const [id] = der.children(buf, e);
      if (der.raw(buf, id).equals(der.oid(NONCE_OID))) {
        if (e.end - e.start > 200) throw new der.DerError("nonce too long"); // RFC 8954 §2.1: 1..32 octets
        nonce = Buffer.from(der.raw(buf, e));
      }
    }
  }
  return { certIds, nonce };
}

function oidToString(b: Buffer): string {
  const arcs: number[] = [];
  let v = 0;
  for (const byte of b) {
    v = v * 128 + (byte & 0x7f);
    if (!(byte & 0x80)) {
      arcs.push(v);
      v = 0;
    }
  }
  if (!arcs.length) return "";
  const first = arcs[0] < 80 ? Math.floor(arcs[0] / 40) : 2;
  return [first, arcs[0] - first * 40, ...arcs.slice(1)].join(".");
}
