import { allow } from "../policy/policy";

/**
 * Who may do what with certificates and CAs. CA operators issue, renew, change and revoke;
 * the other roles read what their work needs.
 */
const everyone = ["admin", "clerk", "reviewer", "ca_operator", "device_officer", "auditor"] as const;
allow([...everyone], ["ca.list", "certificate.read", "certificate.list"]);
allow("ca_operator", ["certificate.issue", "certificate.renew", "certificate.change", "certificate.revoke", "certificate.batch"]);
allow(["ca_operator", "admin", "auditor"], "certificate.batch.read");

export {};
