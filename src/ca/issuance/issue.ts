import type { Services } from "../../service";
import { certificateSearchText } from "../../text/searchKey";
import type { Actor } from "../../auth/actor";
import { DomainError } from "../../errors";
import { messages } from "../../messages";
import { nowIso, toJson, type Db } from "../../store/db";
import * as certificates from "../../store/certificates";
import { append } from "../../audit/audit";
import type { CaSigner } from "../signer";
import { checkKey, checkSubject, getProfile } from "../profiles";
import { searchTextOf, subjectDn, uidOf, type SubjectInfo } from "../subject";
import { newSerial } from "../serial";
import { encodeName } from "../x509/name";
import { assembleCertificate, buildTbs, parseCertificate, sha256Hex } from "../x509/certificate";
import { keyIdentifierOf, subjectAltName, subjectKeyIdentifier } from "../x509/extensions";
import { templateFor } from "./template";

/**
 * The issuance cycle (design.md §2, style.md §9, Boulder's ISSUANCE-CYCLE):
 *   1. check the request against the profile, choose a serial, build the TBSCertificate;
 *   2. commit the pending row (serial + TBS) and the audit entry "certificate.signing";
 *   3. sign;
 *   4. store the DER, status issued, audit "certificate.issued".
 * A crash between 2 and 4 leaves a pending row with its TBS: the recovery pass signs it (or voids
 * it when the key was generated here and is gone). Many items go through the same cycle in one
 * pass (batches): one transaction for their pending rows, parallel signatures, one for the results.
 */
export interface IssueItem {
  profile: string;
  subject: SubjectInfo;
  /** SubjectPublicKeyInfo DER of the subscriber's key. */
  spki: Buffer;
  keyGeneration: "csr" | "server" | "same-key";
  /** device profile: server | client | both */
  usage?: string;
  notAfter?: Date;
  validityYears?: number;
  /** Renewal: the validity may go beyond the new-certificate maximum, up to this date. */
  allowNotAfterUpTo?: Date;
  dossierId?: string;
  subscriberIndex?: number;
  assetIndex?: number;
  replacesSerial?: string;
  idempotencyKey?: string;
  batchId?: string;
}

export interface IssuedCertificate {
  serial: string;
  der: Buffer;
  caName: string;
  notBefore: string;
  notAfter: string;
  /** True when an earlier request with the same idempotency key already issued it. */
  existing?: boolean;
}

export async function caSigner(s: Services, caName?: string): Promise<CaSigner> {
  try {
    return caName ? await s.ca.signer(caName) : await s.ca.issuingSigner();
  } catch (err) {
    s.log.error({ err, caName }, "CA signer unavailable");
    throw new DomainError("ca_unavailable", messages.ca.caUnavailable, {}, "unavailable");
  }
}

const addYears = (d: Date, y: number) => {
  const r = new Date(d);
  r.setUTCFullYear(r.getUTCFullYear() + Math.floor(y));
  const frac = y - Math.floor(y);
  if (frac) r.setTime(r.getTime() + Math.round(frac * 365 * 86400_000));
  return r;
};

const isUniqueViolation = (e: unknown) => {
  const err = e as { code?: string; message?: string };
  return err.code === "23505" || err.code === "SQLITE_CONSTRAINT" || /UNIQUE constraint failed|duplicate key/i.test(err.message ?? "");
};

interface Prepared {
  item: IssueItem;
  serial: string;
  serialBytes: Buffer;
  tbs: Buffer;
  row: certificates.NewCertificateRow;
}

/** The profile checks alone (subject, key, usage): throws the DomainError a request would get. */
export function checkItem(item: IssueItem): void {
  const profile = getProfile(item.profile);
  checkSubject(profile, item.subject);
  checkKey(profile, item.spki);
  if (item.usage && !profile.usages?.[item.usage]) throw new DomainError("invalid_usage", messages.ca.profileNeeds(profile.name, Object.keys(profile.usages ?? {}).join("/") || "—"), { usage: item.usage });
}

