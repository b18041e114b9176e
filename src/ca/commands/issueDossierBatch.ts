import type { Services } from "../../service";
import type { Actor } from "../../auth/actor";
import { authorize } from "../../policy/policy";
import { DomainError } from "../../errors";
import { messages } from "../../messages";
import * as dossiers from "../../store/dossiers";
import { subscribersOf } from "../../ra/dossiers/schema";
import { dossierNotFound } from "../../ra/dossiers/errors";
import { transitionDossier } from "../../ra/dossiers/transition";
import { PROFILE_OF_KIND, subjectOfAsset, subjectOfSubscriber } from "../dossierSubjects";
import { createBatch, runBatch, type BatchItem, type BatchRow } from "./batch";
import { ISSUABLE_STATUSES, markIssuedWhenComplete } from "./issueForDossier";

export interface DossierBatchInput {
  dossierId: string;
  /** One key per list entry: a CSR or the SPKI read from the token the key was generated on. */
  keys: { subscriber?: number; asset?: number; csr?: string; publicKey?: string }[];
  usage?: string;
}

/**
 * Issues a whole accepted dossier as one resumable batch (src/ca/commands/batch.ts): subjects from
 * the dossier, keys from the request. Entries that already have a live certificate are skipped.
 * When the batch ends, the dossier moves to "issued" if every entry has its certificate.
 */
export async function issueDossierBatch(s: Services, actor: Actor, input: DossierBatchInput): Promise<BatchRow> {
  authorize(actor, "certificate.batch", input);
  const d = await dossiers.getDossier(s.db, input.dossierId);
  if (!d) throw dossierNotFound(input.dossierId);
  if (!(ISSUABLE_STATUSES as readonly string[]).includes(d.status)) {
    throw new DomainError("dossier_not_accepted", messages.ca.dossierNotAccepted(d.number, d.status), { status: d.status }, "conflict");
  }
  const profile = PROFILE_OF_KIND[d.kind];
  if (!profile) throw new DomainError("dossier_kind_not_issuable", messages.ca.dossierKindNotIssuable(d.kind), { kind: d.kind });
  const live = await s.db("certificates").where({ dossier_id: d.id }).whereIn("status", ["issued", "pending"]).select("subscriber_index", "asset_index");
  const haveS = new Set(live.map((r) => r.subscriber_index).filter((x) => x !== null).map(Number));
  const haveA = new Set(live.map((r) => r.asset_index).filter((x) => x !== null).map(Number));
  const people = subscribersOf(d);
  const items: BatchItem[] = [];
  for (const k of input.keys) {
    if (k.asset !== undefined && d.kind === "device") {
      const a = d.assets[k.asset];
      if (!a) throw new DomainError("asset_not_found", messages.ca.listIndexNotFound("asset", k.asset, d.assets.length), { asset: k.asset }, "not_found");
      if (!haveA.has(k.asset)) items.push({ profile: "device", subject: subjectOfAsset(d, a), csr: k.csr, publicKey: k.publicKey, assetIndex: k.asset, usage: input.usage });
    } else if (k.subscriber !== undefined && d.kind !== "device") {
      const p = people[k.subscriber];
      if (!p) throw new DomainError("subscriber_not_found", messages.ca.listIndexNotFound("subscriber", k.subscriber, people.length), { subscriber: k.subscriber }, "not_found");
      if (!haveS.has(k.subscriber)) items.push({ profile, subject: subjectOfSubscriber(d, p), csr: k.csr, publicKey: k.publicKey, subscriberIndex: k.subscriber });
    } else {
      throw new DomainError("holder_required", messages.ca.holderRequired, {});
    }
  }
  if (d.status === "accepted") {
    await s.db.transaction(async (trx) => {
      const row = await dossiers.getForUpdate(trx, d.id);
      if (row?.status === "accepted") await transitionDossier(trx, actor, d.id, { action: "issuing_started", to: "issuing" });
    });
  }
  const b = await createBatch(s, actor, { dossierId: d.id, items });
  runBatch(s, b.id)
    .then(async () => markIssuedWhenComplete(s, actor, (await dossiers.getDossier(s.db, d.id))!))
    .catch((err) => s.log.error({ err, batch: b.id }, "batch stopped; it resumes at the next start"));
  return b;
}
