import type { Db } from "../../store/db";
import { fromJson, nowIso } from "../../store/db";
import { messages } from "../../messages";
import { dossierLabels } from "../../messages/dossiers";
import type { Dossier } from "../dossiers/schema";
import { subscribersOf } from "../dossiers/schema";
import { fold } from "../dossiers/fields";
import { OPEN_STATUSES } from "./transitions";
import { birthYearMismatch } from "../dossiers/cccd";

/**
 * What the system can check by itself and shows to the reviewer (it decides nothing):
 * - a subscriber already holds a valid certificate of the same type (certificates: issued, not
 *   expired, same identity UID or e-mail, the profile of the dossier's kind);
 * - an identity number is already in another open dossier;
 * - the agency's data contradicts earlier dossiers of the same agency name (tax code, budget code,
 *   head-office address);
 * - a CCCD number encodes another birth year than the date of birth beside it
 *   (src/ra/dossiers/cccd.ts).
 */
export interface Finding {
  code: "valid_certificate" | "id_in_open_dossier" | "agency_contradiction" | "id_birth_year_mismatch";
  message: string;
  /** The dossier field it concerns, as a deficiency would name it. */
  field: string;
  /** 1-based row of the people list, when it concerns one person. */
  row: number | null;
  details: Record<string, unknown>;
}

/** The certificate profile issued for each kind of dossier (src/ca/profiles). */
const PROFILE_OF_KIND: Record<string, string | undefined> = { individual: "individual", organization: "organization", device: "device" };

const IDENTITY_PREFIXES = ["CCCD", "CMND", "HC"];

export async function findingsFor(db: Db, d: Dossier): Promise<Finding[]> {
  return [...(await validCertificates(db, d)), ...(await idsInOpenDossiers(db, d)), ...(await agencyContradictions(db, d)), ...identityStructure(d)];
}

/** CCCD numbers whose encoded birth year is not the declared one (no database needed). */
function identityStructure(d: Dossier): Finding[] {
  const out: Finding[] = [];
  subscribersOf(d).forEach((s, i) => {
    const p = s.idType === "CCCD" ? birthYearMismatch(s.idNumber, s.dateOfBirth) : undefined;
    if (!p) return;
    out.push({
      code: "id_birth_year_mismatch", field: "subscribers.idNumber", row: i + 1,
      message: messages.review.findings.idBirthYearMismatch(s.fullName, s.idNumber, p.encoded, p.declared),
      details: { encodedYear: p.encoded, declaredYear: p.declared },
    });
  });
  return out;
}

async function validCertificates(db: Db, d: Dossier): Promise<Finding[]> {
  const profile = PROFILE_OF_KIND[d.kind];
  if (!profile) return [];
  const now = nowIso();
  const out: Finding[] = [];
  const base = () => db("certificates").where({ status: "issued", profile }).andWhere("not_after", ">", now).whereNull("revoked_at");

  if (d.kind === "organization") {
    const uids = [d.agency.taxCode && `MST:${d.agency.taxCode}`, d.agency.budgetCode && `MNS:${d.agency.budgetCode}`].filter(Boolean) as string[];
    if (uids.length) {
      const certs = await base().whereIn("uid", uids).select("serial", "not_after", "uid");
      for (const c of certs) {
        out.push({
          code: "valid_certificate", field: c.uid.startsWith("MST:") ? "agency.taxCode" : "agency.budgetCode", row: null,
          message: messages.review.findings.validCertificate(d.agency.name, c.serial, c.not_after.slice(0, 10)),
          details: { serial: c.serial, notAfter: c.not_after, profile },
        });
      }
    }
    return out;
  }

  const people = subscribersOf(d);
  for (let i = 0; i < people.length; i++) {
    const s = people[i];
    const uids = IDENTITY_PREFIXES.map((p) => `${p}:${s.idNumber}`);
    const email = s.email?.toLowerCase();
    const certs = await base()
      .where((q) => {
        q.whereIn("uid", uids);
        if (email) q.orWhereRaw("lower(email) = ?", [email]);
      })
      .select("serial", "not_after", "uid", "email");
    for (const c of certs) {
      const byId = uids.includes(c.uid);
      out.push({
        code: "valid_certificate", field: byId ? "subscribers.idNumber" : "subscribers.email", row: i + 1,
        message: messages.review.findings.validCertificate(s.fullName, c.serial, String(c.not_after).slice(0, 10)),
        details: { serial: c.serial, notAfter: c.not_after, profile, matchedBy: byId ? "uid" : "email" },
      });
    }
  }
  return out;
}

async function idsInOpenDossiers(db: Db, d: Dossier): Promise<Finding[]> {
  const people = subscribersOf(d);
  if (!people.length) return [];
  const ids = [...new Set(people.map((s) => s.idNumber))];
  const hits: { id_number: string; dossier_id: string; number: string; status: string; idx: number }[] = [];
  for (let i = 0; i < ids.length; i += 500) {
    hits.push(
      ...(await db("dossier_subscribers as s")
        .join("dossiers as o", "o.id", "s.dossier_id")
        .whereIn("s.id_number", ids.slice(i, i + 500))
        .whereNot("o.id", d.id)
        .whereIn("o.status", OPEN_STATUSES as string[])
        .orderBy([{ column: "o.number" }, { column: "s.idx" }])
        .select("s.id_number", "s.dossier_id", "o.number", "o.status", "s.idx")),
    );
  }
  const out: Finding[] = [];
  people.forEach((s, i) => {
    for (const h of hits.filter((x) => x.id_number === s.idNumber)) {
      out.push({
        code: "id_in_open_dossier", field: "subscribers.idNumber", row: i + 1,
        message: messages.review.findings.idInOpenDossier(s.fullName, h.number, h.status),
        details: { dossierId: h.dossier_id, dossierNumber: h.number, status: h.status, otherRow: Number(h.idx) + 1 },
      });
    }
  });
  return out;
}

const AGENCY_FIELDS = ["taxCode", "budgetCode", "headOfficeAddress"] as const;
const normalise = (field: string, v: unknown) => (typeof v === "string" ? (field === "headOfficeAddress" ? fold(v).replace(/[\s,.]+/g, " ").trim() : v.trim()) : null);

async function agencyContradictions(db: Db, d: Dossier): Promise<Finding[]> {
  const earlier: { id: string; number: string; data: string }[] = await db("dossiers")
    .where({ agency_search: fold(d.agency.name) })
    .whereNot("id", d.id)
    .whereNotIn("status", ["draft", "withdrawn"])
    .orderBy("created_at", "desc")
    .limit(50)
    .select("id", "number", "data");
  const out: Finding[] = [];
  for (const field of AGENCY_FIELDS) {
    const ours = d.agency[field];
    if (!ours) continue;
    // One finding per distinct earlier value: the most recent dossier that carried it.
    const seen = new Set<string>();
    for (const e of earlier) {
      const theirs = (fromJson<{ agency?: Record<string, unknown> }>(e.data).agency ?? {})[field];
      if (typeof theirs !== "string" || !theirs) continue;
      const key = normalise(field, theirs)!;
      if (key === normalise(field, ours) || seen.has(key)) continue;
      seen.add(key);
      const label = (dossierLabels as Record<string, string>)[`agency.${field}`];
      out.push({
        code: "agency_contradiction", field: `agency.${field}`, row: null,
        message: messages.review.findings.agencyContradiction(label, ours, theirs, e.number),
        details: { dossierId: e.id, dossierNumber: e.number, ours, theirs },
      });
    }
  }
  return out;
}