/** Checks one item against its profile and builds its TBSCertificate (no I/O). */
export function prepare(s: Services, signer: CaSigner, actor: Actor | string, item: IssueItem, now: Date): Prepared {
  const profile = getProfile(item.profile);
  checkSubject(profile, item.subject);
  const keyName = checkKey(profile, item.spki);
  if (item.usage && !profile.usages?.[item.usage]) throw new DomainError("invalid_usage", messages.ca.profileNeeds(profile.name, Object.keys(profile.usages ?? {}).join("/") || "—"), { usage: item.usage });
  const notBefore = now;
  let notAfter = item.notAfter ?? addYears(notBefore, item.validityYears ?? profile.defaultValidityYears);
  const maxNew = addYears(notBefore, profile.maxValidityYears);
  if (notAfter > (item.allowNotAfterUpTo ?? maxNew)) throw new DomainError("validity_too_long", messages.ca.validityTooLong(profile.maxValidityYears), { maxYears: profile.maxValidityYears });
  const caNotAfter = signer.certificate.notAfter;
  if (notAfter > caNotAfter) throw new DomainError("beyond_ca_validity", messages.ca.beyondCaValidity, { caNotAfter: caNotAfter.toISOString() });
  if (notAfter <= notBefore) throw new DomainError("validity_invalid", messages.ca.validityTooLong(profile.maxValidityYears), {});
  notAfter = new Date(Math.floor(notAfter.getTime() / 1000) * 1000);

  const t = templateFor(s.config, signer, profile, { usage: item.usage, rsaKey: keyName.startsWith("rsa") });
  const { hex, bytes } = newSerial();
  const san = subjectAltName({ email: item.subject.email ? [item.subject.email] : [], dns: item.subject.dnsNames, ip: item.subject.ipAddresses });
  const tbs = buildTbs(t, {
    serial: bytes, notBefore, notAfter, subjectName: encodeName(item.subject), spki: item.spki,
    extensions: san ? [subjectKeyIdentifier(keyIdentifierOf(item.spki)), san] : [subjectKeyIdentifier(keyIdentifierOf(item.spki))],
  });
  const row: certificates.NewCertificateRow = {
    serial: hex, ca_name: signer.name, status: "pending", profile: profile.name,
    dossier_id: item.dossierId ?? null, subscriber_index: item.subscriberIndex ?? null, asset_index: item.assetIndex ?? null,
    subject_dn: subjectDn(item.subject), subject_cn: item.subject.commonName.slice(0, 200), subject_o: item.subject.organization?.slice(0, 200) ?? null,
    email: item.subject.email ?? null, uid: uidOf(item.subject) ?? null, search_text: searchTextOf(item.subject),
    public_search_text: certificateSearchText(item.subject.commonName, item.subject.organization ?? null), key_algorithm: keyName,
    not_before: notBefore.toISOString(), not_after: notAfter.toISOString(), replaces_serial: item.replacesSerial ?? null,
    created_at: nowIso(), created_by: typeof actor === "string" ? null : actor.id, subject_json: toJson(item.subject), tbs,
    key_generation: item.keyGeneration, idempotency_key: item.idempotencyKey ?? null, batch_id: item.batchId ?? null,
  };
  return { item, serial: hex, serialBytes: bytes, tbs, row };
}

/** Issues many certificates from one CA through the cycle above; results in the items' order. */
export interface IssueOptions {
  caName?: string;
  /**
   * Leave the words of the public name search to the caller, who indexes many certificates at
   * once (a batch at its end: src/ca/commands/batch.ts). The search shows handed-over
   * certificates only, and backfillSearchIndex() at start-up indexes any row left without words.
   */
  deferSearchIndex?: boolean;
}

