import fs from "node:fs";
import path from "node:path";
import PDFDocument from "pdfkit";

/**
 * Tinos: metrically compatible with Times New Roman (the face Decree 30/2020/NĐ-CP names) and
 * covering every Vietnamese letter with its diacritics. Shipped as TTF by @expo-google-fonts/tinos.
 */
export type FontStyle = "regular" | "bold" | "italic" | "boldItalic";

const files: Record<FontStyle, string> = {
  regular: "400Regular/Tinos_400Regular.ttf",
  italic: "400Regular_Italic/Tinos_400Regular_Italic.ttf",
  bold: "700Bold/Tinos_700Bold.ttf",
  boldItalic: "700Bold_Italic/Tinos_700Bold_Italic.ttf",
};

export const fontStyles = Object.keys(files) as FontStyle[];

/** The PDF resource name of each style (what pdffonts shows after the subset tag). */
export const fontName = (style: FontStyle) => `Tinos-${style}`;

let packageDir: string | undefined;
function tinosDir(): string {
  packageDir ??= path.dirname(require.resolve("@expo-google-fonts/tinos/package.json"));
  return packageDir;
}

/** The TTF bytes of one style, read once per process. */
const buffers = new Map<FontStyle, Buffer>();
export function fontBuffer(style: FontStyle): Buffer {
  let b = buffers.get(style);
  if (!b) {
    b = fs.readFileSync(path.join(tinosDir(), files[style]));
    buffers.set(style, b);
  }
  return b;
}

/**
 * Parsed fonts, shared by every document: parsing a TTF costs more than laying out a page, and
 * pdfkit accepts an already parsed fontkit font. Each document still makes its own subset.
 * The parsed font is read-only after parsing (its caches only grow), so sharing it changes no bytes.
 */
interface ParsedFont {
  characterSet: number[];
  glyphForCodePoint(cp: number): unknown;
}
const parsed = new Map<FontStyle, unknown>();
function parsedFont(style: FontStyle): unknown {
  let f = parsed.get(style);
  if (!f) {
    const probe = new PDFDocument({ autoFirstPage: false });
    probe.font(fontBuffer(style));
    const font = (probe as unknown as { _font: { font: ParsedFont } })._font.font;
    // fontkit keeps one Glyph object per glyph id, with the code points of its first request, and
    // pdfkit writes those code points into the ToUnicode map. A glyph first met as the component of
    // an accented letter (the "a" of "à") would have none, and later documents would lose it from
    // their text layer. Creating every mapped glyph up front, in code point order, fixes each
    // glyph's code points once, whatever the documents rendered before.
    for (const cp of [...font.characterSet].sort((a, b) => a - b)) font.glyphForCodePoint(cp);
    f = font;
    parsed.set(style, f);
  }
  return f;
}

/**
 * Shaped words, shared by every document: OpenType shaping (GSUB/GPOS) of a word is the dearest
 * step of laying out text, and its result depends only on the font and the word. pdfkit keeps this
 * cache per document; sharing it across documents keeps rendering fast. It is emptied when it
 * grows past LAYOUT_CACHE_LIMIT words (lists of names and e-mail addresses never repeat).
 */
const LAYOUT_CACHE_LIMIT = 50_000;
const layoutCaches = new Map<FontStyle, Record<string, unknown>>();
let documentsSinceCheck = 0;
function layoutCache(style: FontStyle): Record<string, unknown> {
  let c = layoutCaches.get(style);
  if (!c) {
    c = Object.create(null) as Record<string, unknown>;
    layoutCaches.set(style, c);
  }
  return c;
}
function trimLayoutCaches(): void {
  if (++documentsSinceCheck < 20) return;
  documentsSinceCheck = 0;
  for (const [style, c] of layoutCaches) {
    if (Object.keys(c).length > LAYOUT_CACHE_LIMIT) layoutCaches.delete(style);
  }
}

/**
 * Registers the four Tinos styles on a document under their fontName() and opens them in a fixed
 * order, so each style always gets the same PDF font id (F2…F5) and subset tag, whatever the
 * order the text uses them in. A style the document never uses is not embedded.
 */
export function registerFonts(doc: PDFKit.PDFDocument): void {
  // (Create documents with { font: null }: pdfkit otherwise parses Helvetica's AFM for each one.)
  trimLayoutCaches();
  for (const style of fontStyles) {
    doc.registerFont(fontName(style), parsedFont(style) as Buffer);
    doc.font(fontName(style));
    const embedded = (doc as unknown as { _font: { layoutCache?: Record<string, unknown> } })._font;
    if (embedded.layoutCache) embedded.layoutCache = layoutCache(style);
  }
}
