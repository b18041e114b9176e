import { DomainError } from "../../errors";
import { messages } from "../../messages";
import type { Profile } from "./profile";
import { individual } from "./individual";
import { organization } from "./organization";
import { device } from "./device";
import { describePublicKey } from "../algorithms";
import type { SubjectInfo } from "../subject";

export type { Profile } from "./profile";
export const profiles: Record<string, Profile> = { individual, organization, device };
export const PROFILE_NAMES = ["individual", "organization", "device"] as const;
export type ProfileName = (typeof PROFILE_NAMES)[number];

export function getProfile(name: string): Profile {
  const p = profiles[name];
  if (!p) throw new DomainError("unknown_profile", messages.ca.unknownProfile(name), { profile: name });
  return p;
}

/** Profile check: RSA of at least rsaMinBits, or ECDSA on an allowed curve; nothing else. Returns the key name. */
export function checkKey(p: Profile, spki: Uint8Array): string {
  let d;
  try {
    d = describePublicKey(spki);
  } catch {
    throw new DomainError("unsupported_key", messages.ca.unsupportedKey("không đọc được"), {});
  }
  if (d.kind === "rsa") {
    if (d.bits < p.keys.rsaMinBits) throw new DomainError("weak_key", messages.ca.weakRsaKey(d.bits, p.keys.rsaMinBits), { bits: d.bits, minimum: p.keys.rsaMinBits });
    return `rsa-${d.bits}`;
  }
  if (d.kind === "ec" && p.keys.curves.includes(d.curve)) return `ec-${d.curve.toLowerCase().replace("-", "")}`;
  const what = d.kind === "other" ? `${d.type}${d.curve ? ` ${d.curve}` : ""}` : d.kind;
  throw new DomainError("unsupported_key", messages.ca.unsupportedKey(what), { key: what });
}

const DNS_RE = /^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/i;
const IPV4_RE = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const IPV6_RE = /^[0-9a-f:]+$/i;

/** Profile check of the subject: required fields, identity type, names the profile may carry. */
export function checkSubject(p: Profile, s: SubjectInfo): void {
  const missing = p.subject.required.filter((f) => !s[f]);
  if (missing.length) throw new DomainError("subject_incomplete", messages.ca.profileNeeds(p.name, missing.join(", ")), { missing });
  if (s.identity && !p.subject.identityTypes.includes(s.identity.type)) {
    throw new DomainError("identity_type_not_allowed", messages.ca.profileNeeds(p.name, `UID loại ${p.subject.identityTypes.join("/")}`), {
      type: s.identity.type, allowed: p.subject.identityTypes,
    });
  }
  if (s.email && !/^[\x21-\x7e]+@[\x21-\x7e]+$/.test(s.email)) throw new DomainError("invalid_email", messages.ca.nonAsciiEmail(s.email), { email: s.email });
  for (const d of s.dnsNames ?? []) if (!p.san.dns || d.length > 253 || !DNS_RE.test(d)) throw new DomainError("invalid_dns_name", messages.ca.invalidDnsName(d), { dnsName: d });
  for (const ip of s.ipAddresses ?? []) {
    if (!p.san.ip || !(IPV4_RE.test(ip) || (ip.includes(":") && IPV6_RE.test(ip)))) throw new DomainError("invalid_ip", messages.ca.invalidIp(ip), { ip });
  }
  if (p.san.requireDnsOrIp && !(s.dnsNames?.length || s.ipAddresses?.length)) {
    throw new DomainError("subject_incomplete", messages.ca.profileNeeds(p.name, "dnsNames hoặc ipAddresses"), { missing: ["dnsNames"] });
  }
}
