import * as ldapjs from "ldapjs";
import { dnKey, parseDn } from "./dn";
import type { DirEntry, Values } from "./dit";

/**
 * The embedded directory's content, in memory: entries by canonical DN, the tree, and equality
 * indexes on the attributes people search by. A search narrows candidates with the indexes, then
 * checks each with the parsed filter's own matches() — filters are parsed, never concatenated.
 */

export interface IndexedEntry {
  dn: string;
  key: string;
  parent: string;
  attributes: Record<string, Values>;
  /** Attribute base names in lower case → normalised string values (binary values as a marker). */
  view: Record<string, string[]>;
}

export type Scope = "base" | "one" | "sub";

/** Attributes with an equality index (as slapd's `index … eq` in ldap-schema/slapd.conf). */
const INDEXED = new Set(["uid", "mail", "cn", "sn", "givenname", "o", "ou", "serialnumber", "displayname"]);
const BINARY_MARKER = "\u0000binary";

/** caseIgnoreMatch-like normalisation: NFC, lower case, insignificant spaces collapsed. */
export const normalizeValue = (v: string) => v.normalize("NFC").toLowerCase().replace(/\s+/g, " ").trim();
export const baseName = (attr: string) => attr.split(";")[0].toLowerCase();

const asString = (v: unknown) => (Buffer.isBuffer(v) ? v.toString("utf8") : String(v ?? ""));

/**
 * ldapjs hands filter values over in their RFC 4515 string form ("c\e1\bb\95ng" for
 * "cổng"): decode \XX escapes back to the UTF-8 value.
 */
export function unescapeFilterValue(v: unknown): string {
  const s = asString(v);
  if (!s.includes("\\")) return s;
  const bytes: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const h = s.slice(i + 1, i + 3);
    if (s[i] === "\\" && /^[0-9a-fA-F]{2}$/.test(h)) {
      bytes.push(parseInt(h, 16));
      i += 2;
    } else bytes.push(...Buffer.from(s[i], "utf8"));
  }
  return Buffer.from(bytes).toString("utf8");
}

// ldapjs re-exports @ldapjs/filter's classes; its typings are narrower than the classes.
const {
  AndFilter, EqualityFilter, GreaterThanEqualsFilter, LessThanEqualsFilter, NotFilter, OrFilter, PresenceFilter, SubstringFilter,
} = ldapjs as any;

interface Matcher {
  matches(obj: Record<string, string[]>, strictAttrCase?: boolean): boolean;
}
const NEVER: Matcher = { matches: () => false };

/**
 * Rebuilds a parsed filter with attribute names and values normalised as the index's view is, so
 * its matches() behaves as LDAP matching rules do (case-insensitive names and values, options such
 * as ;binary ignored). Extensible matches are not supported and match nothing (Undefined).
 */
export function normalizeFilter(f: any): Matcher {
  switch (f?.constructor?.name) {
    case "AndFilter":
      return new AndFilter({ filters: f.filters.map(normalizeFilter) }) as unknown as Matcher;
    case "OrFilter":
      return new OrFilter({ filters: f.filters.map(normalizeFilter) }) as unknown as Matcher;
    case "NotFilter":
      return new NotFilter({ filter: normalizeFilter(f.filter) as any }) as unknown as Matcher;
    case "PresenceFilter":
      return new PresenceFilter({ attribute: baseName(f.attribute) }) as unknown as Matcher;
    case "EqualityFilter":
    case "ApproximateFilter":
      return new EqualityFilter({ attribute: baseName(f.attribute), value: normalizeValue(unescapeFilterValue(f.value)) }) as unknown as Matcher;
    case "GreaterThanEqualsFilter":
      return new GreaterThanEqualsFilter({ attribute: baseName(f.attribute), value: normalizeValue(unescapeFilterValue(f.value)) }) as unknown as Matcher;
    case "LessThanEqualsFilter":
      return new LessThanEqualsFilter({ attribute: baseName(f.attribute), value: normalizeValue(unescapeFilterValue(f.value)) }) as unknown as Matcher;
    case "SubstringFilter":
      return new SubstringFilter({
        attribute: baseName(f.attribute),
        initial: f.initial ? normalizeValue(unescapeFilterValue(f.initial)) : undefined,
        any: (f.any ?? []).map((s: unknown) => normalizeValue(unescapeFilterValue(s))),
        final: f.final ? normalizeValue(unescapeFilterValue(f.final)) : undefined,
      }) as unknown as Matcher;
    default:
      return NEVER;
  }
}

export class SearchTimeLimitExceeded extends Error {}

/** The parent's key of a canonical key (dnKey): what follows the first comma not escaped by "\\". */
export function parentOfKey(key: string): string {
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    if (c === 92 /* \\ */) i++;
    else if (c === 44 /* , */) return key.slice(i + 1);
  }
  return "";
}

export class DirectoryIndex {
  private entries = new Map<string, IndexedEntry>();
  private children = new Map<string, Set<string>>();
  /** attribute → value → the key of the one entry holding it, or a Set of keys (most values are unique). */
  private eq = new Map<string, Map<string, string | Set<string>>>();

  get size() {
    return this.entries.size;
  }

  get(dn: string): IndexedEntry | undefined {
    return this.entries.get(dnKey(dn));
  }

  getByKey(key: string) {
    return this.entries.get(key);
  }

  keys() {
    return this.entries.keys();
  }

