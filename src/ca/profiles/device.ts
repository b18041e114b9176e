import type { Profile } from "./profile";

/**
 * Chứng thư số cho thiết bị, dịch vụ, phần mềm: TLS server and/or client. Names are in the SAN
 * (dNSName, iPAddress) as RFC 6125 and the CA/B baseline want; CN repeats the main name.
 * RSA keys add keyEncipherment (TLS 1.2 RSA key transport).
 */
export const device: Profile = {
  name: "device",
  label: "Chứng thư số cho thiết bị, dịch vụ, phần mềm",
  keyUsage: ["digitalSignature"],
  keyUsageForRsa: ["keyEncipherment"],
  extendedKeyUsage: ["serverAuth", "clientAuth"],
  usages: { server: ["serverAuth"], client: ["clientAuth"], both: ["serverAuth", "clientAuth"] },
  subject: { required: ["commonName", "organization"], identityTypes: ["MST", "MNS"] },
  san: { email: true, dns: true, ip: true, requireDnsOrIp: true },
  keys: { rsaMinBits: 2048, curves: ["P-256", "P-384"] },
  maxValidityYears: 5,
  defaultValidityYears: 2,
};