export async function issueCertificates(s: Services, actor: Actor | string, items: IssueItem[], opts: IssueOptions = {}): Promise<IssuedCertificate[]> {
  if (items.length === 0) return [];
  const signer = await caSigner(s, opts.caName);
  const now = new Date(Math.floor(Date.now() / 1000) * 1000);
  const results: (IssuedCertificate | undefined)[] = new Array(items.length);

  // An item whose idempotency key already has a certificate is answered with it, not issued again.
  const todo: number[] = [];
  const keys = items.map((it) => it.idempotencyKey).filter((k): k is string => !!k);
  const byKey = new Map<string, certificates.CertificateRow>();
  for (let i = 0; i < keys.length; i += 500) {
    const rows: certificates.CertificateRow[] = await s.db("certificates").whereIn("idempotency_key", keys.slice(i, i + 500));
    for (const r of rows) byKey.set(r.idempotency_key!, r);
  }
  for (let i = 0; i < items.length; i++) {
    const key = items[i].idempotencyKey;
    const existing = key ? byKey.get(key) : undefined;
    if (existing && existing.status !== "void" && existing.der) {
      results[i] = { serial: existing.serial, der: Buffer.from(existing.der), caName: existing.ca_name, notBefore: existing.not_before!, notAfter: existing.not_after!, existing: true };
    } else todo.push(i);
  }

  let prepared: Prepared[] = [];
  // 1–2: pending rows + audit, committed before any signature. A serial collision (unique
  // constraint) re-draws every serial of the chunk and tries again.
  for (let attempt = 0; ; attempt++) {
    prepared = todo.map((i) => prepare(s, signer, actor, items[i], now));
    try {
      await s.db.transaction(async (trx) => {
        await certificates.insert(trx, prepared.map((p) => p.row), { searchIndex: !opts.deferSearchIndex });
        const serials = prepared.map((p) => p.serial);
        await append(trx, {
          actor, action: "certificate.signing", objectType: "certificate", objectId: serials.length === 1 ? serials[0] : `batch:${serials.length}`,
          details: {
            ca: signer.name, serials, profiles: [...new Set(prepared.map((p) => p.row.profile))],
            ...(prepared.length === 1 ? { subject: prepared[0].row.subject_dn, dossierId: prepared[0].row.dossier_id } : {}),
            ...(items[0].batchId ? { batchId: items[0].batchId } : {}),
          },
        });
      });
      break;
    } catch (err) {
      if (!isUniqueViolation(err) || attempt >= 4) throw err;
      // An idempotency key taken meanwhile by a concurrent request: answer with that certificate.
      for (const p of prepared) {
        const key = p.item.idempotencyKey;
        if (key && (await certificates.getByIdempotencyKey(s.db, key))) {
          throw new DomainError("issuance_in_progress", messages.ca.notIssued(key, "pending"), { idempotencyKey: key }, "conflict");
        }
      }
    }
  }

  // 3: sign (WebCrypto runs on the thread pool: the signatures proceed in parallel).
  let ders: Buffer[];
  try {
    ders = await Promise.all(prepared.map(async (p) => assembleCertificate(p.tbs, signer.signatureAlgorithmDer, await signer.sign(p.tbs))));
  } catch (err) {
    s.log.error({ err }, "signing failed; voiding the pending certificates");
    await s.db.transaction(async (trx) => {
      for (const p of prepared) await certificates.update(trx, p.serial, { status: "void", tbs: null, idempotency_key: null });
      await append(trx, { actor, action: "certificate.voided", objectType: "certificate", objectId: prepared[0].serial, details: { serials: prepared.map((p) => p.serial), reason: "signing failed" } });
    });
    throw new DomainError("issuance_failed", messages.ca.issuanceFailed, {}, "unavailable");
  }

  // 4: store the DER and mark issued.
  const issuedAt = nowIso();
  await s.db.transaction(async (trx) => {
    // One UPDATE per 100 certificates (CASE … WHEN), not one per row. PostgreSQL cannot infer the
    // type of a bound value in a CASE branch, so the DER is cast to bytea there (SQLite needs none).
    const binary = (trx.client.config.client as string) === "pg" ? "?::bytea" : "?";
    for (let i = 0; i < prepared.length; i += 100) {
      const part = prepared.slice(i, i + 100);
      const derCase = part.map(() => `WHEN ? THEN ${binary}`).join(" ");
      const hashCase = part.map(() => "WHEN ? THEN ?").join(" ");
      await trx("certificates")
        .whereIn("serial", part.map((p) => p.serial))
        .andWhere("status", "pending")
        .update({
          status: "issued",
          issued_at: issuedAt,
          tbs: null,
          der: trx.raw(`CASE serial ${derCase} END`, part.flatMap((p, k) => [p.serial, ders[i + k]])),
          sha256: trx.raw(`CASE serial ${hashCase} END`, part.flatMap((p, k) => [p.serial, sha256Hex(ders[i + k])])),
        });
    }
    await append(trx, {
      actor, action: "certificate.issued", objectType: "certificate", objectId: prepared.length === 1 ? prepared[0].serial : `batch:${prepared.length}`,
      details: { ca: signer.name, serials: prepared.map((p) => p.serial) },
    });
  });
  prepared.forEach((p, k) => {
    results[todo[k]] = { serial: p.serial, der: ders[k], caName: signer.name, notBefore: p.row.not_before!, notAfter: p.row.not_after! };
  });
  return results as IssuedCertificate[];
}

export async function issueCertificate(s: Services, actor: Actor | string, item: IssueItem, opts: { caName?: string } = {}): Promise<IssuedCertificate> {
  return (await issueCertificates(s, actor, [item], opts))[0];
}

/**
 * Recovery after a crash: every pending row with its TBS is signed and stored (the serial and
 * content were fixed before the crash, so the result is the certificate that was meant); rows
 * whose key was generated here (and died with the process) or that cannot be signed are voided.
 */
export async function recoverPending(s: Services): Promise<{ finished: number; voided: number }> {
  let finished = 0;
  let voided = 0;
  for (;;) {
    const rows = await certificates.pending(s.db, 200);
    if (rows.length === 0) break;
    for (const row of rows) {
      let der: Buffer | undefined;
      if (row.tbs && row.key_generation !== "server") {
        try {
          const signer = await s.ca.signer(row.ca_name);
          der = assembleCertificate(Buffer.from(row.tbs), signer.signatureAlgorithmDer, await signer.sign(Buffer.from(row.tbs)));
          if (parseCertificate(der).serialHex !== row.serial) der = undefined;
        } catch (err) {
          s.log.error({ err, serial: row.serial }, "recovery could not sign a pending certificate");
        }
      }
      await s.db.transaction(async (trx) => {
        if (der) {
          const n = await trx("certificates").where({ serial: row.serial, status: "pending" }).update({ status: "issued", der, sha256: sha256Hex(der), issued_at: nowIso(), tbs: null });
          if (n) {
            finished++;
            await append(trx, { actor: "system", action: "certificate.issued", objectType: "certificate", objectId: row.serial, details: { ca: row.ca_name, recovered: true } });
          }
        } else {
          const n = await trx("certificates").where({ serial: row.serial, status: "pending" }).update({ status: "void", tbs: null, idempotency_key: null });
          if (n) {
            voided++;
            await append(trx, {
              actor: "system", action: "certificate.voided", objectType: "certificate", objectId: row.serial,
              details: { ca: row.ca_name, reason: row.key_generation === "server" ? "server-generated key lost in the interruption" : "could not be signed" },
            });
          }
        }
      });
    }
  }
  if (finished || voided) s.log.warn({ finished, voided }, "certificates left pending by an interruption were recovered");
  return { finished, voided };
}
