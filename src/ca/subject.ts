/**
 * Who a certificate names, in the Vietnamese convention (Decree 68/2024, the Ban Cơ yếu profile):
 * C=VN, ST (province), L, O (agency), OU, T (title/position), CN, and UID with a typed identity
 * prefix. E-mail goes into an rfc822Name SAN; devices add DNS names and IP addresses.
 */
export const IDENTITY_TYPES = ["CCCD", "CMND", "HC", "MST", "MNS"] as const;
export type IdentityType = (typeof IDENTITY_TYPES)[number];

export interface SubjectInfo {
  commonName: string;
  organization?: string;
  organizationalUnit?: string;
  title?: string;
  locality?: string;
  province?: string;
  /** ISO 3166 alpha-2; VN unless told otherwise. */
  country?: string;
  identity?: { type: IdentityType; number: string };
  email?: string;
  dnsNames?: string[];
  ipAddresses?: string[];
}

/** The UID value as written in the certificate: "CCCD:001203004567". */
export const uidOf = (s: SubjectInfo) => (s.identity ? `${s.identity.type}:${s.identity.number}` : undefined);

/** The subject's attributes in encoding order (most significant first), with their OIDs and labels. */
export function subjectAttributes(s: SubjectInfo): { label: string; oid: string; value: string }[] {
  const out: { label: string; oid: string; value: string }[] = [];
  const add = (label: string, oid: string, v?: string) => {
    if (v !== undefined && v !== "") out.push({ label, oid, value: v });
  };
  add("C", "2.5.4.6", s.country ?? "VN");
  add("ST", "2.5.4.8", s.province);
  add("L", "2.5.4.7", s.locality);
  add("O", "2.5.4.10", s.organization);
  add("OU", "2.5.4.11", s.organizationalUnit);
  add("T", "2.5.4.12", s.title);
  add("CN", "2.5.4.3", s.commonName);
  add("UID", "0.9.2342.19200300.100.1.1", uidOf(s));
  return out;
}

/** RFC 4514 string (least significant first), escaped: for display and the subject_dn column. */
export function subjectDn(s: SubjectInfo): string {
  return subjectAttributes(s)
    .reverse()
    .map((a) => `${a.label}=${escapeDnValue(a.value)}`)
    .join(", ");
}

export function escapeDnValue(v: string): string {
  let out = v.replace(/[\\,+"<>;=]/g, (c) => `\\${c}`);
  if (out.startsWith("#") || out.startsWith(" ")) out = `\\${out}`;
  if (out.endsWith(" ")) out = `${out.slice(0, -1)}\\ `;
  return out;
}

/** Lower-case, unaccented text of the holder and agency for the search_text column. */
export function searchTextOf(s: SubjectInfo): string {
  return unaccent([s.commonName, s.organization, s.organizationalUnit, s.title, s.province, s.locality, uidOf(s), s.email].filter(Boolean).join(" ")).slice(0, 1000);
}

export const unaccent = (t: string) =>
  t.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/g, "d").replace(/Đ/g, "D").toLowerCase();
