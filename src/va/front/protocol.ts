import type { MemoryEntry, OcspAnswer } from "../responder";

/**
 * The messages between the service and its OCSP processes (node:cluster IPC, "advanced"
 * serialization: Buffers and Dates cross as they are).
 *
 * process → service:
 *   respond  a request its memory cannot answer; the service answers it (signing when needed)
 *   touch    memory entries it answered past their recheck time: the service checks them
 * service → process:
 *   answer   the reply to `respond`, with the memory entry that answers the same bytes from now on
 *   forget   memory entries the service dropped (status changed, re-signed, evicted): drop the copies
 */
export type FrontToService =
  | { t: "respond"; id: number; request: Buffer | null }
  | { t: "touch"; keys: string[] };

export type ServiceToFront =
  | { t: "answer"; id: number; answer: OcspAnswer; entry?: MemoryEntry; request: Buffer | null }
  | { t: "forget"; keys: string[] }
  | { t: "forget"; allGood: true };

/** What a process needs besides its memory: read from its environment (set by the supervisor). */
export interface FrontSettings {
  host: string;
  port: number;
  /** The service's own address: requests that are not OCSP go there unchanged. */
  serviceUrl: string;
  bodyLimit: number;
  recheckMs: number;
  logLevel: string;
}

export const FRONT_ENV = "CHUNGTHU_OCSP_FRONT";

export function settingsFromEnv(env: NodeJS.ProcessEnv): FrontSettings {
  return JSON.parse(env[FRONT_ENV] ?? "{}") as FrontSettings;
}
