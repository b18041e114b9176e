import fs from "node:fs";
import path from "node:path";
import { DomainError } from "../../errors";
import { messages } from "../../messages";
import { dossierLabels } from "../../messages/dossiers";
import type { Dossier } from "../dossiers/schema";
import type { DeficiencySnapshot } from "../../mail/payloads";

/** A deficiency as the reviewer sends it: which field (or list row) and why. */
export interface DeficiencyInput {
  field: string;
  /** 1-based row (STT) of the list the field belongs to. */
  row?: number | null;
  reason?: string | null;
  /** A reason from the catalogue; its text is used when no reason is written. */
  code?: string | null;
}

export interface CatalogueReason {
  code: string;
  field: string | null;
  reason: string;
}

const cataloguePath = path.resolve(__dirname, "../../../data/review/deficiency-reasons.json");
let catalogue: CatalogueReason[] | undefined;

/** The common reasons, from data/review/deficiency-reasons.json (read once). */
export function deficiencyCatalogue(): CatalogueReason[] {
  catalogue ??= (JSON.parse(fs.readFileSync(cataloguePath, "utf8")) as { items: CatalogueReason[] }).items;
  return catalogue;
}

/** Lists of a dossier, by the field prefix a deficiency uses ("subscribers.idNumber", row 3). */
const LISTS: Record<string, { label: string; rows: (d: Dossier) => unknown[] | undefined; rowLabel: (r: any) => string | null }> = {
  subscribers: { label: dossierLabels.subscribers, rows: (d) => (d as any).subscribers, rowLabel: (r) => r?.fullName ?? null },
  assets: { label: dossierLabels.assets, rows: (d) => (d as any).assets, rowLabel: (r) => r?.name ?? null },
  certificates: { label: dossierLabels.certificates, rows: (d) => (d as any).certificates, rowLabel: (r) => r?.serial ?? null },
  devices: { label: dossierLabels.devices, rows: (d) => (d as any).devices, rowLabel: (r) => r?.serial ?? null },
  changes: { label: dossierLabels.changes, rows: (d) => (d as any).changes, rowLabel: () => null },
};

/** "subscribers.idNumber" → "Danh sách người được cấp chứng thư số – Số CCCD/CMND/Hộ chiếu". */
export function fieldLabel(field: string): string | undefined {
  if (field === "other") return messages.review.otherField;
  const labels = dossierLabels as Record<string, string>;
  if (labels[field]) return labels[field];
  const [head, ...rest] = field.split(".");
  const list = LISTS[head];
  if (list && rest.length === 1) {
    const sub = labels[rest[0]] ?? labels[`${singular(head)}.${rest[0]}`];
    if (sub) return sub;
  }
  return undefined;
}

const singular = (list: string) => ({ subscribers: "subscriber", assets: "asset", certificates: "certificate", devices: "device", changes: "change" })[list] ?? list;

/**
 * Checks the reviewer's deficiencies against the dossier (known field, existing row, a reason) and
 * freezes them with the labels people read: the snapshot stored, mailed and printed on the notice.
 */
export function resolveDeficiencies(dossier: Dossier, input: DeficiencyInput[]): DeficiencySnapshot[] {
  const problems: { index: number; field: string; message: string }[] = [];
  const out: DeficiencySnapshot[] = [];
  input.forEach((d, index) => {
    const label = fieldLabel(d.field);
    if (!label) {
      problems.push({ index, field: `deficiencies.${index}.field`, message: messages.review.unknownDeficiencyField(d.field) });
      return;
    }
    let reason = d.reason?.trim() || "";
    if (d.code) {
      const c = deficiencyCatalogue().find((r) => r.code === d.code);
      if (!c) {
        problems.push({ index, field: `deficiencies.${index}.code`, message: messages.review.unknownReasonCode(d.code) });
        return;
      }
      reason ||= c.reason;
    }
    if (!reason) {
      problems.push({ index, field: `deficiencies.${index}.reason`, message: messages.review.deficiencyReasonMissing });
      return;
    }
    let rowLabel: string | null = null;
    const row = d.row ?? null;
    if (row !== null) {
      const list = LISTS[d.field.split(".")[0]];
      if (!list) {
        problems.push({ index, field: `deficiencies.${index}.row`, message: messages.review.rowNotAList(label) });
        return;
      }
      const rows = list.rows(dossier) ?? [];
      if (row < 1 || row > rows.length) {
        problems.push({ index, field: `deficiencies.${index}.row`, message: messages.review.rowNotInList(list.label, row, rows.length) });
        return;
      }
      rowLabel = list.rowLabel(rows[row - 1]);
    }
    out.push({ field: d.field, fieldLabel: label, row, rowLabel, reason });
  });
  if (problems.length) {
    throw new DomainError("invalid_deficiencies", problems[0].message, {
      fields: problems.map((p) => ({ field: p.field, message: p.message })),
    });
  }
  return out;
}
