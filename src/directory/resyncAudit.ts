import type { Db } from "../store/db";
import * as audit from "../audit/audit";
import type { EntryDiff } from "./diff";

/** What one `directory resync` run found (and, unless a dry run, changed): entries and values. */
export interface ResyncCounts {
  /** Entries missing from the directory (added). */
  added: number;
  /** Entries the database does not have (removed). */
  removed: number;
  /** Entries whose values differ (repaired value by value). */
  repaired: number;
  valuesAdded: number;
  valuesRemoved: number;
}

export function resyncCounts(diffs: EntryDiff[]): ResyncCounts {
  const values = (r: Record<string, unknown[]>) => Object.values(r).reduce((n, v) => n + v.length, 0);
  const c: ResyncCounts = { added: 0, removed: 0, repaired: 0, valuesAdded: 0, valuesRemoved: 0 };
  for (const d of diffs) {
    if (d.change === "add") c.added++;
    else if (d.change === "delete") c.removed++;
    else c.repaired++;
    if (d.change !== "delete") c.valuesAdded += values(d.add);
    if (d.change !== "add") c.valuesRemoved += values(d.remove);
  }
  return c;
}

export type ResyncOutcome = "embedded" | "dry_run" | "nothing" | "applied" | "failed";

/**
 * One audit row per `directory resync` run, dry runs and failures included: the mode, the outcome
 * and the counts (for a dry run, what would change). The directory's bind password never appears.
 */
export async function auditResync(
  db: Db,
  actor: string,
  run: { dryRun: boolean; mode: "embedded" | "external"; url?: string; outcome: ResyncOutcome; counts?: ResyncCounts; error?: string },
): Promise<void> {
  await audit.append(db, {
    actor, action: "directory.resync", objectType: "directory", objectId: run.mode,
    details: {
      dryRun: run.dryRun, outcome: run.outcome, url: run.url ?? null,
      ...(run.counts ?? { added: 0, removed: 0, repaired: 0, valuesAdded: 0, valuesRemoved: 0 }),
      ...(run.error ? { error: run.error } : {}),
    },
  });
}
