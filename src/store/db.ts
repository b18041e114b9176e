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
      afterCreate: (conn: any, done: (err: Error | null, conn: any) => void) => {
        conn.serialize(() => {
          conn.run("PRAGMA journal_mode = WAL");
          conn.run("PRAGMA synchronous = NORMAL");
          conn.run("PRAGMA busy_timeout = 5000");
          conn.run("PRAGMA foreign_keys = ON", (err: Error | null) => done(err, conn));
        });
      },
    },
  };
}

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
