import fs from "node:fs";
import path from "node:path";
import { pdfkit } from "./pdfkit";

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
    const probe = new (pdfkit())({ autoFirstPage: false });
    probe.font(fontBuffer(style));
    const font = (probe as unknown as { _font: { font: ParsedFont } })._font.font;
    // fontkit keeps one Glyph object per glyph id, with the code points of its first request, and
    // pdfkit writes those code points into the ToUnicode map. A glyph first met as the component of
    // an accented letter (the "a" of "à") would have none, and later documents would lose it from
    // their text layer. Creating every mapped glyph up front, in code point order, fixes each
    // glyph's code points once, whatever the documents rendered before.
    for (const cp of [...font.characterSet].sort((a, b) => a - b)) font.glyphForCodePoint(cp);
    cacheSubsetGlyphs(font as unknown as { createSubset(): unknown });
    f = font;
    parsed.set(style, f);
  }
  return f;
}

/** What a TrueType subset copies of one glyph: its glyf bytes, compound parts and metrics. */
interface SubsetGlyph {
  raw: Uint8Array;
  components: { id: number; pos: number }[] | null;
  advance: number;
  bearing: number;
}
interface TtfSubset {
  font: { _variationProcessor?: unknown; getGlyph(gid: number): any; loca: { offsets: number[] }; _getTableStream(t: string): any };
  glyf: Uint8Array[];
  loca: { offsets: number[] };
  hmtx: { metrics: { advance: number; bearing: number }[] };
  offset: number;
  includeGlyph(gid: number): number;
  _addGlyph(gid: number): number;
}
const subsetGlyphs = new WeakMap<object, Map<number, SubsetGlyph>>();
let subsetPatched = false;

/**
 * Every document subsets the fonts again (each embeds only its own glyphs), and fontkit decodes
 * each glyph's outline for that on every subset. The bytes it copies depend only on the font and
 * the glyph id, so they are kept per parsed font: fontkit's TTFSubset._addGlyph, with the decoded
 * parts remembered. The subset it writes is byte for byte the same.
 */
function cacheSubsetGlyphs(font: { createSubset(): unknown }): void {
  if (subsetPatched) return;
  const proto = Object.getPrototypeOf(font.createSubset()) as TtfSubset;
  if (typeof proto._addGlyph !== "function" || typeof proto.includeGlyph !== "function") return;
  subsetPatched = true;
  const original = proto._addGlyph;
  proto._addGlyph = function (this: TtfSubset, gid: number): number {
    if (this.font._variationProcessor) return original.call(this, gid);
    let cache = subsetGlyphs.get(this.font);
    if (!cache) subsetGlyphs.set(this.font, (cache = new Map()));
    let g = cache.get(gid);
    if (!g) {
      const glyph = this.font.getGlyph(gid);
      const glyf = glyph._decode();
      const start = this.font.loca.offsets[gid];
      const stream = this.font._getTableStream("glyf");
      stream.pos += start;
      const raw = Uint8Array.from(stream.readBuffer(this.font.loca.offsets[gid + 1] - start));
      const components = glyf && glyf.numberOfContours < 0 ? (glyf.components as { glyphID: number; pos: number }[]).map((c) => ({ id: c.glyphID, pos: c.pos })) : null;
      g = { raw, components, advance: glyph.advanceWidth, bearing: glyph._getMetrics().leftBearing };
      cache.set(gid, g);
    }
    let buffer = g.raw;
    if (g.components) {
      // A compound glyph names its parts by glyph id: renumber them to this subset's ids.
      buffer = new Uint8Array(g.raw);
      const view = new DataView(buffer.buffer);
      for (const c of g.components) view.setUint16(c.pos, this.includeGlyph(c.id));
    }
    this.glyf.push(buffer);
    this.loca.offsets.push(this.offset);
    this.hmtx.metrics.push({ advance: g.advance, bearing: g.bearing });
    this.offset += buffer.length;
    return this.glyf.length - 1;
  };
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
