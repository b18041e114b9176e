import type { Module } from "../service";
import type { Job } from "../outbox/job";
import "./context";
import { CrlService } from "../ca/crl/service";
import { registerCrlRoutes } from "../ca/crl/routes";
import { OcspResponder } from "../va/responder";
import { OcspFront } from "../va/front/supervisor";
import { ocspFastRoutes, registerOcspRoutes } from "../va/routes";
import { TimestampAuthority } from "../tsa/authority";
import { registerTsaRoutes, tsaFastRoutes } from "../tsa/routes";
import { ServiceKeys } from "./serviceKeys";
import type { Services } from "../service";

/**
 * `crl.regenerate` {ca}: enqueued by every revocation. Issues new full and delta CRLs unless the
 * newest already reflect every revocation (so a burst coalesces), then re-signs the OCSP responses
 * whose certificate changed status.
 */
const crlRegenerate: Job<{ ca: string }> = {
  kind: "crl.regenerate",
  attempts: 10,
  async perform({ ca }, ctx) {
    const s = ctx.services as unknown as Services;
    await s.status.ocsp.refreshChanged(ca);
    await s.status.crl.regenerate(ca);
  },
};

/** `ocsp.refresh` {ca}: re-signs the responses of a CA whose status changed, and the missing or due ones. */
const ocspRefresh: Job<{ ca: string }> = {
  kind: "ocsp.refresh",
  attempts: 10,
  async perform({ ca }, ctx) {
    const s = ctx.services as unknown as Services;
    await s.status.ocsp.refreshChanged(ca);
    await s.status.ocsp.presign(ca);
  },
};

/** Status and time services: CRLs (src/ca/crl), the OCSP responder (src/va), the TSA (src/tsa). */
export const statusModule: Module = {
  name: "status",
  init(s) {
    s.status = {
      // The CA core's registry (src/ca/registry.ts); a CA whose key cannot be opened here has none.
      signers: async (name) => (s.ca ? s.ca.signer(name).catch(() => undefined) : undefined),
      keys: undefined as unknown as ServiceKeys,
      crl: new CrlService(s),
      ocsp: new OcspResponder(s),
      ocspFront: new OcspFront(s),
      tsa: new TimestampAuthority(s),
    };
    s.status.keys = new ServiceKeys(s);
    s.healthChecks.crl = () => s.status.crl.health();
    s.healthChecks.ocsp = () => s.status.ocsp.health();
    s.healthChecks.ocspProcesses = () => s.status.ocspFront.health();
  },
  routes(api) {
    registerCrlRoutes(api);
    registerOcspRoutes(api);
    registerTsaRoutes(api);
  },
  fastRoutes: (s) => [...ocspFastRoutes(s.status.ocsp), ...tsaFastRoutes(s)],
  jobs: [crlRegenerate, ocspRefresh],
  async start(s) {
    await s.status.ocspFront.start();
    // The schedules (CRL re-issue, OCSP pre-signing) run with the in-process outbox worker;
    // OUTBOX_POLL_MS=0 (tests, a node that only serves) turns both off.
    if (s.config.OUTBOX_POLL_MS > 0) {
      s.status.crl.start();
      s.status.ocsp.start();
    }
  },
  async stop(s) {
    s.status.crl.stop();
    s.status.ocsp.stop();
    await s.status.ocspFront.stop();
  },
};
