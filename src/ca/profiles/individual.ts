import type { Profile } from "./profile";

/**
 * Chứng thư số cá nhân: an official's signing certificate. Signing documents is the purpose, so
 * digitalSignature + nonRepudiation (contentCommitment); e-mail protection (S/MIME signing),
 * client authentication (signing in to government systems) and Microsoft's Document Signing
 * purpose (1.3.6.1.4.1.311.10.3.12), which Office and Adobe check for document signatures.
 */
export const individual: Profile = {
  name: "individual",
  label: "Chứng thư số cá nhân",
  keyUsage: ["digitalSignature", "nonRepudiation"],
  extendedKeyUsage: ["emailProtection", "clientAuth", "documentSigning"],
  subject: { required: ["commonName", "organization"], identityTypes: ["CCCD", "CMND", "HC"] },
  san: { email: true, dns: false, ip: false },
  keys: { rsaMinBits: 2048, curves: ["P-256", "P-384"] },
  maxValidityYears: 5,
  defaultValidityYears: 3,
};
