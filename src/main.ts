import { ConfigError, loadConfig } from "./config";
import { startService } from "./service";
import { privateUmask } from "./store/dataDir";

/** `npm start`: the service with its embedded defaults. */
async function main() {
  privateUmask();
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`chungthu: ${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  const running = await startService(config);
  const shutdown = async (signal: string) => {
    running.services.log.info({ signal }, "đang dừng dịch vụ");
    await running.stop();
    process.exit(0);
  };
  process.once("SIGINT", () => void shutdown("SIGINT"));
  process.once("SIGTERM", () => void shutdown("SIGTERM"));
}

main().catch((err) => {
  process.stderr.write(`chungthu: không khởi động được: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
