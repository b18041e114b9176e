import fs from "node:fs";
import path from "node:path";
import knex, { Knex } from "knex";

export type Db = Knex | Knex.Transaction;

/** knex settings for a DATABASE_URL, or the embedded SQLite file under the data directory. */
export function knexConfig(databaseUrl: string | undefined, dataDir: string): Knex.Config {
  if (databaseUrl && /^postgres(ql)?:/.test(databaseUrl)) {
    return { client: "pg", connection: databaseUrl, pool: { min: 0, max: 10 } };
  }
  let filename = path.join(dataDir, "chungthu.sqlite");
  if (databaseUrl) filename = databaseUrl.replace(/^(sqlite|file):(\/\/)?/, "");
  if (filename !== ":memory:") fs.mkdirSync(path.dirname(path.resolve(filename)), { recursive: true });
  return {
    client: "sqlite3",
    connection: { filename },
    useNullAsDefault: true,
    pool: {
      min: 1,
      max: 1,
      // WAL for concurrent readers, foreign keys on, and wait instead of failing on a busy file.
      // 8 KiB pages (set before WAL, so only a new database gets them): a certificate row is
      // ~2 KB, one per 4 KiB page, three per 8 KiB; and a 64 MiB page cache instead of SQLite's
      // 2 MiB, which a 10,000-person batch outgrows many times over (re-reading pages from the
      // file). Together ~10 % off the 10,000-person batch end to end (bench/issuance.bench.ts).
      afterCreate: (conn: any, done: (err: Error | null, conn: any) => void) => {
        conn.serialize(() => {
          conn.run(`PRAGMA page_size = ${SQLITE_PAGE_SIZE}`);
          conn.run(`PRAGMA cache_size = -${SQLITE_CACHE_KIB}`);
          conn.run("PRAGMA journal_mode = WAL");
          conn.run("PRAGMA synchronous = NORMAL");
          conn.run("PRAGMA busy_timeout = 5000");
          conn.run("PRAGMA foreign_keys = ON", (err: Error | null) => done(err, conn));
        });
      },
    },
  };
}

/** Page size of a new SQLite database, and the page cache of each connection (KiB). */
export const SQLITE_PAGE_SIZE = 8192;
export const SQLITE_CACHE_KIB = 65_536;

export const migrationsDir = path.resolve(__dirname, "../../migrations");

export async function openDatabase(databaseUrl: string | undefined, dataDir: string): Promise<Knex> {
  const db = knex(knexConfig(databaseUrl, dataDir));
  await db.migrate.latest({ directory: migrationsDir, loadExtensions: [".ts"] });
  return db;
}

/** JSON columns are stored as text so the SQL stays portable between SQLite and PostgreSQL. */
export const toJson = (v: unknown): string => JSON.stringify(v ?? null);
export const fromJson = <T>(v: unknown): T => (typeof v === "string" ? JSON.parse(v) : (v as T));

/** Timestamps are stored as ISO-8601 UTC strings: portable and ordered as text. */
export const nowIso = () => new Date().toISOString();

/** Bound values per statement: under SQLite's 32,766 (and PostgreSQL's 65,535). */
const MAX_BINDINGS = 30_000;

/**
 * Inserts many rows in as few statements as the database allows, optionally skipping rows that
 * collide with `ignoreConflicts` (a unique key). knex writes a multi-row SQLite insert as a compound
 * SELECT (… UNION ALL …): at most 500 rows per statement (SQLITE_MAX_COMPOUND_SELECT) and slow to
 * compile; a VALUES list in chunks under the bound-value limit writes 120,000 two-column rows in
 * 0.39 s instead of 1.1 s. PostgreSQL gets knex's own multi-row VALUES in the same chunks.
 * Columns are the union of the rows' keys; a row without one writes NULL there.
 */
export async function insertMany(db: Db, table: string, objects: readonly object[], opts: { ignoreConflicts?: string[] } = {}): Promise<void> {
  if (objects.length === 0) return;
  const rows = objects as readonly Record<string, unknown>[];
  const cols = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const per = Math.max(1, Math.floor(MAX_BINDINGS / cols.length));
  const sqlite = (db.client.config.client as string) !== "pg";
  const q = (id: string) => `"${id.replace(/"/g, '""')}"`;
  const head = `insert into ${q(table)} (${cols.map(q).join(", ")}) values `;
  const tuple = `(${cols.map(() => "?").join(", ")})`;
  const tail = opts.ignoreConflicts ? ` on conflict (${opts.ignoreConflicts.map(q).join(", ")}) do nothing` : "";
  for (let i = 0; i < rows.length; i += per) {
    const part = rows.slice(i, i + per);
    if (!sqlite) {
      const ins = db(table).insert(part.map((r) => Object.fromEntries(cols.map((c) => [c, r[c] ?? null]))));
      await (opts.ignoreConflicts ? ins.onConflict(opts.ignoreConflicts).ignore() : ins);
      continue;
    }
    const bindings: unknown[] = [];
    for (const r of part) for (const c of cols) bindings.push(r[c] ?? null);
    await db.raw(head + Array(part.length).fill(tuple).join(", ") + tail, bindings as Knex.RawBinding[]);
  }
}
