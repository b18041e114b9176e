import type { Actor } from "../../auth/actor";
import type { Dossier } from "../dossiers/schema";
import { FORM_OF_KIND } from "../dossiers/schema";
import { presentAgency } from "../../http/routes/requests/present";
import type { MailSnapshot } from "../../mail/payloads";

/** The mail recipients of a dossier: the agency's address and the receiver's (when given). */
export const recipientsOf = (d: Dossier) => [d.agency.email, d.receiver?.email ?? null];

/** The part of every mail payload that comes from the dossier and the decision. */
export const snapshotOf = (d: Dossier, actor: Actor, decidedAt: string): Omit<MailSnapshot, "key" | "to"> & { to: (string | null)[] } => ({
  dossierId: d.id,
  dossierNumber: d.number,
  agencyName: d.agency.name,
  to: recipientsOf(d),
  decidedAt,
  decidedBy: actor.username,
  receivedAt: d.receivedAt,
});

/**
 * What the official notice prints about the dossier, frozen at decision time: the header fields,
 * not the people lists (outbox payloads are visible to operators; keep personal data out).
 */
export const noticeSnapshotOf = (d: Dossier) => ({
  id: d.id,
  number: d.number,
  kind: d.kind,
  form: FORM_OF_KIND[d.kind],
  agency: presentAgency(d.agency),
  certificateType: d.certificateType ?? null,
  quantity: d.quantity,
  receivedAt: d.receivedAt,
  validSince: d.validSince,
  version: d.version,
});