  /**
   * Adds or replaces an entry. `key`, when the caller has it (placementOf computed it), is
   * dnKey(entry.dn): the DN is then not parsed again, and the parent's key is the key after its
   * first unescaped comma (canonical keys escape commas inside values).
   */
  put(entry: DirEntry, key?: string): void {
    let parentKey: string;
    if (key === undefined) {
      const rdns = parseDn(entry.dn);
      key = dnKey(rdns);
      parentKey = dnKey(rdns.slice(1));
    } else parentKey = parentOfKey(key);
    const view: Record<string, string[]> = {};
    for (const [name, values] of Object.entries(entry.attributes)) {
      const b = baseName(name);
      (view[b] ??= []).push(...values.map((v) => {
        if (Buffer.isBuffer(v)) return BINARY_MARKER;
        const n = normalizeValue(v);
        return n === v ? v : n; // share the string when normalising changed nothing
      }));
    }
    let parent = parentKey;
    let kids = this.children.get(parent);
    if (!kids) this.children.set(parent, (kids = new Set()));
    else parent = this.entries.get(parent)?.key ?? parent; // share the parent's key string
    const e: IndexedEntry = { dn: entry.dn, key, parent, attributes: entry.attributes, view };
    this.entries.set(key, e);
    kids.add(key);
    for (const [attr, values] of Object.entries(view)) {
      if (!INDEXED.has(attr)) continue;
      let byValue = this.eq.get(attr);
      if (!byValue) this.eq.set(attr, (byValue = new Map()));
      for (const v of values) {
        const cur = byValue.get(v);
        if (cur === undefined) byValue.set(v, key);
        else if (typeof cur === "string") {
          if (cur !== key) byValue.set(v, new Set([cur, key]));
        } else cur.add(key);
      }
    }
  }

  remove(dn: string): boolean {
    const e = this.entries.get(dnKey(dn));
    if (!e) return false;
    this.unindex(e);
    this.entries.delete(e.key);
    return true;
  }

  private unindex(e: IndexedEntry) {
    this.children.get(e.parent)?.delete(e.key);
    for (const [attr, values] of Object.entries(e.view)) {
      const byValue = this.eq.get(attr);
      if (!byValue) continue;
      for (const v of values) {
        const cur = byValue.get(v);
        if (cur === undefined) continue;
        if (typeof cur === "string") {
          if (cur === e.key) byValue.delete(v);
        } else {
          cur.delete(e.key);
          if (cur.size === 1) byValue.set(v, cur.values().next().value!);
          else if (cur.size === 0) byValue.delete(v);
        }
      }
    }
  }

  /** Replaces the whole content; returns how many entries differed (drift). */
  replaceAll(entries: Iterable<DirEntry>): number {
    const next = new DirectoryIndex();
    for (const e of entries) next.put(e);
    let drift = 0;
    for (const [k, e] of next.entries) if (!this.entries.has(k) || !sameEntry(this.entries.get(k)!, e)) drift++;
    for (const k of this.entries.keys()) if (!next.entries.has(k)) drift++;
    this.entries = next.entries;
    this.children = next.children;
    this.eq = next.eq;
    return drift;
  }

  /** The nearest existing ancestor of a DN, for matchedDN in noSuchObject. */
  matchedDn(dn: string): string {
    const rdns = parseDn(dn);
    for (let i = 1; i <= rdns.length; i++) {
      const e = this.entries.get(dnKey(rdns.slice(i)));
      if (e) return e.dn;
    }
    return "";
  }

  /** Candidate keys for a filter from the equality indexes, or null when it needs a scan. */
  private plan(f: any): ReadonlySet<string> | string[] | null {
    const name = f?.constructor?.name;
    if (name === "EqualityFilter" && INDEXED.has(f.attribute)) {
      const hit = this.eq.get(f.attribute)?.get(asString(f.value));
      return hit === undefined ? [] : typeof hit === "string" ? [hit] : hit;
    }
    if (name === "AndFilter") {
      let best: ReadonlySet<string> | string[] | null = null;
      const size = (p: ReadonlySet<string> | string[]) => (Array.isArray(p) ? p.length : p.size);
      for (const c of f.filters) {
        const p = this.plan(c);
        if (p && (!best || size(p) < size(best))) best = p;
      }
      return best;
    }
    if (name === "OrFilter") {
      const union = new Set<string>();
      for (const c of f.filters) {
        const p = this.plan(c);
        if (!p) return null;
        for (const k of p) union.add(k);
      }
      return union;
    }
    return null;
  }

  /**
   * The entries in scope that match, in tree order for base/one and index or insertion order for
   * sub. `baseKey` must exist (the caller answers noSuchObject otherwise), or be "" (the root).
   */
  *search(baseKey: string, scope: Scope, filter: Matcher, deadline = Infinity): Generator<IndexedEntry> {
    let candidates: Iterable<string>;
    if (scope === "base") candidates = [baseKey];
    else if (scope === "one") candidates = this.children.get(baseKey) ?? [];
    else candidates = this.plan(filter) ?? this.entries.keys();
    const suffix = "," + baseKey;
    let n = 0;
    for (const key of candidates) {
      if ((++n & 255) === 0 && Date.now() > deadline) throw new SearchTimeLimitExceeded();
      if (scope === "sub" && baseKey !== "" && key !== baseKey && !key.endsWith(suffix)) continue;
      const e = this.entries.get(key);
      if (e && filter.matches(e.view, true)) yield e;
    }
  }
}

function sameEntry(a: IndexedEntry, b: IndexedEntry): boolean {
  const ka = Object.keys(a.attributes).sort();
  const kb = Object.keys(b.attributes).sort();
  if (ka.join("\n") !== kb.join("\n")) return false;
  for (const k of ka) {
    const va = a.attributes[k].map((v) => (Buffer.isBuffer(v) ? v.toString("base64") : v)).sort();
    const vb = b.attributes[k].map((v) => (Buffer.isBuffer(v) ? v.toString("base64") : v)).sort();
    if (va.join("\n") !== vb.join("\n")) return false;
  }
  return true;
}
