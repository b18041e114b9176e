import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Context } from "mocha";
import { hasCommand, requirePeer } from "../support/peers";

/** Skips (or fails under CI) when poppler-utils is missing. */
export function requirePoppler(ctx: Context): void {
  requirePeer(ctx, "poppler-utils (pdftotext, pdffonts, pdfinfo)", hasCommand("pdftotext") && hasCommand("pdffonts"), "apt-get install poppler-utils");
}

function withFile<T>(pdf: Buffer, f: (file: string) => T): T {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "chungthu-pdf-"));
  const file = path.join(dir, "doc.pdf");
  fs.writeFileSync(file, pdf);
  try {
    return f(file);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The text of each page, as poppler's pdftotext reads it: "layout" keeps the page's geometry,
 * "raw" keeps the drawing order (a wrapped table cell's lines stay together).
 */
export function pdfPages(pdf: Buffer, mode: "layout" | "raw" = "layout"): string[] {
  return withFile(pdf, (file) => execFileSync("pdftotext", [`-${mode}`, "-enc", "UTF-8", file, "-"], { maxBuffer: 256 << 20 }).toString("utf8"))
    .split("\f")
    .slice(0, -1);
}

/** All text, whitespace runs collapsed to one space. */
export const flat = (pages: string[]) => pages.join(" ").replace(/\s+/g, " ");

export function pdfFonts(pdf: Buffer): string {
  return withFile(pdf, (file) => execFileSync("pdffonts", [file]).toString("utf8"));
}

export function pdfInfo(pdf: Buffer): Record<string, string> {
  const out = withFile(pdf, (file) => execFileSync("pdfinfo", [file]).toString("utf8"));
  return Object.fromEntries(out.split("\n").filter((l) => l.includes(":")).map((l) => [l.slice(0, l.indexOf(":")).trim(), l.slice(l.indexOf(":") + 1).trim()]));
}
