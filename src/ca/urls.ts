import type { Config } from "../config";

/**
 * The addresses written into certificates (CRL distribution points, authority information access)
 * and served by the public endpoints. One place, so the CA, VA and directory agree.
 */
export const crlUrl = (c: Config, caName: string) => `${c.publicBaseUrl}/crl/${caName}.crl`;
export const ocspUrl = (c: Config) => `${c.publicBaseUrl}/ocsp`;
export const caCertUrl = (c: Config, caName: string) => `${c.publicBaseUrl}/ca/${caName}.crt`;
export const repositoryUrl = (c: Config) => `${c.publicBaseUrl}/kho-luu-tru`;

/** RFC 4514 escaping of one attribute value. */
const escapeRdn = (v: string) =>
  v.replace(/[\\,+"<>;=]/g, (ch) => `\\${ch}`).replace(/^([ #])/, "\\$1").replace(/ $/, "\\ ");

/** The DN of a CA's entry in the directory: cn=<CA name>,<LDAP_BASE_DN> (the directory creates it). */
export const caDirectoryDn = (c: Config, caName: string) => `cn=${escapeRdn(caName)},${c.LDAP_BASE_DN}`;

/**
 * RFC 4516 LDAP URL of the CA's CRL attribute: ldap://host:port/<dn>?certificateRevocationList;binary
 * The DN is percent-encoded (UTF-8, RFC 3986) so spaces, commas-in-values and Vietnamese letters
 * survive as IA5String in the certificate. Undefined when there is no directory (LDAP_PORT off and
 * no LDAP_URL).
 */
export function ldapCrlUrl(c: Config, caName: string): string | undefined {
  let hostPort: string;
  if (c.LDAP_URL) {
    const u = new URL(c.LDAP_URL);
    hostPort = u.host || "localhost";
  } else {
    if (c.LDAP_PORT === "off") return undefined;
    const host = new URL(c.publicBaseUrl).hostname;
    hostPort = `${host.includes(":") ? `[${host}]` : host}:${c.LDAP_PORT === 0 ? 389 : c.LDAP_PORT}`;
  }
  const dn = caDirectoryDn(c, caName)
    .split("")
    .map((ch) => (/[A-Za-z0-9\-._~=,]/.test(ch) ? ch : encodeURIComponent(ch).replace(/[!'()*]/g, (x) => `%${x.charCodeAt(0).toString(16).toUpperCase()}`)))
    .join("");
  return `ldap://${hostPort}/${dn}?certificateRevocationList;binary`;
}
