import { createHmac } from "node:crypto";
import { AsnConvert } from "@peculiar/asn1-schema";
import { Certificate } from "@peculiar/asn1-x509";
import { dnKey, parseDn, rdn } from "./dn";
import { childrenOf, contents, oid, readElement } from "../ca/asn1/der";

/**
 * The directory information tree (ldap-schema/README.md), built from certificate rows:
 *
 *   <LDAP_BASE_DN>                                          organization (or per the base RDN type)
 *     ou=CAs                                                organizationalUnit
 *       cn=<CA common name>                                 cRLDistributionPoint + pkiCA + deltaCRL
 *     ou=<agency (subject O)>                               organizationalUnit
 *       ou=people      uid=<person id>                      inetOrgPerson + pkiUser
 *       ou=devices     cn=<device/service CN>               device + pkiUser
 *       ou=organizations cn=<organisation CN>               organizationalRole + pkiUser
 *
 * Pure functions: the same rows give the same entries, so the embedded directory, the publisher
 * and `directory resync` agree on what the directory must hold.
 */

export type Values = Array<string | Buffer>;
export interface DirEntry {
  dn: string;
  /** Attribute names as written to the directory ("userCertificate;binary"); values non-empty. */
  attributes: Record<string, Values>;
}

export const CERT_ATTR = "userCertificate;binary";
export const CA_CERT_ATTR = "cACertificate;binary";
export const CRL_ATTR = "certificateRevocationList;binary";
export const DELTA_CRL_ATTR = "deltaRevocationList;binary";
export const BINARY_ATTRS = [CERT_ATTR, CA_CERT_ATTR, CRL_ATTR, DELTA_CRL_ATTR];

/** The columns of `certificates` the directory reads. */
export interface CertificateRow {
  serial: string;
  ca_name: string;
  status: "pending" | "issued" | "revoked" | "void";
  profile: string;
  subject_cn: string | null;
  subject_o: string | null;
  email: string | null;
  uid: string | null;
  not_before: string | null;
  not_after: string | null;
  der: Buffer | Uint8Array | null;
  handed_over_at: string | null;
  published_at?: string | null;
}
export const CERTIFICATE_COLUMNS = [
  "serial", "ca_name", "status", "profile", "subject_cn", "subject_o", "email", "uid", "not_before", "not_after",
  "der", "handed_over_at", "published_at",
];

/** Subject attributes the directory shows (X.520 / RFC 4519 names). */
export interface Subject {
  cn?: string;
  o?: string;
  ou: string[];
  l?: string;
  st?: string;
  title?: string;
  uid?: string;
  serialNumber?: string;
}

const OID: Record<string, keyof Subject> = {
  "2.5.4.3": "cn",
  "2.5.4.10": "o",
  "2.5.4.11": "ou",
  "2.5.4.7": "l",
  "2.5.4.8": "st",
  "2.5.4.12": "title",
  "0.9.2342.19200300.100.1.1": "uid",
  "2.5.4.5": "serialNumber",
};

/** Reads the subject from the certificate itself: the DER is the authority, not copies of it. */
export function subjectOf(der: Buffer | Uint8Array): Subject {
  // The subject Name read straight from the DER (the publisher reads 10,000 of them per batch of
  // issuance); a value in a string type not read here falls back to the full ASN.1 parser.
  return fastSubjectOf(der) ?? schemaSubjectOf(der);
}

function addValue(s: Subject, key: keyof Subject, raw: string) {
  const value = raw.normalize("NFC").trim();
  if (!value) return;
  if (key === "ou") s.ou.push(value);
  else if (s[key] === undefined) (s as any)[key] = value;
}

function schemaSubjectOf(der: Buffer | Uint8Array): Subject {
  const cert = AsnConvert.parse(der, Certificate);
  const s: Subject = { ou: [] };
  for (const rdnSet of cert.tbsCertificate.subject) {
    for (const atv of rdnSet) {
      const key = OID[atv.type];
      if (key) addValue(s, key, atv.value.toString());
    }
  }
  return s;
}

