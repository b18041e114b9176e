import http from "node:http";
import path from "node:path";
import type { Knex } from "knex";
import type { Config } from "./config";
import { createLogger, type Logger } from "./log";
import { openDatabase } from "./store/db";
import { prepareDataDir } from "./store/dataDir";
import { OutboxWorker } from "./outbox/worker";
import { buildApp } from "./http/app";
import { ApiRouter } from "./http/route";
import { withFastRoutes, type FastRoute } from "./http/fastPath";
import { bootstrapAdmin } from "./auth/bootstrap";
import { modules } from "./modules";
import type { Job } from "./outbox/job";

export interface HealthResult {
  status: "ok" | "down" | "degraded" | "off" | "unknown";
  critical?: boolean;
  [k: string]: unknown;
}

/**
 * The running service's parts. Capabilities add their own fields by declaration merging
 * (`declare module "../service" { interface Services { mailer: Mailer } }`) and fill them in init().
 */
export interface Services {
  config: Config;
  db: Knex;
  log: Logger;
  worker: OutboxWorker;
  healthChecks: Record<string, () => Promise<HealthResult>>;
  /** This service's own HTTP address (http://HOST:port), set once it listens, before modules start. */
  url: string;
}

/** A capability plugs into the service through these hooks, in the order of src/modules.ts. */
export interface Module {
  name: string;
  /** Creates the module's parts (after the database is migrated). */
  init?(s: Services): Promise<void> | void;
  routes?(api: ApiRouter): void;
  /** Public routes of another protocol served in front of Koa (src/http/fastPath.ts). */
  fastRoutes?(s: Services): FastRoute[];
  jobs?: Job[];
  /** Starts listeners and timers (after the HTTP server is up). */
  start?(s: Services): Promise<void> | void;
  stop?(s: Services): Promise<void> | void;
}

export interface RunningService {
  services: Services;
  server: http.Server;
  url: string;
  api: ApiRouter;
  stop(): Promise<void>;
}

export async function startService(config: Config, opts: { logger?: Logger } = {}): Promise<RunningService> {
  const log = opts.logger ?? createLogger(config.LOG_LEVEL);
  prepareDataDir(config.dataDir, log);
  const db = await openDatabase(config.DATABASE_URL, config.dataDir);
  const services = { config, db, log, healthChecks: {} } as unknown as Services;
  services.worker = new OutboxWorker(db, log, services as unknown as Record<string, unknown>, { pollMs: config.OUTBOX_POLL_MS });

  const api = new ApiRouter();
  const started: Module[] = [];
  let server: http.Server | undefined;
  let url = "";
  try {
    await bootstrapAdmin(services);
    for (const m of modules) {
      await m.init?.(services);
      m.routes?.(api);
      if (m.jobs) services.worker.register(...m.jobs);
    }
    const app = buildApp(services, api);
    const fast = modules.flatMap((m) => m.fastRoutes?.(services) ?? []);
    const listening = http.createServer(withFastRoutes({ bodyLimit: config.BODY_LIMIT, log }, fast, app.callback()));
    server = listening;
    listening.keepAliveTimeout = 65_000;
    await new Promise<void>((resolve, reject) => {
      listening.once("error", reject);
      listening.listen(config.PORT, config.HOST, () => resolve());
    });
    const addr = listening.address() as { port: number };
    url = `http://${config.HOST.includes(":") ? `[${config.HOST}]` : config.HOST}:${addr.port}`;
    services.url = url;
    for (const m of modules) {
      await m.start?.(services);
      started.push(m);
    }
    services.worker.start();
  } catch (err) {
    // A failed start leaves nothing open behind it: timers, listeners, the database.
    await services.worker.stop().catch(() => undefined);
    for (const m of started.reverse()) await Promise.resolve(m.stop?.(services)).catch(() => undefined);
    server?.close();
    await db.destroy().catch(() => undefined);
    throw err;
  }
  const httpServer = server!;
  log.info({ url, dataDir: config.dataDir, database: db.client.config.client }, "chungthu đang phục vụ");

  let stopped = false;
  return {
    services,
    server: httpServer,
    url,
    api,
    async stop() {
      if (stopped) return;
      stopped = true;
      await services.worker.stop();
      for (const m of [...modules].reverse()) await m.stop?.(services);
      await new Promise<void>((resolve) => {
        httpServer.close(() => resolve());
        httpServer.closeAllConnections?.();
      });
      await db.destroy();
    },
  };
}

export const dataPath = (config: Config, ...parts: string[]) => path.join(config.dataDir, ...parts);
