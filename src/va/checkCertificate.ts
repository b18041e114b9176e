import type { Knex } from "knex";
import { AsnConvert } from "@peculiar/asn1-schema";
import { Certificate } from "@peculiar/asn1-x509";
import type { X509Certificate } from "@peculiar/x509";
import x509 = require("../ca/x509lib");
import { DomainError } from "../errors";
import { messages } from "../messages";
import * as store from "../store/publicCertificates";
import { certificateStatusNow } from "./certificateStatus";
import { vnDate, vnDateTime } from "../web/render";

/**
 * Kiểm tra chứng thư số trực tuyến: the four questions a relying party asks of a certificate,
 * answered one by one. Nothing of what is checked is stored.
 *   1. Did this system issue it? The issuer name and authority key identifier (RFC 5280
 *      §4.2.1.1) match one of our CAs, and the serial and bytes are in our database.
 *   2. Does the chain to our root verify? Each signature, up to the self-signed root.
 *   3. Is it within its validity period (RFC 5280 §4.1.2.5) now?
 *   4. Is it revoked now? From the certificates table, the source of OCSP.
 */
const m = messages.publicSite;

export type StepOutcome = "pass" | "fail" | "skip";
export interface CheckStep {
  key: "issued" | "chain" | "validity" | "revocation";
  title: string;
  outcome: StepOutcome;
  detail: string;
}
export interface CheckResult {
  verdict: "valid" | "invalid" | "foreign";
  steps: CheckStep[];
  der: Uint8Array;
  row?: store.PublishedCertificateRow;
}

const pemBlock = /-----BEGIN (?:X509 |TRUSTED )?CERTIFICATE-----([\s\S]*?)-----END (?:X509 |TRUSTED )?CERTIFICATE-----/;

/** DER or PEM bytes → DER of one certificate; a 400 when it is not one. */
export function readCertificateBytes(input: Uint8Array): Uint8Array {
  const notCert = () => new DomainError("not_a_certificate", m.checkNotCertificate);
  let der: Uint8Array = input;
  const text = Buffer.from(input).toString("latin1");
  const pem = pemBlock.exec(text);
  if (pem) {
    const b64 = pem[1].replace(/\s+/g, "");
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(b64)) throw notCert();
    der = Buffer.from(b64, "base64");
  } else if (input[0] !== 0x30) {
    throw notCert();
  }
  try {
    const bytes = Uint8Array.from(der);
    const asn = AsnConvert.parse(bytes, Certificate);
    // Re-encoding gives back exactly the bytes: no trailing data, a DER certificate.
    const again = new Uint8Array(AsnConvert.serialize(asn));
    if (again.length !== bytes.length) throw notCert();
    // Everything the check reads later is read now, so that a malformed part (an extension,
    // a name) is this 400 and not a failure further on.
    const cert = new x509.X509Certificate(bytes);
    void cert.extensions;
    cert.subjectName.toJSON();
    cert.issuerName.toJSON();
    return bytes;
  } catch {
    throw notCert();
  }
}

const hex = (b: ArrayBuffer) => Buffer.from(b).toString("hex");
const nameDer = (c: X509Certificate, which: "subject" | "issuer") => {
  const asn = AsnConvert.parse(c.rawData, Certificate).tbsCertificate;
  return hex(AsnConvert.serialize(which === "subject" ? asn.subject : asn.issuer));
};
const cn = (c: X509Certificate) => {
  for (const rdn of c.subjectName.toJSON()) if (rdn.CN) return rdn.CN[0];
  return c.subject;
};

