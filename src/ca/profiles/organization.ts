import type { Profile } from "./profile";

/**
 * Chứng thư số cơ quan, tổ chức: the agency's own signing certificate (the "con dấu" of
 * electronic documents). Identified by tax code (MST) or budget relation code (MNS, 7 digits).
 */
export const organization: Profile = {
  name: "organization",
  label: "Chứng thư số cơ quan, tổ chức",
  keyUsage: ["digitalSignature", "nonRepudiation"],
  extendedKeyUsage: ["emailProtection", "clientAuth", "documentSigning"],
  subject: { required: ["commonName", "organization"], identityTypes: ["MST", "MNS"] },
  san: { email: true, dns: false, ip: false },
  keys: { rsaMinBits: 2048, curves: ["P-256", "P-384"] },
  maxValidityYears: 5,
  defaultValidityYears: 3,
};