const OID_DER = new Map(Object.entries(OID).map(([dotted, key]) => [oid(dotted).subarray(2).toString("hex"), key]));

/** Decodes a DirectoryString; undefined for a type it does not read. */
function directoryString(tag: number, b: Buffer): string | undefined {
  switch (tag) {
    case 0x0c: return b.toString("utf8"); // UTF8String
    case 0x13: case 0x16: return b.toString("latin1"); // PrintableString, IA5String
    case 0x1e: return b.length % 2 === 0 ? Buffer.from(b).swap16().toString("utf16le") : undefined; // BMPString
    default: return undefined;
  }
}

function fastSubjectOf(der: Buffer | Uint8Array): Subject | undefined {
  const cert = readElement(der);
  if (cert.tag !== 0x30) throw new Error("not a certificate");
  const [tbs] = childrenOf(der, cert);
  if (!tbs || tbs.tag !== 0x30) throw new Error("not a certificate");
  const parts = childrenOf(der, tbs);
  const off = parts[0]?.tag === 0xa0 ? 1 : 0;
  const name = parts[off + 4];
  if (!name || name.tag !== 0x30 || parts.length < off + 6) throw new Error("not a certificate");
  const s: Subject = { ou: [] };
  for (const set of childrenOf(der, name)) {
    if (set.tag !== 0x31) throw new Error("not a Name");
    for (const atv of childrenOf(der, set)) {
      const [type, value] = childrenOf(der, atv);
      if (type?.tag !== 0x06 || !value) throw new Error("not a Name");
      const key = OID_DER.get(contents(der, type).toString("hex"));
      if (!key) continue;
      const text = directoryString(value.tag, contents(der, value));
      if (text === undefined) return undefined;
      addValue(s, key, text);
    }
  }
  return s;
}

/**
 * Vietnamese names are written family name first, given name last ("Nguyễn Thị Minh Khai":
 * họ Nguyễn, tên Khai). sn gets the family name, givenName the last word; the full name stays
 * in cn and displayName, so nothing of the middle name (tên đệm) is lost.
 */
export function splitVietnameseName(cn: string): { sn: string; givenName?: string } {
  const words = cn.normalize("NFC").trim().split(/\s+/).filter(Boolean);
  if (words.length <= 1) return { sn: words[0] ?? cn };
  return { sn: words[0], givenName: words[words.length - 1] };
}

/**
 * A person's RDN is `uid=p<20 hex>`: HMAC-SHA-256, under the provider's secret key
 * (directory/personKey.ts), of the identity (CCCD:…, or the e-mail when a certificate carries no
 * identity). The DN is stable across name, title and certificate changes, no identity number
 * appears in DNs (which relying parties log and pass around), and without the key nobody can
 * compute a person's RDN from an identity number to confirm that the person holds a certificate.
 * The entry does not carry the identity number as an attribute: only the certificate inside it
 * does (ldap-schema/README.md, "What the directory shows").
 */
export function personId(identity: string, key: Buffer): string {
  return "p" + createHmac("sha256", key).update("chungthu/person/" + identity.normalize("NFC")).digest("hex").slice(0, 20);
}

export type EntryKind = "person" | "device" | "organization";

export const kindOf = (profile: string): EntryKind =>
  profile === "device" ? "device" : profile === "organization" ? "organization" : "person";

const CONTAINER: Record<EntryKind, string> = { person: "people", device: "devices", organization: "organizations" };

export interface Placement {
  kind: EntryKind;
  dn: string;
  key: string;
  /** The entries above it, top-most first, that must exist (base, agency, container). */
  chain: DirEntry[];
}

