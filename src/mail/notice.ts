import path from "node:path";
import PDFDocument from "pdfkit";
import type { JobContext } from "../outbox/job";
import type { CorrectionRequestPayload } from "./payloads";

/**
 * Renders the official notice (thông báo yêu cầu bổ sung hồ sơ) attached to the correction e-mail.
 * The documents capability provides the real renderer as services.correctionNotice; until it is
 * wired, a plain interim notice is rendered here so the mail always carries its PDF.
 */
export type CorrectionNoticeRenderer = (p: CorrectionRequestPayload) => Promise<Buffer>;

declare module "../service" {
  interface Services {
    correctionNotice?: CorrectionNoticeRenderer;
  }
}

export const correctionNoticeOf = (ctx: JobContext): CorrectionNoticeRenderer =>
  (ctx.services.correctionNotice as CorrectionNoticeRenderer | undefined) ?? interimCorrectionNotice;

const fonts = path.dirname(require.resolve("@expo-google-fonts/tinos/package.json"));

/** Interim notice: byte-stable for the same payload (CreationDate = decision time). */
export function interimCorrectionNotice(p: CorrectionRequestPayload): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({
      size: "A4", margins: { top: 57, bottom: 57, left: 85, right: 57 },
      info: { Title: `Thông báo yêu cầu bổ sung hồ sơ ${p.dossierNumber}`, CreationDate: new Date(p.decidedAt), Producer: "chungthu", Creator: "chungthu" },
    });
    const chunks: Buffer[] = [];
    doc.on("data", (c: Buffer) => chunks.push(c));
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
    doc.registerFont("R", path.join(fonts, "400Regular/Tinos_400Regular.ttf"));
    doc.registerFont("B", path.join(fonts, "700Bold/Tinos_700Bold.ttf"));
    doc.font("B").fontSize(13).text("CỤC CHỨNG THỰC SỐ VÀ BẢO MẬT THÔNG TIN", { align: "left" });
    doc.moveDown();
    doc.font("B").fontSize(14).text("THÔNG BÁO YÊU CẦU BỔ SUNG HỒ SƠ", { align: "center" });
    doc.font("R").fontSize(13).text(`Hồ sơ đề nghị số ${p.dossierNumber} – lần ${p.round}`, { align: "center" });
    doc.moveDown();
    doc.text(`Kính gửi: ${p.agencyName}`);
    doc.moveDown(0.5);
    p.deficiencies.forEach((d, i) => {
      const row = d.row ? ` – dòng số ${d.row}${d.rowLabel ? ` (${d.rowLabel})` : ""}` : "";
      doc.text(`${i + 1}. ${d.fieldLabel}${row}: ${d.reason}`);
    });
    doc.end();
  });
}
