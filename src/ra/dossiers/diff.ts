/**
 * What changed between two versions of a dossier's content, field by field, for its history:
 * scalars and the fields of nested objects (agency.phone) with their old and new values; lists
 * (subscribers, assets…) as a summary — counts, changed rows, changed columns — never whole.
 */
export type FieldChange =
  | { field: string; from: unknown; to: unknown }
  | { field: string; list: { before: number; after: number; added: number; removed: number; changedRows: number[]; changedFields: string[] } };

const MAX_ROWS_LISTED = 50;
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

export function diffContent(before: Record<string, unknown>, after: Record<string, unknown>): FieldChange[] {
  const out: FieldChange[] = [];
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  for (const k of keys) {
    const a = before[k];
    const b = after[k];
    if (same(a, b)) continue;
    if (Array.isArray(a) || Array.isArray(b)) {
      out.push({ field: k, list: listSummary(Array.isArray(a) ? a : [], Array.isArray(b) ? b : []) });
    } else if (isPlainObject(a) && isPlainObject(b)) {
      for (const sub of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
        if (!same(a[sub], b[sub])) out.push({ field: `${k}.${sub}`, from: a[sub] ?? null, to: b[sub] ?? null });
      }
    } else {
      out.push({ field: k, from: a ?? null, to: b ?? null });
    }
  }
  return out;
}

function listSummary(a: unknown[], b: unknown[]) {
  const changedRows: number[] = [];
  const changedFields = new Set<string>();
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    if (same(a[i], b[i])) continue;
    if (changedRows.length < MAX_ROWS_LISTED) changedRows.push(i + 1);
    const x = a[i];
    const y = b[i];
    if (isPlainObject(x) && isPlainObject(y)) {
      for (const f of new Set([...Object.keys(x), ...Object.keys(y)])) if (!same(x[f], y[f])) changedFields.add(f);
    }
  }
  return {
    before: a.length,
    after: b.length,
    added: Math.max(0, b.length - a.length),
    removed: Math.max(0, a.length - b.length),
    changedRows,
    changedFields: [...changedFields].sort(),
  };
}

/** The changed field names only: for the audit log, which must not carry personal data. */
export const changedFieldNames = (changes: FieldChange[]) => changes.map((c) => c.field);
