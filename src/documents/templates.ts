import fs from "node:fs";
import path from "node:path";
import nunjucks from "nunjucks";
import type { Block, TableColumn } from "./blocks";
import { longDate, shortDate, timeOfDay } from "./documentDate";

/**
 * Document templates: templates/documents/<name>.json. A template is data, not code:
 *
 *   { "title": "…", "blocks": [ block, … ] }
 *
 * where a block is one of blocks.ts's types whose strings are nunjucks templates rendered against
 * the document's context, plus four template-only keys:
 *   - "include": "_partial"          → the partial's blocks, in place;
 *   - "when": "expression"           → the block is kept only when the expression is truthy;
 *   - "each": "expression", "as": "x" on a table → one row per item; columns carry "cell" templates;
 *   - { "each": "expression", "as": "x", "blocks": [ … ] } → the blocks once per item;
 *   - strings in a list (Nơi nhận, Kính gửi) that render empty are dropped.
 * Wording changes (a new decree, a new form) are edits of these files, never of code.
 */
export const templatesDir = path.resolve(__dirname, "../../templates/documents");

export interface TemplateFile {
  title: string;
  subject?: string;
  blocks: TemplateBlock[];
}

type TemplateBlock = Record<string, unknown> & { type?: string; include?: string; when?: string };

const env = new nunjucks.Environment(null, { autoescape: false, throwOnUndefined: false, trimBlocks: true, lstripBlocks: true });
env.addFilter("date", (v: string | Date | null | undefined) => shortDate(v));
env.addFilter("longDate", (v: string | Date) => (v ? longDate(typeof v === "string" ? new Date(v) : v) : ""));
/** Counts in administrative prose take a leading zero under ten: "03 ngày", "02 bản". */
env.addFilter("count", (v: number) => (typeof v === "number" && v >= 0 && v < 10 ? `0${v}` : String(v ?? "")));
env.addFilter("time", (v: string | Date) => (v ? timeOfDay(v) : ""));

/** A compiled string: a constant when it has no template syntax (most wording). */
type Compiled = (ctx: object) => string;
const compiledStrings = new Map<string, Compiled>();
function compile(source: string): Compiled {
  let c = compiledStrings.get(source);
  if (!c) {
    if (!/[{][{%]/.test(source)) {
      const constant = source;
      c = () => constant;
    } else {
      const t = nunjucks.compile(source, env);
      c = (ctx) => t.render(ctx);
    }
    compiledStrings.set(source, c);
  }
  return c;
}

/** Renders a string and tidies its spacing: runs of spaces collapse, line breaks stay. */
export function renderString(source: string, ctx: object): string {
  return compile(source)(ctx)
    .replace(/[ \t\u00a0]+/g, " ")
    .replace(/ ?\n ?/g, "\n")
    .trim();
}

function truthy(expression: string, ctx: object): boolean {
  return renderString(`{% if ${expression} %}1{% endif %}`, ctx) === "1";
}

function evaluate(expression: string, ctx: object): unknown {
  // nunjucks has no "evaluate", so the value travels through a one-use filter-free global.
  let value: unknown;
  const capture = `__capture`;
  const scope: Record<string, unknown> = {
    ...ctx,
    [capture]: (v: unknown) => {
      value = v;
      return "";
    },
  };
  compile(`{{ ${capture}(${expression}) }}`)(scope);
  return value;
}

const files = new Map<string, unknown>();

/** Reads (once) a JSON file of templates/documents; the name is the file name without ".json". */
function loadJson(name: string): unknown {
  let f = files.get(name);
  if (f === undefined) {
    if (!/^[a-z0-9_-]+$/i.test(name)) throw new Error(`bad template name ${name}`);
    f = JSON.parse(fs.readFileSync(path.join(templatesDir, `${name}.json`), "utf8"));
    files.set(name, f);
  }
  return f;
}

/** A document template or partial. */
export function loadTemplate(name: string): TemplateFile {
  const f = loadJson(name) as TemplateFile;
  if (!Array.isArray(f.blocks)) throw new Error(`templates/documents/${name}.json: "blocks" must be a list`);
  return f;
}

/** A data file of templates/documents (shared wording, labels). */
export function loadData<T>(name: string): T {
  return loadJson(name) as T;
}

/** Expands a template into blocks for the engine. */
export function expandTemplate(name: string, ctx: object): { title: string; subject?: string; blocks: Block[] } {
  const t = loadTemplate(name);
  return {
    title: renderString(t.title, ctx),
    subject: t.subject ? renderString(t.subject, ctx) : undefined,
    blocks: expandBlocks(t.blocks, ctx),
  };
}

function expandBlocks(blocks: TemplateBlock[], ctx: object): Block[] {
  const out: Block[] = [];
  for (const b of blocks) {
    if (typeof b.when === "string" && !truthy(b.when, ctx)) continue;
    if (typeof b.each === "string" && Array.isArray(b.blocks)) {
      // A repeated group: its blocks once per item, the item as `as` and its 1-based `index`.
      const items = evaluate(b.each, ctx);
      (Array.isArray(items) ? items : []).forEach((item, i) => {
        out.push(...expandBlocks(b.blocks as TemplateBlock[], { ...ctx, [(b.as as string) ?? "item"]: item, index: i + 1 }));
      });
      continue;
    }
    if (typeof b.include === "string") {
      out.push(...expandBlocks(loadTemplate(b.include).blocks, ctx));
      continue;
    }
    if (b.type === "table" && typeof b.each === "string") {
      out.push(expandTable(b, ctx));
      continue;
    }
    out.push(renderValue(b, ctx, "") as Block);
  }
  return out;
}

/** Keys whose values are names, not text. */
const literalKeys = new Set(["type", "align", "layout", "when", "each", "as"]);

function renderValue(v: unknown, ctx: object, key: string): unknown {
  if (typeof v === "string") return literalKeys.has(key) ? v : renderString(v, ctx);
  if (Array.isArray(v)) {
    const items = v.map((x) => renderValue(x, ctx, key));
    return items.filter((x) => x !== "");
  }
  if (v && typeof v === "object") {
    const o: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) if (k !== "when") o[k] = renderValue(x, ctx, k);
    return o;
  }
  return v;
}

interface TemplateColumn extends TableColumn {
  cell: string;
}

function expandTable(b: TemplateBlock, ctx: object): Block {
  const items = evaluate(b.each as string, ctx);
  const as = (b.as as string) ?? "item";
  const columns = (b.columns as TemplateColumn[]).map((c) => ({
    header: renderString(c.header, ctx),
    width: c.width,
    align: c.align,
    fit: c.fit,
  }));
  const cells = (b.columns as TemplateColumn[]).map((c) => c.cell);
  const rows: string[][] = [];
  const list = Array.isArray(items) ? items : [];
  list.forEach((item, index) => {
    const scope = { ...ctx, [as]: item, index: index + 1 };
    rows.push(cells.map((cell) => renderString(cell, scope)));
  });
  const { each: _e, as: _a, columns: _c, rows: _r, empty, ...rest } = b;
  const table = { ...(renderValue(rest, ctx, "") as object), columns, rows } as Block & { rows: string[][] };
  // An empty list shows one row saying so, rather than a bare header.
  if (!rows.length && typeof empty === "string") table.rows = [[renderString(empty, ctx), ...columns.slice(1).map(() => "")]];
  return table;
}
