import type { Dossier, Subscriber, Asset, Agency } from "../ra/dossiers/schema";
import type { SubjectInfo } from "./subject";

/**
 * From a dossier's list to what the certificate names (the Vietnamese convention of
 * src/ca/subject.ts). The subject always comes from the dossier the reviewer accepted, never from
 * a CSR.
 *
 *   Mẫu 01 individual: CN = họ và tên, O = cơ quan công tác, T = chức vụ, ST = tỉnh/thành phố,
 *                      UID = CCCD:/CMND:/HC: + số, e-mail = thư điện tử công vụ.
 *   Mẫu 02 organization: CN = O = the agency, UID = MST:/MNS:, e-mail of the agency; ST from the key holder.
 *   Mẫu 03 device: CN = the asset's identifier, O = the agency, SAN = DNS name or IP address.
 */
export const PROFILE_OF_KIND: Record<string, "individual" | "organization" | "device" | undefined> = {
  individual: "individual", organization: "organization", device: "device",
};

const orgIdentity = (a: Agency): SubjectInfo["identity"] =>
  a.taxCode ? { type: "MST", number: a.taxCode } : a.budgetCode ? { type: "MNS", number: a.budgetCode } : undefined;

export function subjectOfSubscriber(d: Dossier, s: Subscriber): SubjectInfo {
  if (d.kind === "organization") {
    return { country: "VN", province: s.province, organization: d.agency.name, commonName: d.agency.name, identity: orgIdentity(d.agency), email: d.agency.email };
  }
  return {
    country: "VN",
    province: s.province,
    organization: s.workplace,
    title: s.position,
    commonName: s.fullName,
    identity: { type: s.idType, number: s.idNumber },
    email: s.email,
  };
}

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

export function subjectOfAsset(d: Dossier, a: Asset): SubjectInfo {
  const id = a.identifier.trim();
  const isIp = IPV4.test(id) || (id.includes(":") && /^[0-9a-f:]+$/i.test(id));
  let host = id;
  try {
    if (/^[a-z]+:\/\//i.test(id)) host = new URL(id).hostname;
  } catch {
    /* keep as written */
  }
  return {
    country: "VN",
    organization: d.agency.name,
    commonName: (isIp ? id : host).slice(0, 64),
    identity: orgIdentity(d.agency),
    ...(isIp ? { ipAddresses: [id] } : { dnsNames: [host.toLowerCase()] }),
  };
}
