import type { Services } from "../../service";
import type { Actor } from "../../auth/actor";
import { authorize } from "../../policy/policy";
import { DomainError } from "../../errors";
import { messages } from "../../messages";
import * as dossiers from "../../store/dossiers";
import { subscribersOf, type Dossier } from "../../ra/dossiers/schema";
import { dossierNotFound } from "../../ra/dossiers/errors";
import { transitionDossier } from "../../ra/dossiers/transition";
import { issueCertificate as issue } from "../issuance/issue";
import { PROFILE_OF_KIND, subjectOfAsset, subjectOfSubscriber } from "../dossierSubjects";
import type { SubjectInfo } from "../subject";
import { deliverPkcs12, resolveKey, resultOf, type IssuedResult, type KeySource } from "./common";

/**
 * The statuses in which a dossier's certificates may be issued: after the reviewer accepted it
 * (src/ra/review/transitions.ts), and while its issuance is under way.
 */
export const ISSUABLE_STATUSES = ["accepted", "issuing"] as const;

export interface IssueForDossierInput {
  dossierId: string;
  subscriber?: number;
  asset?: number;
  key: KeySource;
  usage?: string;
}

/** Where in the dossier the certificate's holder is, and what the certificate names. */
function target(d: Dossier, input: IssueForDossierInput): { subject: SubjectInfo; profile: string; subscriberIndex?: number; assetIndex?: number } {
  const profile = PROFILE_OF_KIND[d.kind];
  if (!profile) throw new DomainError("dossier_kind_not_issuable", messages.ca.dossierKindNotIssuable(d.kind), { kind: d.kind });
  if (input.asset !== undefined) {
    const assets = d.kind === "device" ? d.assets : "assets" in d ? d.assets ?? [] : [];
    const a = assets?.[input.asset];
    if (!a) throw new DomainError("asset_not_found", messages.ca.listIndexNotFound("asset", input.asset, assets?.length ?? 0), { asset: input.asset }, "not_found");
    return { subject: subjectOfAsset(d, a), profile: "device", assetIndex: input.asset };
  }
  if (input.subscriber === undefined) throw new DomainError("holder_required", messages.ca.holderRequired, {});
  const people = subscribersOf(d);
  const s = people[input.subscriber];
  if (!s) throw new DomainError("subscriber_not_found", messages.ca.listIndexNotFound("subscriber", input.subscriber, people.length), { subscriber: input.subscriber }, "not_found");
  if (d.kind === "device") throw new DomainError("holder_required", messages.ca.holderRequired, {});
  return { subject: subjectOfSubscriber(d, s), profile, subscriberIndex: input.subscriber };
}

/**
 * Issues the certificate of one person or asset of an accepted dossier (CSR, or key generated here
 * and returned once as PKCS#12). The first issuance moves the dossier to "issuing"; when every
 * person or asset of its list has a certificate, it moves to "issued". One live certificate per
 * list entry: a second request is a 409 naming the existing serial.
 */
export async function issueForDossier(s: Services, actor: Actor, input: IssueForDossierInput): Promise<IssuedResult> {
  authorize(actor, "certificate.issue", input);
  const d = await dossiers.getDossier(s.db, input.dossierId);
  if (!d) throw dossierNotFound(input.dossierId);
  if (!(ISSUABLE_STATUSES as readonly string[]).includes(d.status)) {
    throw new DomainError("dossier_not_accepted", messages.ca.dossierNotAccepted(d.number, d.status), { status: d.status, allowed: ISSUABLE_STATUSES }, "conflict");
  }
  const t = target(d, input);
  const where = t.assetIndex !== undefined ? { dossier_id: d.id, asset_index: t.assetIndex } : { dossier_id: d.id, subscriber_index: t.subscriberIndex };
  const existing = await s.db("certificates").where(where).select("serial", "status");
  const live = existing.find((c) => c.status === "issued" || c.status === "pending");
  if (live) throw new DomainError("already_issued", messages.ca.alreadyIssued(live.serial), { serial: live.serial }, "conflict");
  const generation = existing.filter((c) => c.status === "revoked").length;
  const slot = t.assetIndex !== undefined ? `asset:${t.assetIndex}` : `subscriber:${t.subscriberIndex}`;

  const key = await resolveKey(input.key);
  try {
    if (d.status === "accepted") {
      await s.db.transaction(async (trx) => {
        const row = await dossiers.getForUpdate(trx, d.id);
        if (row?.status === "accepted") await transitionDossier(trx, actor, d.id, { action: "issuing_started", to: "issuing" });
      });
    }
    const c = await issue(s, actor, {
      profile: t.profile, subject: t.subject, spki: key.spki, keyGeneration: key.keyGeneration, usage: input.usage,
      dossierId: d.id, subscriberIndex: t.subscriberIndex, assetIndex: t.assetIndex, idempotencyKey: `dossier:${d.id}:${slot}:${generation}`,
    });
    await markIssuedWhenComplete(s, actor, d);
    return resultOf(c, await deliverPkcs12(s, key, c.der, c.caName, t.subject.commonName));
  } finally {
    key.pkcs8?.fill(0);
  }
}

/** issuing → issued once every entry of the dossier's list has an issued certificate. */
export async function markIssuedWhenComplete(s: Services, actor: Actor | string, d: Dossier): Promise<void> {
  const needed = d.kind === "device" ? d.assets.length : subscribersOf(d).length;
  const column = d.kind === "device" ? "asset_index" : "subscriber_index";
  const rows: { n: number | string }[] = await s.db("certificates").where({ dossier_id: d.id, status: "issued" }).whereNotNull(column).countDistinct({ n: column });
  if (Number(rows[0].n) < needed) return;
  await s.db.transaction(async (trx) => {
    const row = await dossiers.getForUpdate(trx, d.id);
    if (row?.status !== "issuing") return;
    const a = typeof actor === "string" ? { id: "system", username: actor, roles: [] } : actor;
    await transitionDossier(trx, a, d.id, { action: "certificates_issued", to: "issued", auditDetails: { certificates: needed } });
  });
}
