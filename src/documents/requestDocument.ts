import { renderDocument } from "./engine";
import { expandTemplate } from "./templates";
import { baseContext, clean, commonWording, placeFromAddress } from "./context";
import type { DocumentDossier, DossierKind } from "./types";

/** One template per form of Decree 68/2024/NĐ-CP (templates/documents/). */
export const requestTemplates: Record<DossierKind, string> = {
  individual: "01-individual",
  organization: "02-organization",
  device: "03-device",
  renewal_change: "04-renewal-change",
  revocation: "05-revocation",
  device_recovery: "06-device-recovery",
};

export interface RenderRequestOptions {
  /**
   * The document's date (place-date line) and the PDF's creation date. Pass the dossier version's
   * time (updatedAt) so one version always renders to the same bytes.
   */
  renderedAt: Date;
}

/** The context a request template sees: the cleaned dossier's fields at the top level. */
export function requestContext(dossier: DocumentDossier, opts: RenderRequestOptions) {
  const d = clean(dossier);
  const common = commonWording();
  const place = d.agency?.place || placeFromAddress(d.agency?.headOfficeAddress) || common.defaultPlace;
  const subscribers = d.subscribers ?? [];
  const listLength = { certificates: d.certificates?.length, devices: d.devices?.length, assets: d.kind === "device" ? d.assets?.length : undefined };
  return {
    ...baseContext(opts.renderedAt, place),
    ...d,
    agency: d.agency ?? { name: "" },
    subscribers,
    assets: d.assets ?? [],
    receiver: d.receiver ?? {},
    signer: d.signer ?? {},
    certificates: d.certificates ?? [],
    changes: d.changes ?? [],
    devices: d.devices ?? [],
    holder: d.holder ?? {},
    quantity: d.quantity ?? listLength.certificates ?? listLength.devices ?? listLength.assets ?? subscribers.length,
    documentNumber: d.documentNumber || common.blankNumber,
  };
}

/** The formal written request (văn bản đề nghị) of a dossier, as PDF bytes. */
export async function renderRequestDocument(dossier: DocumentDossier, opts: RenderRequestOptions): Promise<Buffer> {
  const template = requestTemplates[dossier.kind];
  if (!template) throw new Error(`no request template for kind ${dossier.kind}`);
  const ctx = requestContext(dossier, opts);
  const { title, subject, blocks } = expandTemplate(template, ctx);
  return renderDocument({
    info: { title, subject, author: ctx.agency.name, keywords: dossier.number },
    createdAt: opts.renderedAt,
    blocks,
  });
}
