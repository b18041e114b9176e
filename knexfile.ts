// knex CLI configuration (npx knex --knexfile knexfile.ts migrate:status). The service migrates by itself.
import { loadConfig } from "./src/config";
import { knexConfig, migrationsDir } from "./src/store/db";

const config = loadConfig();
module.exports = { ...knexConfig(config.DATABASE_URL, config.dataDir), migrations: { directory: migrationsDir, loadExtensions: [".ts"] } };
