import cluster, { type Worker } from "node:cluster";
import path from "node:path";
import type { Services } from "../../service";
import type { Forgotten } from "../responder";
import { FRONT_ENV, type FrontSettings, type FrontToService, type ServiceToFront } from "./protocol";

const RESTART_DELAY_MS = 1000;

/**
 * The OCSP processes (OCSP_PORT, OCSP_PROCESSES): node:cluster workers running
 * src/va/front/process.ts, sharing one listener. Two processes answer 1.4–1.9× what the
 * service's own listener does on two cores (four full runs of bench/ocsp.bench.ts): the responses
 * are pre-signed, so the work per request is HTTP, and HTTP spreads over processes. The service stays
 * the only one that reads the database and holds the keys; the processes ask it for what their
 * memory lacks and are told what to forget. A process that dies is started again after a second.
 */
export class OcspFront {
  private workers = new Set<Worker>();
  private stopping = false;
  private unsubscribe?: () => void;
  /** The port the processes listen on (OCSP_PORT, or the one picked for 0). */
  port = 0;

  constructor(private s: Services) {}

  get processes(): number[] {
    return [...this.workers].map((w) => w.process.pid!).filter(Boolean);
  }

  async start(): Promise<void> {
    const c = this.s.config;
    if (c.OCSP_PORT === "off") return;
    this.unsubscribe = this.s.status.ocsp.onForget((f) => this.broadcast(forgetMessage(f)));
    cluster.setupPrimary({
      exec: path.join(__dirname, "process.ts"),
      execArgv: ["--require", "tsx/cjs"],
      serialization: "advanced",
      silent: false,
    });
    const settings: FrontSettings = {
      host: c.HOST, port: c.OCSP_PORT, serviceUrl: this.s.url, bodyLimit: c.BODY_LIMIT,
      recheckMs: c.OCSP_RECHECK_SECONDS * 1000, logLevel: c.LOG_LEVEL,
    };
    // With port 0 too, the processes share one listener (node:cluster keys it by the address asked
    // for), so they all get the port picked for the first.
    const ports = await Promise.all(Array.from({ length: c.OCSP_PROCESSES }, () => this.fork(settings)));
    this.port = ports[0];
    this.s.log.info({ port: this.port, processes: this.processes.length }, "OCSP processes listening");
  }

  /** For /healthz: "off" without OCSP_PORT, "degraded" while fewer processes run than configured. */
  async health(): Promise<import("../../service").HealthResult> {
    const c = this.s.config;
    if (c.OCSP_PORT === "off") return { status: "off" };
    const running = this.processes.length;
    return { status: running >= c.OCSP_PROCESSES ? "ok" : "degraded", critical: false, port: this.port, processes: running, configured: c.OCSP_PROCESSES };
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.unsubscribe?.();
    await Promise.all([...this.workers].map((w) => new Promise<void>((resolve) => {
      if (w.isDead()) return resolve();
      const kill = setTimeout(() => w.process.kill("SIGKILL"), 5000);
      w.once("exit", () => {
        clearTimeout(kill);
        resolve();
      });
      w.disconnect();
    })));
    this.workers.clear();
  }

  /** Starts one process; resolves with the port it listens on once it does. */
  private fork(settings: FrontSettings): Promise<number> {
    const w = cluster.fork({ [FRONT_ENV]: JSON.stringify(settings) });
    this.workers.add(w);
    w.on("message", (m: FrontToService) => this.receive(w, m));
    w.on("exit", (code, signal) => {
      this.workers.delete(w);
      if (this.stopping) return;
      this.s.log.error({ pid: w.process.pid, code, signal }, "an OCSP process stopped; starting another");
      setTimeout(() => {
        if (!this.stopping) this.fork(settings).catch((err) => this.s.log.error({ err }, "OCSP process failed to start"));
      }, RESTART_DELAY_MS).unref();
    });
    return new Promise((resolve, reject) => {
      const failed = (code: number | null) => reject(new Error(`OCSP process exited (${code}) before listening on ${settings.host}:${settings.port}`));
      w.once("exit", failed);
      w.once("listening", (address) => {
        w.off("exit", failed);
        resolve(address.port);
      });
    });
  }

  private receive(w: Worker, m: FrontToService) {
    const ocsp = this.s.status.ocsp;
    if (m?.t === "touch" && Array.isArray(m.keys)) {
      ocsp.touch(m.keys.filter((k) => typeof k === "string"));
    } else if (m?.t === "respond" && typeof m.id === "number") {
      const request = m.request ? Buffer.from(m.request) : undefined;
      ocsp.respond(request).then((answer) => {
        // Read after the answer: the entry as it is now (a change meanwhile was already forgotten).
        const entry = ocsp.entryFor(request);
        if (w.isConnected()) w.send({ t: "answer", id: m.id, answer, entry, request: entry ? request! : null } satisfies ServiceToFront);
      });
    }
  }

  private broadcast(m: ServiceToFront) {
    for (const w of this.workers) if (w.isConnected()) w.send(m);
  }
}

const forgetMessage = (f: Forgotten): ServiceToFront => ("allGood" in f ? { t: "forget", allGood: true } : { t: "forget", keys: f.keys });
