import type { EkuName, KeyUsageName } from "../x509/extensions";
import type { IdentityType, SubjectInfo } from "../subject";

/**
 * A certificate profile is data plus small checks (style.md §11): what the certificate says
 * (key usage, extended key usage, names) and what it accepts (keys, subject fields, validity).
 * Every profile also gets the fixed parts of src/ca/issuance/template.ts: basicConstraints CA:false,
 * SKI, AKI, certificate policies, CRL distribution points and authority information access.
 */
export interface Profile {
  name: string;
  /** What a clerk reads. */
  label: string;
  /** RFC 5280 §4.2.1.3, always critical. */
  keyUsage: KeyUsageName[];
  /** Added when the subject key is RSA (TLS key transport). */
  keyUsageForRsa?: KeyUsageName[];
  /** RFC 5280 §4.2.1.12; a device may narrow it to server or client. */
  extendedKeyUsage: EkuName[];
  /** Variants of the extended key usage a request may choose (device: server, client, both). */
  usages?: Record<string, EkuName[]>;
  subject: {
    required: (keyof SubjectInfo)[];
    identityTypes: IdentityType[];
  };
  san: { email: boolean; dns: boolean; ip: boolean; requireDnsOrIp?: boolean };
  keys: { rsaMinBits: number; curves: ("P-256" | "P-384")[] };
  /** Decree 68/2024: a new certificate is valid at most 5 years. */
  maxValidityYears: number;
  defaultValidityYears: number;
}
