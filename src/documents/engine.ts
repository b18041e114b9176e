import { DomainError } from "../errors";
import { messages } from "../messages";
import { pdfkit } from "./pdfkit";
import type {
  Align, Block, ClosingBlock, DocumentSpec, FieldBlock, HeaderBlock, HeadingBlock, PageLayout, ParagraphBlock,
  RecipientBlock, Signer, SignaturesBlock, TableBlock, TitleBlock,
} from "./blocks";
import { fontName, registerFonts, type FontStyle } from "./fonts";

/**
 * Lays out a DocumentSpec on A4 pages following Decree 30/2020/NĐ-CP, Phụ lục I (thể thức và
 * kỹ thuật trình bày văn bản hành chính), and returns the PDF bytes.
 *
 * The engine places every line itself (pdfkit only draws glyphs at given points), so wrapping,
 * page breaks and repeated table headers are under our control and the output is reproducible:
 * the only time in the file is spec.createdAt, and pdfkit derives the file ID from the info
 * dictionary (an MD5 of it), not from randomness.
 */

const MM = 72 / 25.4;

/** Decree 30, Mục II.1: A4 (210 mm × 297 mm). */
const A4 = { width: 595.28, height: 841.89 };

/**
 * Decree 30, Mục II.3 (định lề trang): top 20–25 mm, bottom 20–25 mm, left 30–35 mm, right 15–20 mm.
 * A landscape page is bound on its top edge, so the binding margin moves there.
 */
const MARGINS: Record<PageLayout, { top: number; bottom: number; left: number; right: number }> = {
  portrait: { top: 20 * MM, bottom: 20 * MM, left: 30 * MM, right: 15 * MM },
  landscape: { top: 30 * MM, bottom: 15 * MM, left: 20 * MM, right: 20 * MM },
};

/** Decree 30: body text 13–14 pt, first-line indent 1–1.27 cm, ≥ 6 pt between paragraphs, single to 1.5 line spacing. */
const BODY = { size: 14, indent: 10 * MM, spaceAfter: 6, leading: 1.2 };
/** Decree 30, Mục II.5 (số trang): 13–14 pt, centred in the top margin, not shown on the first page. */
const PAGE_NUMBER_SIZE = 13;
const RULE_WIDTH = 0.6;

interface Line {
  text: string;
  width: number;
  words: number;
}

interface Fragmenter {
  _fragment(text: string, x: number, y: number, options: { wordSpacing?: number }): void;
}

const unitWidths: Record<FontStyle, Map<string, number>> = { regular: new Map(), bold: new Map(), italic: new Map(), boldItalic: new Map() };

class Layout {
  private pages = 0;
  readonly doc: PDFKit.PDFDocument;
  layout: PageLayout = "portrait";
  y = 0;
  private style: FontStyle = "regular";
  private size = -1; // no font chosen yet: the first font() call sets it on the document
  private spaceWidths = new Map<string, number>();

  constructor(doc: PDFKit.PDFDocument) {
    this.doc = doc;
  }

  get margins() {
    return MARGINS[this.layout];
  }
  get pageWidth() {
    return this.layout === "portrait" ? A4.width : A4.height;
  }
  get pageHeight() {
    return this.layout === "portrait" ? A4.height : A4.width;
  }
  get left() {
    return this.margins.left;
  }
  get width() {
    return this.pageWidth - this.margins.left - this.margins.right;
  }
  get bottom() {
    return this.pageHeight - this.margins.bottom;
  }
  get remaining() {
    return this.bottom - this.y;
  }

  newPage(layout: PageLayout = this.layout): void {
    // Hostile input (issue 8): a document never grows beyond MAX_PAGES, whatever its lists hold.
    if (++this.pages > MAX_PAGES) throw new DomainError("document_too_large", messages.security.documentTooLarge(MAX_PAGES), { maxPages: MAX_PAGES }, "too_large");
    this.layout = layout;
    this.doc.addPage({ size: "A4", layout, margins: { top: 0, bottom: 0, left: 0, right: 0 } });
    this.y = this.margins.top;
  }

  /** Starts a new page unless `height` still fits on this one. */
  ensure(height: number): boolean {
    if (this.y + height <= this.bottom + 0.01) return false;
    this.newPage();
    return true;
  }

  font(style: FontStyle, size: number): void {
    if (style !== this.style || size !== this.size) {
      this.style = style;
      this.size = size;
      this.doc.font(fontName(style), size);
    }
  }

