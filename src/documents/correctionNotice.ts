import { renderDocument } from "./engine";
import { expandTemplate } from "./templates";
import { baseContext, clean, commonWording } from "./context";
import type { DocumentDossier } from "./types";

/** One item the agency must supplement or correct (the reviewer's structured deficiency). */
export interface Deficiency {
  /**
   * The field, as a path into the dossier: "agency.taxCode", "subscribers.3.email" (0-based
   * index, as in validation errors), "subscribers[3].email", or a list ("subscribers").
   */
  field: string;
  /** The list row, 1-based as in the STT column; taken from the path's index when absent. */
  row?: number | null;
  /** Why, in Vietnamese: a catalogue reason or free text. */
  reason: string;
  /** The label people read, when the caller already resolved it ("Mã số thuế"). */
  fieldLabel?: string | null;
  /** Who the row is (the subscriber's name), when the caller already resolved it. */
  rowLabel?: string | null;
}

export interface CorrectionNoticeInput {
  dossier: DocumentDossier;
  deficiencies: Deficiency[];
  /** The notice's date (place-date line) and the PDF's creation date. */
  issuedAt: Date;
  /** The provider's số/ký hiệu of the notice ("15/TB-CTSBMTT"); a blank is printed when absent. */
  number?: string;
  /** Who signs for the provider; the template's default title otherwise. */
  signer?: { authority?: string; title?: string; fullName?: string };
  /** 1 for the first request for correction of the dossier, 2 for the next… */
  round?: number;
}

/** Splits "subscribers.3.email" / "subscribers[3].email" into the list, the 0-based index and the field. */
export function parseFieldPath(field: string): { key: string; list?: string; index?: number } {
  const parts = field.split(/[.[\]]+/).filter(Boolean);
  const names = parts.filter((p) => !/^\d+$/.test(p));
  const idx = parts.find((p) => /^\d+$/.test(p));
  const list = ["subscribers", "assets", "certificates", "devices", "changes"].includes(parts[0]) ? parts[0] : undefined;
  return { key: names.join("."), list, index: idx === undefined ? undefined : Number(idx) };
}

/** The Vietnamese label and location of each deficiency, for the template. */
export function describeDeficiencies(dossier: DocumentDossier, deficiencies: Deficiency[]) {
  const labels = commonWording().labels.fields as Record<string, string>;
  return deficiencies.map((d) => {
    const { key, list, index } = parseFieldPath(d.field);
    const row = d.row ?? (index === undefined ? undefined : index + 1);
    const fieldLabel = d.fieldLabel || labels[key] || labels[key.split(".")[0]] || d.field;
    let where = "";
    if (list && row) {
      const items = (dossier as unknown as Record<string, unknown>)[list];
      const item = (Array.isArray(items) ? items[row - 1] : undefined) as { fullName?: string; name?: string; serial?: string; holderName?: string } | undefined;
      const who = d.rowLabel || item?.fullName || item?.name || item?.holderName || item?.serial;
      const rowText = `dòng ${row}${who ? ` (${who})` : ""}`;
      where = key === list ? rowText : `${labels[list] ?? list}, ${rowText}`;
    } else if (row) {
      where = `Dòng ${row}`;
    } else {
      const section = key.includes(".") ? labels[key.split(".")[0]] : undefined;
      where = section ?? "";
    }
    return { field: d.field, fieldLabel, row, where, reason: d.reason };
  });
}

/** Thông báo yêu cầu bổ sung, hoàn thiện hồ sơ: the official notice attached to the correction e-mail. */
export async function renderCorrectionNotice(input: CorrectionNoticeInput): Promise<Buffer> {
  const common = commonWording();
  const dossier = clean(input.dossier);
  const ctx = {
    ...baseContext(input.issuedAt, common.provider.place),
    ...dossier,
    agency: dossier.agency ?? { name: "" },
    subscribers: dossier.subscribers ?? [],
    assets: dossier.assets ?? [],
    deficiencies: clean(describeDeficiencies(dossier, input.deficiencies)),
    noticeNumber: clean(input.number) || `${common.blankNumber.split("/")[0]}/TB-${common.provider.abbreviation}`,
    signer: clean(input.signer) ?? {},
    round: input.round ?? 1,
  };
  const { title, subject, blocks } = expandTemplate("correction-notice", ctx);
  return renderDocument({
    info: { title, subject, author: common.provider.name, keywords: dossier.number },
    createdAt: input.issuedAt,
    blocks,
  });
}