/** Where a certificate's holder lives in the tree. */
export function placementOf(row: CertificateRow, subject: Subject, base: string, personKey: Buffer): Placement {
  const kind = kindOf(row.profile);
  const agency = subject.o ?? row.subject_o ?? undefined;
  const chain: DirEntry[] = [baseEntryOf(base)];
  let parent = base;
  if (agency) {
    parent = `${rdn("ou", agency)},${parent}`;
    chain.push({ dn: parent, attributes: { objectClass: ["top", "organizationalUnit"], ou: [agency] } });
  }
  parent = `ou=${CONTAINER[kind]},${parent}`;
  chain.push({ dn: parent, attributes: { objectClass: ["top", "organizationalUnit"], ou: [CONTAINER[kind]] } });
  let leaf: string;
  if (kind === "person") {
    const identity = subject.uid ?? row.uid ?? row.email ?? `${subject.cn ?? row.subject_cn}|${agency ?? ""}`;
    leaf = rdn("uid", personId(identity, personKey));
  } else {
    leaf = rdn("cn", subject.cn ?? row.subject_cn ?? row.serial);
  }
  const dn = `${leaf},${parent}`;
  // dnKey of the leaf and of the parent joined: the same key as dnKey(dn) (a DN's key is its RDNs'
  // keys joined by commas), with the parent's parsed once for all the holders under it.
  return { kind, dn, key: `${dnKey(leaf)},${parentKey(parent)}`, chain };
}

const parentKeys = new Map<string, string>();
/** dnKey of a container DN (base, agency, kind): a few hundred distinct ones, each parsed once. */
function parentKey(dn: string): string {
  let k = parentKeys.get(dn);
  if (k === undefined) {
    if (parentKeys.size >= 10_000) parentKeys.clear();
    parentKeys.set(dn, (k = dnKey(dn)));
  }
  return k;
}

const baseEntries = new Map<string, DirEntry>();
/** baseEntry(base), built once per base DN (a fresh object each call: callers may keep it). */
function baseEntryOf(base: string): DirEntry {
  let e = baseEntries.get(base);
  if (!e) baseEntries.set(base, (e = baseEntry(base)));
  return { dn: e.dn, attributes: Object.fromEntries(Object.entries(e.attributes).map(([k, v]) => [k, [...v]])) };
}

/** The base entry, with the structural class its RDN type calls for. */
export function baseEntry(base: string): DirEntry {
  const [first] = parseDn(base);
  const { type, value } = first[0];
  const t = type.toLowerCase();
  const attributes: Record<string, Values> =
    t === "o" ? { objectClass: ["top", "organization"], o: [value] }
    : t === "ou" ? { objectClass: ["top", "organizationalUnit"], ou: [value] }
    : t === "c" ? { objectClass: ["top", "country"], c: [value] }
    : t === "dc" ? { objectClass: ["top", "dcObject", "organization"], dc: [value], o: [value] }
    : { objectClass: ["top", "extensibleObject"], [type]: [value] };
  return { dn: base, attributes };
}

/** A certificate's value is in the directory while it is issued, handed over and not expired. */
export function isPublishable(row: CertificateRow, now: Date): boolean {
  return (
    row.status === "issued" &&
    !!row.handed_over_at &&
    !!row.der &&
    (!row.not_after || new Date(row.not_after).getTime() > now.getTime())
  );
}

/** An entry exists once any of its holder's certificates was handed over (issued or revoked since). */
export const belongsInDirectory = (row: CertificateRow) =>
  !!row.handed_over_at && !!row.der && (row.status === "issued" || row.status === "revoked");

const put = (attrs: Record<string, Values>, name: string, ...values: Array<string | undefined | null>) => {
  const vs = [...new Set(values.filter((v): v is string => !!v && v.trim() !== "").map((v) => v.normalize("NFC")))];
  if (vs.length) attrs[name] = vs;
};

// Shared (never mutated) so 100k entries do not hold 100k copies.
const PERSON_CLASSES: Values = ["top", "person", "organizationalPerson", "inetOrgPerson", "pkiUser"];
const DEVICE_CLASSES: Values = ["top", "device", "pkiUser"];
const ORGANIZATION_CLASSES: Values = ["top", "organizationalRole", "pkiUser"];

export interface ParsedCertificate {
  row: CertificateRow;
  subject: Subject;
}

/**
 * The entry of one holder from all its certificates: descriptive attributes follow the newest
 * certificate (issued ones first), userCertificate;binary holds every publishable one.
 */
