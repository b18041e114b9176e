import type { Module, Services } from "../service";
import { Directory } from "./directory";
import { startDirectoryServer, type DirectoryServer } from "./server";
import { publishCertificate } from "./jobs/publishCertificate";
import { unpublishCertificate } from "./jobs/unpublishCertificate";
import { publishCrl } from "./jobs/publishCrl";

declare module "../service" {
  interface Services {
    directory: Directory;
    directoryServer?: DirectoryServer;
  }
}

/** How often the service compares the directory with the database (and queues expiries). */
export const RECONCILE_INTERVAL_MS = 10 * 60_000;

const timers = new WeakMap<Services, NodeJS.Timeout>();

/**
 * The directory capability: the publisher (embedded or external), its outbox jobs, the embedded
 * LDAP server on 127.0.0.1:LDAP_PORT when no external directory is configured, the periodic
 * reconciliation and `healthChecks.directory`.
 */
export const directory: Module = {
  name: "directory",
  jobs: [publishCertificate, unpublishCertificate, publishCrl],
  init(s: Services) {
    s.directory = new Directory(s.config, s.log);
    s.healthChecks.directory = () => s.directory.health(s.directoryServer?.url);
  },
  async start(s: Services) {
    const d = s.directory;
    if (d.mode === "embedded") {
      await d.load(s.db);
      if (s.config.LDAP_PORT !== "off") {
        s.directoryServer = await startDirectoryServer({ host: s.config.HOST, port: s.config.LDAP_PORT, base: d.base, index: d.index, log: s.log });
        s.log.info({ url: s.directoryServer.url, entries: d.index.size }, "thư mục LDAP nhúng đang phục vụ");
      }
    }
    const tick = () => void d.reconcile(s.db).catch((err) => s.log.warn({ err }, "directory reconciliation failed"));
    const timer = setInterval(tick, RECONCILE_INTERVAL_MS);
    timer.unref();
    timers.set(s, timer);
    if (d.mode === "external") setTimeout(tick, 5_000).unref();
  },
  async stop(s: Services) {
    clearInterval(timers.get(s));
    timers.delete(s);
    await s.directoryServer?.close();
    s.directoryServer = undefined;
    await s.directory.close();
  },
};
