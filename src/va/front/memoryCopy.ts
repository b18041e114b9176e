import { errorResponse, OcspStatus, recheckTime, type MemoryEntry, type OcspAnswer, type PresignedAnswer } from "../responder";
import type { OcspSource } from "../routes";
import type { FrontToService, ServiceToFront } from "./protocol";

/** Entries held at most (as the service's memory): past it the copy starts again empty. */
const MAX_ENTRIES = 200_000;
/** A request the service has not answered in this time gets "tryLater" (RFC 6960 §4.2.1). */
const ANSWER_TIMEOUT_MS = 10_000;
const tryLater = (): OcspAnswer => ({ der: errorResponse(OcspStatus.tryLater) });

interface Copy extends PresignedAnswer {
  key: string;
  status: string;
  refreshAt: number;
  recheckAt: number;
}

/**
 * An OCSP process's copy of the service's memory (src/va/responder.ts), answering the same request
 * bytes with the same pre-signed response. Whatever the copy cannot answer goes to the service,
 * whose answer brings the entry with it. The service says when entries go (status changed,
 * re-signed, evicted), and entries answered past their recheck time are sent back to be checked
 * against the database, as the service checks its own: a copy is never trusted longer than the
 * original.
 */
export class MemoryCopy implements OcspSource {
  /** Request bytes (latin1) → entry. */
  private byRequest = new Map<string, Copy>();
  /** Memory key (serial|hash) → the request bytes answered by it. */
  private requestsOf = new Map<string, Set<string>>();
  /** Requests sent to the service, by id: what resolves each. */
  private waiting = new Map<number, (answer: OcspAnswer) => void>();
  private nextId = 1;
  private touched = new Set<string>();
  private touchScheduled = false;

  constructor(
    private send: (m: FrontToService) => void,
    private recheckMs: number,
  ) {}

  answerFromMemory(request: Buffer | undefined): PresignedAnswer | undefined {
    if (!request || request.length > 512) return undefined;
    const hit = this.byRequest.get(request.toString("latin1"));
    if (!hit) return undefined;
    const nowMs = Date.now();
    if (nowMs >= hit.refreshAt) return undefined;
    if (nowMs >= hit.recheckAt) {
      hit.recheckAt = this.recheckAt(nowMs);
      this.touched.add(hit.key);
      if (!this.touchScheduled) {
        this.touchScheduled = true;
        setImmediate(() => {
          this.touchScheduled = false;
          const keys = [...this.touched];
          this.touched.clear();
          this.send({ t: "touch", keys });
        });
      }
    }
    return hit;
  }

  respond(request: Buffer | undefined): Promise<OcspAnswer> {
    const hit = this.answerFromMemory(request);
    if (hit) return Promise.resolve({ der: hit.der, cache: { etag: hit.etag, thisUpdate: hit.thisUpdate, nextUpdate: hit.nextUpdate } });
    const id = this.nextId++;
    return new Promise<OcspAnswer>((resolve) => {
      const done = (answer: OcspAnswer) => {
        clearTimeout(timer);
        this.waiting.delete(id);
        resolve(answer);
      };
      const timer = setTimeout(() => done(tryLater()), ANSWER_TIMEOUT_MS);
      this.waiting.set(id, done);
      try {
        this.send({ t: "respond", id, request: request ?? null });
      } catch {
        done(tryLater());
      }
    });
  }

  /** A message from the service. */
  receive(m: ServiceToFront): void {
    if (m.t === "answer") {
      if (m.entry && m.request) this.keep(m.request, m.entry);
      this.waiting.get(m.id)?.(m.answer);
    } else if ("allGood" in m) {
      for (const [req, c] of this.byRequest) if (c.status === "good") this.drop(req, c);
    } else {
      for (const key of m.keys) {
        for (const req of this.requestsOf.get(key) ?? []) this.byRequest.delete(req);
        this.requestsOf.delete(key);
      }
    }
  }

  /** Every request still waiting for the service gets "tryLater" (the service is gone). */
  abandon(): void {
    for (const done of [...this.waiting.values()]) done(tryLater());
  }

  private keep(request: Buffer, e: MemoryEntry) {
    if (this.byRequest.size >= MAX_ENTRIES) {
      this.byRequest.clear();
      this.requestsOf.clear();
    }
    const req = request.toString("latin1");
    const old = this.byRequest.get(req);
    if (old) this.drop(req, old);
    this.byRequest.set(req, { ...e, recheckAt: this.recheckAt(Date.now()) });
    let set = this.requestsOf.get(e.key);
    if (!set) this.requestsOf.set(e.key, (set = new Set()));
    set.add(req);
  }

  private drop(req: string, c: Copy) {
    this.byRequest.delete(req);
    const set = this.requestsOf.get(c.key);
    set?.delete(req);
    if (set?.size === 0) this.requestsOf.delete(c.key);
  }

  private recheckAt(nowMs: number): number {
    return recheckTime(nowMs, this.recheckMs);
  }
}
