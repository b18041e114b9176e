import type { Knex } from "knex";
import { loadConfig, type Config } from "../config";
import { openDatabase } from "../store/db";

/** Opens the configured database (migrating it) for one CLI command, and closes it after. */
export async function withDatabase<T>(fn: (db: Knex, config: Config) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const db = await openDatabase(config.DATABASE_URL, config.dataDir);
  try {
    return await fn(db, config);
  } finally {
    await db.destroy();
  }
}