  /** The width of a text in the current font: the width at 1 pt is cached per style (it scales). */
  measure(text: string): number {
    const cache = unitWidths[this.style];
    let w = cache.get(text);
    if (w === undefined) {
      w = this.doc.widthOfString(text) / this.size;
      if (cache.size > 100_000) cache.clear();
      cache.set(text, w);
    }
    return w * this.size;
  }

  private spaceWidth(): number {
    const key = `${this.style}/${this.size}`;
    let w = this.spaceWidths.get(key);
    if (w === undefined) {
      w = this.doc.widthOfString(" ");
      this.spaceWidths.set(key, w);
    }
    return w;
  }

  /**
   * Greedy line breaking at spaces in the current font. The first line is `firstWidth` wide, the
   * others `width`. A word wider than a line (an e-mail address in a narrow cell) is cut between
   * characters, after "@", "." or "-" when possible.
   */
  wrap(text: string, width: number, firstWidth = width): Line[] {
    const lines: Line[] = [];
    const space = this.spaceWidth();
    for (const para of text.split("\n")) {
      const words = para.split(/\s+/).filter(Boolean);
      let cur: string[] = [];
      let curWidth = 0;
      const limit = () => (lines.length === 0 ? firstWidth : width);
      const flush = () => {
        lines.push({ text: cur.join(" "), width: curWidth, words: cur.length });
        cur = [];
        curWidth = 0;
      };
      for (const word of words) {
        let w = this.measure(word);
        const add = cur.length ? space + w : w;
        if (curWidth + add <= limit() + 0.01) {
          cur.push(word);
          curWidth += add;
          continue;
        }
        if (cur.length) flush();
        if (w <= limit() + 0.01) {
          cur.push(word);
          curWidth = w;
          continue;
        }
        // The word alone is too wide: cut it.
        let rest = word;
        while (rest.length) {
          const piece = this.fitPrefix(rest, limit());
          rest = rest.slice(piece.length);
          w = this.measure(piece);
          cur = [piece];
          curWidth = w;
          if (rest.length) flush();
        }
      }
      if (cur.length || lines.length === 0) flush();
    }
    return lines;
  }

  private fitPrefix(word: string, width: number): string {
    const chars = Array.from(word);
    let n = chars.length;
    while (n > 1 && this.measure(chars.slice(0, n).join("")) > width) n--;
    // Prefer a cut after a separator when one is in the fitting part.
    for (let k = n; k > Math.max(1, n - 12); k--) {
      if (k < chars.length && /[@.\-_/,]/.test(chars[k - 1])) return chars.slice(0, k).join("");
    }
    return chars.slice(0, n).join("");
  }

  /** Draws one line with its top at y. */
  draw(line: Line | string, x: number, y: number, opts: { align?: Align; width?: number; last?: boolean; underline?: boolean } = {}): void {
    const l = typeof line === "string" ? { text: line, width: this.measure(line), words: line.split(/\s+/).length } : line;
    if (!l.text) return;
    let dx = 0;
    let wordSpacing = 0;
    const width = opts.width ?? l.width;
    switch (opts.align ?? "left") {
      case "center":
        dx = (width - l.width) / 2;
        break;
      case "right":
        dx = width - l.width;
        break;
      case "justify":
        if (!opts.last && l.words > 1 && width > l.width) wordSpacing = (width - l.width) / (l.words - 1);
        break;
    }
    // One positioned line: pdfkit's _fragment is what text() ends in for a line that does not wrap,
    // without the option merging and line splitting we do not need (a third of the text cost).
    (this.doc as unknown as Fragmenter)._fragment(l.text, x + dx, y, wordSpacing ? { wordSpacing } : {});
    if (opts.underline) this.rule(x + dx, x + dx + l.width + wordSpacing * (l.words - 1), y + this.lineHeight() - 1);
  }

  lineHeight(size = this.size, leading = BODY.leading): number {
    return size * leading;
  }

  rule(x1: number, x2: number, y: number): void {
    this.doc.save().lineWidth(RULE_WIDTH).moveTo(x1, y).lineTo(x2, y).stroke().restore();
  }

