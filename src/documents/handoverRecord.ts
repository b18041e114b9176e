import { renderDocument } from "./engine";
import { expandTemplate } from "./templates";
import { baseContext, clean, commonWording } from "./context";

/** One device handed over: whose it is, what it is, and the certificate on it. */
export interface HandoverRow {
  /** The subscriber's name (or the device/service the certificate names). */
  subscriber: string;
  deviceType: string;
  deviceSerial: string;
  certificateSerial: string;
  /** ISO instant or date (YYYY-MM-DD). */
  validFrom: string | Date;
  validTo: string | Date;
  notes?: string | null;
}

/** Biên bản bàn giao (Mẫu 07). */
export interface HandoverRecordInput {
  /** Where the handover happens: "Trụ sở Cục Chứng thực số và Bảo mật thông tin, …" or the agency's office. */
  place: string;
  /** When the handover starts (the record's time and date). */
  time: Date | string;
  /** When it ends, if known ("Biên bản kết thúc vào hồi …"). */
  endTime?: Date | string | null;
  handingOfficer: { name: string; position?: string | null; unit?: string | null; idNumber?: string | null };
  receiver: {
    name: string;
    position?: string | null;
    agency: string;
    idNumber?: string | null;
    idIssueDate?: string | null;
    idIssuePlace?: string | null;
    mobile?: string | null;
  };
  rows: HandoverRow[];
  /** The provider's số/ký hiệu of the record ("15/BB-CTSBMTT"); a blank is printed when absent. */
  number?: string | null;
  /** The dossier the handover closes. */
  dossier?: { number: string; agency?: { name: string } | null } | null;
  /** Địa danh of the place-date line (default: the provider's, Hà Nội). */
  city?: string | null;
  /** The PDF's creation date; default `time`, so one handover always renders to the same bytes. */
  renderedAt?: Date;
}

/** The handover record (biên bản bàn giao, Mẫu 07) as PDF bytes, in the Decree 30 record layout. */
export async function renderHandoverRecord(input: HandoverRecordInput): Promise<Buffer> {
  const common = commonWording();
  const time = typeof input.time === "string" ? new Date(input.time) : input.time;
  if (Number.isNaN(time.getTime())) throw new Error("handover time is not a valid date");
  const data = clean({ ...input, time: undefined, renderedAt: undefined });
  const ctx = {
    ...baseContext(time, data.city || common.provider.place),
    ...data,
    time,
    dossier: data.dossier ?? {},
    recordNumber: data.number || `${common.blankNumber.split("/")[0]}/BB-${common.provider.abbreviation}`,
  };
  const { title, subject, blocks } = expandTemplate("07-handover-record", ctx);
  return renderDocument({
    info: { title, subject, author: common.provider.name, keywords: input.dossier?.number },
    createdAt: input.renderedAt ?? time,
    blocks,
  });
}
