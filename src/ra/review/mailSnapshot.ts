import type { Actor } from "../../auth/actor";
import type { Dossier } from "../dossiers/schema";
import { FORM_OF_KIND } from "../dossiers/schema";
import { presentAgency } from "../../http/routes/requests/present";
import type { DeficiencySnapshot, MailSnapshot, NoticeDossier } from "../../mail/payloads";

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
 * and the lists only as long as they are, with the names of the rows a deficiency concerns
 * (outbox payloads are visible to operators: no other personal data goes into them).
 */
export function noticeSnapshotOf(d: Dossier, deficiencies: DeficiencySnapshot[]): NoticeDossier {
  const rowsOf = (list: string) => new Set(deficiencies.filter((x) => x.row && x.field.split(".")[0] === list).map((x) => x.row!));
  const people = rowsOf("subscribers");
  const things = rowsOf("assets");
  const subscribers = ((d as { subscribers?: { fullName: string }[] }).subscribers ?? []).map((s, i) => ({ fullName: people.has(i + 1) ? s.fullName : "" }));
  const assets = ((d as { assets?: { name: string; kind: string; identifier: string }[] }).assets ?? []).map((a, i) =>
    things.has(i + 1) ? { name: a.name, kind: a.kind, identifier: a.identifier } : { name: "", kind: a.kind, identifier: "" });
  return {
    id: d.id,
    number: d.number,
    kind: d.kind,
    form: FORM_OF_KIND[d.kind],
    agency: presentAgency(d.agency),
    certificateType: d.certificateType ?? null,
    quantity: d.quantity,
    receivedAt: d.receivedAt,
    version: d.version,
    subscribers,
    assets,
  };
}
