import { dnKey, parseDn } from "./dn";
import { BINARY_ATTRS, type DirEntry, type Values } from "./dit";
import { normalizeValue } from "./searchIndex";
import { createHash } from "node:crypto";

/**
 * The difference between what the directory holds and what it must hold, entry by entry and
 * value by value: what `directory resync` applies (or prints with --dry-run) and what the periodic
 * reconciliation counts as drift. Values are compared as the directory's matching rules do:
 * strings without case, binary values byte for byte.
 */
export interface EntryDiff {
  dn: string;
  change: "add" | "modify" | "delete";
  /** attribute → values to add / to remove (by value, never a whole attribute). */
  add: Record<string, Values>;
  remove: Record<string, Values>;
}

const isBinary = (attr: string) => BINARY_ATTRS.some((b) => b.toLowerCase() === attr.toLowerCase()) || attr.includes(";");
const valueKey = (v: string | Buffer) => (Buffer.isBuffer(v) ? "b:" + v.toString("base64") : "s:" + normalizeValue(v));

function byLowerName(e: DirEntry): Map<string, { name: string; values: Values }> {
  const m = new Map<string, { name: string; values: Values }>();
  for (const [name, values] of Object.entries(e.attributes)) {
    const k = name.toLowerCase();
    const cur = m.get(k);
    if (cur) cur.values.push(...values);
    else m.set(k, { name, values: [...values] });
  }
  return m;
}

function asComparable(attr: string, v: string | Buffer): string | Buffer {
  // slapd hands back ;binary values as Buffers (explicitBufferAttributes); others as strings.
  if (isBinary(attr)) return Buffer.isBuffer(v) ? v : Buffer.from(v, "binary");
  return Buffer.isBuffer(v) ? v.toString("utf8") : v;
}

export function diffEntry(desired: DirEntry | undefined, actual: DirEntry | undefined): EntryDiff | undefined {
  if (desired && !actual) return { dn: desired.dn, change: "add", add: desired.attributes, remove: {} };
  if (!desired && actual) return { dn: actual.dn, change: "delete", add: {}, remove: actual.attributes };
  if (!desired || !actual) return undefined;
  const d = byLowerName(desired);
  const a = byLowerName(actual);
  const add: Record<string, Values> = {};
  const remove: Record<string, Values> = {};
  for (const [k, { name, values }] of d) {
    const have = new Set((a.get(k)?.values ?? []).map((v) => valueKey(asComparable(name, v))));
    const missing = values.filter((v) => !have.has(valueKey(asComparable(name, v))));
    if (missing.length) add[name] = missing;
  }
  for (const [k, { name, values }] of a) {
    const want = new Set((d.get(k)?.values ?? []).map((v) => valueKey(asComparable(name, v))));
    const extra = values.filter((v) => !want.has(valueKey(asComparable(name, v))));
    if (extra.length) remove[d.get(k)?.name ?? name] = extra.map((v) => asComparable(name, v));
  }
  if (!Object.keys(add).length && !Object.keys(remove).length) return undefined;
  return { dn: desired.dn, change: "modify", add, remove };
}

/**
 * All differences, ordered so they can be applied: additions parents first, deletions children
 * first, modifications in between.
 */
export function diffTrees(desired: Map<string, DirEntry>, actual: Iterable<DirEntry>): EntryDiff[] {
  const actualByKey = new Map<string, DirEntry>();
  for (const e of actual) actualByKey.set(dnKey(e.dn), e);
  const out: EntryDiff[] = [];
  for (const [k, e] of desired) {
    const d = diffEntry(e, actualByKey.get(k));
    if (d) out.push(d);
  }
  for (const [k, e] of actualByKey) if (!desired.has(k)) out.push(diffEntry(undefined, e)!);
  const depth = (dn: string) => parseDn(dn).length;
  const rank = { add: 0, modify: 1, delete: 2 } as const;
  return out.sort((x, y) =>
    rank[x.change] - rank[y.change] || (x.change === "delete" ? depth(y.dn) - depth(x.dn) : depth(x.dn) - depth(y.dn)));
}

const show = (v: string | Buffer) =>
  Buffer.isBuffer(v) ? `<DER ${v.length} byte, SHA-256 ${createHash("sha256").update(v).digest("hex").slice(0, 16)}…>` : v;

/** The diff as text, LDIF-like: "+" to add, "-" to remove, "~" an entry that changes. */
export function formatDiff(diffs: EntryDiff[]): string {
  const lines: string[] = [];
  for (const d of diffs) {
    const mark = d.change === "add" ? "+" : d.change === "delete" ? "-" : "~";
    lines.push(`${mark} dn: ${d.dn}`);
    if (d.change === "delete") continue;
    for (const [attr, values] of Object.entries(d.add)) for (const v of values) lines.push(`    + ${attr}: ${show(v)}`);
    for (const [attr, values] of Object.entries(d.remove)) for (const v of values) lines.push(`    - ${attr}: ${show(v)}`);
  }
  return lines.join("\n");
}