  /** Wraps and draws a block of lines, breaking pages between lines. */
  flow(text: string, o: { style?: FontStyle; size?: number; align?: Align; indent?: number; hanging?: number; x?: number; width?: number; leading?: number }): void {
    const size = o.size ?? BODY.size;
    this.font(o.style ?? "regular", size);
    const x = o.x ?? this.left;
    const width = o.width ?? this.width;
    const indent = o.indent ?? 0;
    const hanging = o.hanging ?? 0;
    const lh = this.lineHeight(size, o.leading);
    const lines = this.wrap(text, width - hanging, width - indent);
    lines.forEach((line, i) => {
      if (this.ensure(lh)) this.font(o.style ?? "regular", size);
      const lx = i === 0 ? x + indent : x + hanging;
      const lw = i === 0 ? width - indent : width - hanging;
      this.draw(line, lx, this.y, { align: o.align, width: lw, last: i === lines.length - 1 });
      this.y += lh;
    });
  }
}

/* ------------------------------------------------------------------------------------------ */

function header(L: Layout, b: HeaderBlock): void {
  const top = L.y;
  const gap = 8;
  // The right column holds quốc hiệu on one line (Decree 30: 12–13 pt, bold, upper case).
  L.font("bold", 13);
  const nationalWidth = L.measure(b.nationalTitle);
  const rightWidth = Math.max(nationalWidth + 12, L.width * 0.55);
  const leftWidth = L.width - rightWidth - gap;
  const leftX = L.left;
  const rightX = L.left + L.width - rightWidth;

  // Left: cơ quan chủ quản (regular), cơ quan ban hành (bold) with a short rule under it.
  let yl = top;
  const agencyLines: Line[] = [];
  if (b.parentAgency) {
    L.font("regular", 12);
    for (const line of L.wrap(b.parentAgency.toLocaleUpperCase("vi"), leftWidth)) {
      L.draw(line, leftX, yl, { align: "center", width: leftWidth });
      yl += L.lineHeight(12, 1.15);
    }
  }
  // Decree 30, Mục II.3: 12–13 pt; 12 keeps most names on one line of the narrow column.
  L.font("bold", 12);
  for (const line of L.wrap(b.agency.toLocaleUpperCase("vi"), leftWidth)) {
    L.draw(line, leftX, yl, { align: "center", width: leftWidth });
    agencyLines.push(line);
    yl += L.lineHeight(12, 1.15);
  }
  // Decree 30, Mục II.3(c): a solid rule from 1/3 to 1/2 of the line above, centred under it.
  const widest = Math.max(...agencyLines.map((l) => l.width));
  const ruleLen = widest * 0.4;
  L.rule(leftX + (leftWidth - ruleLen) / 2, leftX + (leftWidth + ruleLen) / 2, yl + 1);

  // Right: quốc hiệu, tiêu ngữ underlined by a rule as long as it.
  let yr = top;
  L.font("bold", 13);
  L.draw(b.nationalTitle, rightX, yr, { align: "center", width: rightWidth });
  yr += L.lineHeight(13, 1.15);
  L.font("bold", 14);
  const mottoWidth = L.measure(b.motto);
  L.draw(b.motto, rightX, yr, { align: "center", width: rightWidth });
  yr += L.lineHeight(14, 1.15);
  L.rule(rightX + (rightWidth - mottoWidth) / 2, rightX + (rightWidth + mottoWidth) / 2, yr + 1);

  // Số (left) and place-date (right) share a row under both rules.
  const row = Math.max(yl, yr) + 10;
  L.font("regular", 13);
  let y2 = row;
  for (const line of L.wrap(b.number, leftWidth)) {
    L.draw(line, leftX, y2, { align: "center", width: leftWidth });
    y2 += L.lineHeight(13, 1.15);
  }
  if (b.summary) {
    // Decree 30, Mục II.6(b): the trích yếu of a công văn, 12–13 pt, under số and ký hiệu.
    L.font("regular", 12);
    y2 += 2;
    for (const line of L.wrap(b.summary, leftWidth)) {
      L.draw(line, leftX, y2, { align: "center", width: leftWidth });
      y2 += L.lineHeight(12, 1.15);
    }
  }
  L.font("italic", 14);
  let y3 = row;
  for (const line of L.wrap(b.placeDate, rightWidth)) {
    L.draw(line, rightX, y3, { align: "center", width: rightWidth });
    y3 += L.lineHeight(14, 1.15);
  }
  L.y = Math.max(y2, y3) + 14;
}