export async function checkCertificate(db: Knex, der: Uint8Array, now = new Date()): Promise<CheckResult> {
  const cert = new x509.X509Certificate(Uint8Array.from(der));
  const cas = await store.listCas(db);
  const caCerts = new Map(cas.map((ca) => [ca.name, { row: ca, cert: new x509.X509Certificate(Uint8Array.from(ca.certificate)) }]));
  const aki = cert.getExtension(x509.AuthorityKeyIdentifierExtension)?.keyId?.toLowerCase();
  const issuerDer = nameDer(cert, "issuer");
  const issuer = [...caCerts.values()].find(({ cert: c }) => {
    if (nameDer(c, "subject") !== issuerDer) return false;
    const ski = c.getExtension(x509.SubjectKeyIdentifierExtension)?.keyId?.toLowerCase();
    return !aki || !ski || aki === ski;
  });
  const steps: CheckStep[] = [];
  const serial = cert.serialNumber.toLowerCase().replace(/^0+(?=.)/, "");
  const row = issuer ? await store.getIssued(db, serial) : undefined;
  const ours = Boolean(issuer && row && row.ca_name === issuer.row.name && Buffer.from(row.der ?? []).equals(Buffer.from(der)));
  steps.push({
    key: "issued", title: m.steps.issuedTitle, outcome: ours ? "pass" : "fail",
    detail: ours ? m.steps.issuedYes(cn(issuer!.cert)) : issuer ? m.steps.issuedNotInDb : m.steps.issuedNoCa,
  });

  // 2. The chain: each certificate's signature under its issuer's key, up to the self-signed root.
  if (issuer) {
    const path = [cn(cert)];
    let child: X509Certificate = cert;
    let parent: { row: store.CaRow; cert: X509Certificate } | undefined = issuer;
    let brokenAt: string | undefined;
    for (let depth = 0; parent && depth < 8; depth++) {
      const ok = await child.verify({ publicKey: parent.cert.publicKey, signatureOnly: true }).catch(() => false);
      if (!ok) {
        brokenAt = cn(child);
        break;
      }
      path.push(cn(parent.cert));
      if (!parent.row.parent_name) {
        const selfOk = await parent.cert.verify({ publicKey: parent.cert.publicKey, signatureOnly: true }).catch(() => false);
        if (!selfOk) brokenAt = cn(parent.cert);
        break;
      }
      child = parent.cert;
      parent = caCerts.get(parent.row.parent_name);
      if (!parent) brokenAt = cn(child);
    }
    steps.push({
      key: "chain", title: m.steps.chainTitle, outcome: brokenAt ? "fail" : "pass",
      detail: brokenAt ? m.steps.chainBad(brokenAt) : m.steps.chainOk(path.join(" → ")),
    });
  } else {
    steps.push({ key: "chain", title: m.steps.chainTitle, outcome: "skip", detail: m.steps.chainSkipped });
  }

  // 3. Validity period, from the certificate itself.
  const t = now.getTime();
  const from = vnDateTime(cert.notBefore);
  const to = vnDateTime(cert.notAfter);
  const validity: CheckStep =
    t < cert.notBefore.getTime()
      ? { key: "validity", title: m.steps.validityTitle, outcome: "fail", detail: m.steps.validityNotYet(from) }
      : t > cert.notAfter.getTime()
        ? { key: "validity", title: m.steps.validityTitle, outcome: "fail", detail: m.steps.validityExpired(to) }
        : { key: "validity", title: m.steps.validityTitle, outcome: "pass", detail: m.steps.validityOk(from, to) };
  steps.push(validity);

  // 4. Revocation now, from the same rows as OCSP.
  if (ours && row) {
    const s = certificateStatusNow(row, now);
    steps.push(
      s.state === "on_hold"
        ? { key: "revocation", title: m.steps.revocationTitle, outcome: "fail", detail: m.steps.revocationOnHold(vnDate(s.revokedAt)) }
        : s.state === "revoked"
        ? { key: "revocation", title: m.steps.revocationTitle, outcome: "fail", detail: m.steps.revocationRevoked(m.reasons[s.reason ?? 0] ?? m.reasons[0], vnDate(s.revokedAt)) }
        : { key: "revocation", title: m.steps.revocationTitle, outcome: "pass", detail: m.steps.revocationOk },
    );
  } else {
    steps.push({ key: "revocation", title: m.steps.revocationTitle, outcome: "skip", detail: m.steps.revocationSkipped });
  }

  const verdict = !ours ? "foreign" : steps.every((s) => s.outcome === "pass") ? "valid" : "invalid";
  return { verdict, steps, der, row: ours ? row : undefined };
}
