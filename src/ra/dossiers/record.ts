import type { DossierInput } from "./schema";
import { subscribersOf } from "./schema";
import { fold } from "./fields";
import type { DossierRow } from "../../store/dossiers";
import { toJson } from "../../store/db";

/**
 * The columns derived from a dossier's content: what lists and filters read without opening the
 * JSON. `receivedAt` is a column of its own (the review clock changes it), not part of `data`.
 */
export function contentColumns(input: DossierInput, number: string) {
  const { receivedAt: _ignored, ...content } = input;
  const names = subscribersOf(input).map((s) => s.fullName);
  if (input.kind === "device_recovery") names.push(input.holder.fullName);
  return {
    kind: input.kind,
    agency_name: input.agency.name,
    agency_search: fold(input.agency.name),
    search_text: fold([number, input.agency.name, ...names].join(" | ")),
    certificate_type: input.certificateType ?? null,
    quantity: input.quantity,
    channel: input.channel,
    data: toJson(content),
  } satisfies Partial<DossierRow>;
}

/** The stored content of a row, as the input it was validated from (with receivedAt). */
export function contentOf(row: DossierRow): Record<string, unknown> {
  const data = JSON.parse(row.data) as Record<string, unknown>;
  return row.received_at ? { ...data, receivedAt: row.received_at } : data;
}

/** "0001/2026/HS": the sequence within the year, the year, HS (hồ sơ). */
export const formatDossierNumber = (year: number, seq: number) => `${String(seq).padStart(4, "0")}/${year}/HS`;

/** The year of an instant in Viet Nam (a dossier created at 23:30 UTC on 31/12 belongs to the new year). */
export const vietnamYear = (at: Date) => new Date(at.getTime() + 7 * 3600_000).getUTCFullYear();