function title(L: Layout, b: TitleBlock): void {
  L.ensure(L.lineHeight(14) * 4);
  L.y += 4;
  if (b.kicker) {
    L.flow(b.kicker, { style: "bold", size: 14, align: "center" });
  }
  L.flow(b.text.toLocaleUpperCase("vi"), { style: "bold", size: 14, align: "center" });
  if (b.summary) {
    L.font("bold", 14);
    const lines = L.wrap(b.summary, L.width * 0.85);
    for (const line of lines) {
      L.ensure(L.lineHeight(14));
      L.font("bold", 14);
      L.draw(line, L.left, L.y, { align: "center", width: L.width });
      L.y += L.lineHeight(14);
    }
    const widest = Math.max(...lines.map((l) => l.width));
    const len = widest * 0.4;
    L.rule(L.left + (L.width - len) / 2, L.left + (L.width + len) / 2, L.y + 1);
    L.y += 4;
  }
  if (b.note) L.flow(b.note, { style: "italic", size: 14, align: "center" });
  L.y += 10;
}

function recipient(L: Layout, b: RecipientBlock): void {
  const size = 14;
  L.font("regular", size);
  const label = `${b.label} `;
  const labelWidth = L.measure(label);
  const lh = L.lineHeight(size);
  L.ensure(lh * (b.lines.length + 1));
  if (b.lines.length === 1) {
    const full = label + b.lines[0];
    const w = L.measure(full);
    if (w <= L.width - BODY.indent) {
      // One recipient on the label's line, the whole line centred (Decree 30, Mẫu 1.4).
      L.draw(full, L.left, L.y, { align: "center", width: L.width });
      L.y += lh + BODY.spaceAfter;
      return;
    }
  }
  const x = L.left + BODY.indent;
  L.draw(label.trimEnd(), x, L.y);
  if (b.lines.length === 1) {
    L.flow(b.lines[0], { x: x + labelWidth, width: L.width - BODY.indent - labelWidth, size });
  } else {
    L.y += lh;
    for (const line of b.lines) L.flow(line, { x: x + labelWidth, width: L.width - BODY.indent - labelWidth, size });
  }
  L.y += BODY.spaceAfter;
}

function paragraph(L: Layout, b: ParagraphBlock): void {
  const style: FontStyle = b.bold && b.italic ? "boldItalic" : b.bold ? "bold" : b.italic ? "italic" : "regular";
  if (b.tight) L.ensure(L.lineHeight(b.size ?? BODY.size) * 2);
  L.flow(b.text, { style, size: b.size ?? BODY.size, align: b.align ?? "justify", indent: b.indent === false ? 0 : BODY.indent });
  L.y += b.tight ? 0 : BODY.spaceAfter;
}

function heading(L: Layout, b: HeadingBlock): void {
  // Keep the heading with at least three lines of what follows.
  L.ensure(L.lineHeight(BODY.size) * 4);
  L.flow(b.text, { style: "bold", size: BODY.size, align: b.align ?? "left", indent: b.align === "center" ? 0 : BODY.indent });
  L.y += BODY.spaceAfter / 2;
}

function field(L: Layout, b: FieldBlock): void {
  const text = `- ${b.label}: ${b.value}`;
  L.font("regular", BODY.size);
  const hanging = BODY.indent + L.measure("- ");
  L.flow(text, { size: BODY.size, align: "justify", indent: BODY.indent, hanging });
  L.y += 2;
}

interface Cell {
  lines: Line[];
  size: number;
}

