import type { OcspFront } from "../va/front/supervisor";
import type { CaSigner } from "../ca/signer";
import type { CrlService } from "../ca/crl/service";
import type { OcspResponder } from "../va/responder";
import type { TimestampAuthority } from "../tsa/authority";
import type { ServiceKeys } from "./serviceKeys";

/** Finds the signer of a CA by name (undefined when its key is not loaded, e.g. an offline root). */
export type SignerLookup = (caName: string) => Promise<CaSigner | undefined>;

/** The running status and time services: CRLs, the OCSP responder, the timestamp authority. */
export interface StatusParts {
  signers: SignerLookup;
  /** The OCSP responder and TSA keys with their certificates. */
  keys: ServiceKeys;
  crl: CrlService;
  ocsp: OcspResponder;
  /** The OCSP processes on OCSP_PORT (src/va/front), when that is set. */
  ocspFront: OcspFront;
  tsa: TimestampAuthority;
}

declare module "../service" {
  interface Services {
    status: StatusParts;
  }
}