export function holderEntry(placement: Placement, certs: ParsedCertificate[], now: Date): DirEntry {
  const newest = [...certs].sort((a, b) => {
    const ai = a.row.status === "issued" ? 1 : 0;
    const bi = b.row.status === "issued" ? 1 : 0;
    if (ai !== bi) return bi - ai;
    return (b.row.not_before ?? "").localeCompare(a.row.not_before ?? "") || b.row.serial.localeCompare(a.row.serial);
  })[0];
  const { row, subject } = newest;
  const cn = subject.cn ?? row.subject_cn ?? row.serial;
  const leafValue = parseDn(placement.dn)[0][0].value;
  const attrs: Record<string, Values> = {};
  if (placement.kind === "person") {
    attrs.objectClass = PERSON_CLASSES;
    const { sn, givenName } = splitVietnameseName(cn);
    // Only the stable id, never the identity number (CCCD): an anonymous, searchable directory must
    // not answer "(uid=CCCD:…)" for anyone who guesses a number (ldap-schema/README.md). The
    // identity stays where relying parties need it: in the certificate's subject.
    put(attrs, "uid", leafValue);
    put(attrs, "cn", cn);
    put(attrs, "sn", sn);
    put(attrs, "givenName", givenName);
    put(attrs, "displayName", cn);
    put(attrs, "mail", row.email);
    put(attrs, "title", subject.title);
    put(attrs, "o", subject.o ?? row.subject_o);
    put(attrs, "ou", ...subject.ou);
    put(attrs, "l", subject.l);
    put(attrs, "st", subject.st);
  } else if (placement.kind === "device") {
    attrs.objectClass = DEVICE_CLASSES;
    put(attrs, "cn", leafValue);
    put(attrs, "serialNumber", subject.serialNumber);
    put(attrs, "o", subject.o ?? row.subject_o);
    put(attrs, "ou", ...subject.ou);
    put(attrs, "l", subject.l);
  } else {
    attrs.objectClass = ORGANIZATION_CLASSES;
    put(attrs, "cn", leafValue);
    put(attrs, "ou", ...subject.ou);
    put(attrs, "l", subject.l);
    put(attrs, "st", subject.st);
    put(attrs, "description", subject.uid ?? row.uid);
  }
  const valid = certs
    .filter((c) => isPublishable(c.row, now))
    .sort((a, b) => a.row.serial.localeCompare(b.row.serial))
    .map((c) => Buffer.from(c.row.der!));
  if (valid.length) attrs[CERT_ATTR] = valid;
  return { dn: placement.dn, attributes: attrs };
}

/** The CA row columns the directory reads. */
export interface CaRow {
  name: string;
  subject_dn: string;
  certificate: Buffer | Uint8Array;
  active?: boolean | number;
}

export const casContainer = (base: string): DirEntry => ({
  dn: `ou=CAs,${base}`,
  attributes: { objectClass: ["top", "organizationalUnit"], ou: ["CAs"] },
});

export function caDn(ca: CaRow, base: string): string {
  const cn = subjectOf(ca.certificate).cn ?? ca.name;
  return `${rdn("cn", cn)},ou=CAs,${base}`;
}

/**
 * A CA: cRLDistributionPoint is structural (RFC 4523 §4.4), pkiCA and deltaCRL auxiliary. The CRLs
 * are exactly the signed bytes the status service produced; with none yet, the attribute is
 * absent (we never write a placeholder CRL).
 */
export function caEntry(ca: CaRow, base: string, crl?: Buffer, delta?: Buffer): DirEntry {
  const dn = caDn(ca, base);
  const attributes: Record<string, Values> = {
    objectClass: ["top", "cRLDistributionPoint", "pkiCA", "deltaCRL"],
    cn: [parseDn(dn)[0][0].value],
    [CA_CERT_ATTR]: [Buffer.from(ca.certificate)],
  };
  if (crl) attributes[CRL_ATTR] = [crl];
  if (delta) attributes[DELTA_CRL_ATTR] = [delta];
  return { dn, attributes };
}