function table(L: Layout, b: TableBlock): void {
  const size = b.size ?? 12;
  const leading = 1.15;
  const padX = 3;
  const padY = 2.5;
  const minFit = Math.min(size, 6.5);
  const totalWeight = b.columns.reduce((s, c) => s + c.width, 0);
  const widths = () => b.columns.map((c) => (c.width / totalWeight) * L.width);
  let w = widths();

  /** Lays out one row; a "fit" column shrinks its text (down to 6.5 pt) before it wraps. */
  const layoutRow = (cells: string[], style: FontStyle, s: number, fit: boolean[]): Cell[] =>
    cells.map((text, i) => {
      const avail = w[i] - 2 * padX;
      let cs = s;
      L.font(style, cs);
      if (fit[i] && text && !text.includes("\n")) {
        const natural = L.measure(text);
        if (natural > avail) {
          cs = Math.max(minFit, Math.floor((s * avail * 10) / natural) / 10);
          L.font(style, cs);
        }
      }
      return { lines: L.wrap(text ?? "", avail), size: cs };
    });
  const lineHeightOf = (c: Cell) => c.size * leading;
  const heightOf = (row: Cell[]) => Math.max(s0(), ...row.map((c) => c.lines.length * lineHeightOf(c))) + 2 * padY;
  const s0 = () => size * leading;

  const drawRow = (row: Cell[], style: FontStyle, height: number, aligns: (Align | undefined)[]) => {
    let x = L.left;
    const y = L.y;
    row.forEach((cell, i) => {
      L.font(style, cell.size);
      const lh = lineHeightOf(cell);
      let ty = y + (height - cell.lines.length * lh) / 2;
      const align = aligns[i] === "justify" ? "left" : (aligns[i] ?? "left");
      for (const line of cell.lines) {
        L.draw(line, x + padX, ty + (lh - cell.size * 1.15) / 2, { align, width: w[i] - 2 * padX });
        ty += lh;
      }
      x += w[i];
    });
    // Borders: the row's box and its column separators, stroked once.
    const d = L.doc.save().lineWidth(RULE_WIDTH).rect(L.left, y, L.width, height);
    let cx = L.left;
    for (let i = 0; i < w.length - 1; i++) {
      cx += w[i];
      d.moveTo(cx, y).lineTo(cx, y + height);
    }
    d.stroke().restore();
    L.y += height;
  };

  const noFit = b.columns.map(() => false);
  const fit = b.columns.map((c) => Boolean(c.fit));
  const centred = b.columns.map(() => "center" as const);
  const aligns = b.columns.map((c) => c.align);
  let head = layoutRow(b.columns.map((c) => c.header), "bold", size, noFit);
  const numbers = b.numberColumns ? layoutRow(b.columns.map((_, i) => `(${i + 1})`), "italic", size - 1, noFit) : undefined;
  const drawHead = () => {
    drawRow(head, "bold", heightOf(head), centred);
    if (numbers) drawRow(numbers, "italic", heightOf(numbers), centred);
  };

  const first = b.rows.length ? heightOf(layoutRow(b.rows[0], "regular", size, fit)) : 0;
  if (L.ensure(heightOf(head) + (numbers ? heightOf(numbers) : 0) + first)) {
    w = widths();
    head = layoutRow(b.columns.map((c) => c.header), "bold", size, noFit);
  }
  drawHead();
  for (const cells of b.rows) {
    const row = layoutRow(cells, "regular", size, fit);
    const h = heightOf(row);
    if (L.y + h > L.bottom + 0.01) {
      // Decree 30 tables continue on the next page under a repeated header row.
      L.newPage();
      drawHead();
    }
    drawRow(row, "regular", h, aligns);
  }
  L.y += BODY.spaceAfter + 4;
}

/** The signature column: authority, title, note, room for signature and seal, then the name. */
function signerLines(L: Layout, s: Signer, width: number): { draw: (x: number, y: number) => void; height: number } {
  const parts: { text: string; style: FontStyle; size: number; before?: number }[] = [];
  if (s.authority) parts.push({ text: s.authority.toLocaleUpperCase("vi"), style: "bold", size: 13 });
  parts.push({ text: s.title.toLocaleUpperCase("vi"), style: "bold", size: 13 });
  if (s.note) parts.push({ text: s.note, style: "italic", size: 13 });
  parts.push({ text: s.name ?? "", style: "bold", size: 14, before: 78 });
  const laid = parts.map((p) => {
    L.font(p.style, p.size);
    return { ...p, lines: p.text ? L.wrap(p.text, width) : [] };
  });
  const height = laid.reduce((h, p) => h + (p.before ?? 0) + Math.max(1, p.lines.length) * L.lineHeight(p.size, 1.15), 0);
  return {
    height,
    draw: (x, y) => {
      for (const p of laid) {
        y += p.before ?? 0;
        L.font(p.style, p.size);
        for (const line of p.lines) {
          L.draw(line, x, y, { align: "center", width });
          y += L.lineHeight(p.size, 1.15);
        }
        if (!p.lines.length) y += L.lineHeight(p.size, 1.15);
      }
    },
  };
}

