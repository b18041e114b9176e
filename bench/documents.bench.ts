import PDFDocument from "pdfkit";
import { renderRequestDocument } from "../src/documents";
import { fontBuffer } from "../src/documents/fonts";
import { dossier } from "../test/documents/fixtures";
import { fmt, median, report, timeRuns } from "./lib";

/**
 * Request documents per second for a 50-person dossier (target ≥ 50/s) and the time of a
 * 2,000-person one (target ≤ 5 s). Reference: pdfkit alone writing one page of text in Tinos
 * (parsing and embedding the font each time), measured in the same run.
 */
async function bare(): Promise<void> {
  const doc = new PDFDocument({ size: "A4", info: { CreationDate: new Date(0) } });
  const chunks: Buffer[] = [];
  doc.on("data", (c: Buffer) => chunks.push(c));
  const done = new Promise((r) => doc.on("end", r));
  doc.font(fontBuffer("regular"), 13);
  for (let i = 0; i < 40; i++) doc.text(`Dòng thứ ${i + 1}: Cộng hòa xã hội chủ nghĩa Việt Nam, Độc lập - Tự do - Hạnh phúc`);
  doc.end();
  await done;
}

(async () => {
  const renderedAt = new Date("2026-03-04T09:30:00.000Z");
  const d50 = dossier("individual", 50);
  const d2000 = dossier("individual", 2000);
  // Warm up: fonts parsed, templates compiled.
  for (let i = 0; i < 5; i++) {
    await renderRequestDocument(d50, { renderedAt });
    await bare();
  }
  const n = 40;
  const ours: number[] = [];
  const refs: number[] = [];
  for (let round = 0; round < 5; round++) {
    ours.push(n / (await timeRuns(n, () => renderRequestDocument(d50, { renderedAt }).then(() => undefined))).reduce((a, b) => a + b, 0));
    refs.push(n / (await timeRuns(n, bare)).reduce((a, b) => a + b, 0));
  }
  const perSec = median(ours);
  const refPerSec = median(refs);
  const big = median(await timeRuns(3, () => renderRequestDocument(d2000, { renderedAt }).then(() => undefined)));
  report([
    { path: "request document, 50 people", figure: `${fmt(perSec, 1)} documents/s`, reference: `${fmt(refPerSec, 1)} one-page pdfkit documents/s`, ratio: fmt(perSec / refPerSec, 2), target: "≥ 50 documents/s", met: perSec >= 50 },
    { path: "request document, 2,000 people", figure: `${fmt(big, 2)} s`, target: "≤ 5 s", met: big <= 5 },
  ]);
})();