function closing(L: Layout, b: ClosingBlock): void {
  const leftWidth = L.width * 0.42;
  const rightWidth = L.width * 0.55;
  const rightX = L.left + L.width - rightWidth;
  const signer = signerLines(L, b.signer, rightWidth);
  // Nơi nhận (Decree 30, Mục II.10): "Nơi nhận:" 12 pt bold italic, the list 11 pt.
  const recips = b.recipients ?? [];
  L.font("regular", 11);
  const recipLines = recips.map((r) => L.wrap(r, leftWidth - 10));
  const recipHeight = b.recipientsLabel ? L.lineHeight(12, 1.15) + recipLines.reduce((h, r) => h + r.length * L.lineHeight(11, 1.15), 0) : 0;
  L.y += 6;
  L.ensure(Math.max(signer.height, recipHeight));
  const y = L.y;
  if (b.recipientsLabel) {
    let yy = y + 2;
    L.font("boldItalic", 12);
    L.draw(b.recipientsLabel, L.left, yy);
    yy += L.lineHeight(12, 1.15);
    L.font("regular", 11);
    for (const lines of recipLines) {
      lines.forEach((line, i) => {
        L.draw(line, L.left + (i ? 8 : 0), yy);
        yy += L.lineHeight(11, 1.15);
      });
    }
  }
  signer.draw(rightX, y);
  L.y = y + Math.max(signer.height, recipHeight) + 6;
}

function signatures(L: Layout, b: SignaturesBlock): void {
  const n = b.columns.length;
  const colWidth = L.width / n;
  const laid = b.columns.map((s) => signerLines(L, s, colWidth - 8));
  const height = Math.max(...laid.map((l) => l.height));
  L.y += 6;
  L.ensure(height);
  const y = L.y;
  laid.forEach((l, i) => l.draw(L.left + i * colWidth + 4, y));
  L.y = y + height + 6;
}

/** Decree 30, Mục II.5: page numbers centred in the top margin, from the second page on. */
function numberPages(doc: PDFKit.PDFDocument, layouts: PageLayout[]): void {
  const range = doc.bufferedPageRange();
  for (let i = range.start + 1; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const layout = layouts[i - range.start];
    const pageWidth = layout === "portrait" ? A4.width : A4.height;
    const m = MARGINS[layout];
    doc.font(fontName("regular"), PAGE_NUMBER_SIZE);
    const text = String(i - range.start + 1);
    const w = doc.widthOfString(text);
    // Centred over the text area, in the middle of the top margin.
    const x = m.left + (pageWidth - m.left - m.right - w) / 2;
    doc.text(text, x, m.top / 2 - PAGE_NUMBER_SIZE / 2, { lineBreak: false });
  }
}

/**
 * The most pages one document may have: a 10,000-person list (MAX_LIST) takes about 900 pages
 * (4.5 s, ~750 MB resident while pdfkit holds the pages), so twice that leaves room for long rows.
 */
export const MAX_PAGES = 2000;

/** Renders a document to PDF bytes. */
export function renderDocument(spec: DocumentSpec): Promise<Buffer> {
  const PDFDocument = pdfkit();
  const doc = new PDFDocument({
    autoFirstPage: false,
    font: null as unknown as string, // no Helvetica: registerFonts() sets Tinos
    bufferPages: true,
    size: "A4",
    pdfVersion: "1.7",
    lang: "vi-VN",
    displayTitle: true,
    info: Object.fromEntries(
      Object.entries({
        Title: spec.info.title,
        Author: spec.info.author,
        Subject: spec.info.subject,
        Keywords: spec.info.keywords,
        Creator: "chungthu",
        Producer: "chungthu (PDFKit)",
        CreationDate: spec.createdAt,
        ModDate: spec.createdAt,
      }).filter(([, v]) => v !== undefined && v !== ""),
    ),
  } as PDFKit.PDFDocumentOptions);
  registerFonts(doc);
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on("data", (c: Buffer) => chunks.push(c));
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
  });

  const L = new Layout(doc);
  const layouts: PageLayout[] = [];
  doc.on("pageAdded", () => layouts.push(L.layout));
  L.newPage("portrait");
  for (const b of spec.blocks) place(L, b);
  numberPages(doc, layouts);
  doc.end();
  return done;
}

function place(L: Layout, b: Block): void {
  switch (b.type) {
    case "header":
      return header(L, b);
    case "title":
      return title(L, b);
    case "recipient":
      return recipient(L, b);
    case "paragraph":
      return paragraph(L, b);
    case "heading":
      return heading(L, b);
    case "field":
      return field(L, b);
    case "table":
      return table(L, b);
    case "closing":
      return closing(L, b);
    case "signatures":
      return signatures(L, b);
    case "pageBreak":
      return L.newPage(b.layout ?? L.layout);
    case "spacer":
      L.y += b.height;
      return;
  }
}
