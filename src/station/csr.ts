import crypto from "node:crypto";
import * as graphene from "graphene-pk11";
import { AsnConvert } from "@peculiar/asn1-schema";
import { AlgorithmIdentifier, AttributeTypeAndValue, AttributeValue, Name, RelativeDistinguishedName, SubjectPublicKeyInfo } from "@peculiar/asn1-x509";
import { Attributes, CertificationRequest, CertificationRequestInfo } from "@peculiar/asn1-csr";
import { ECDSASigValue, id_ecdsaWithSHA256 } from "@peculiar/asn1-ecc";
import { id_sha256WithRSAEncryption } from "@peculiar/asn1-rsa";

/**
 * RFC 2986 PKCS#10: the CertificationRequestInfo is DER-encoded and signed with the token's private
 * key, so the request proves possession of a key that never left the device.
 *   CertificationRequest ::= SEQUENCE { certificationRequestInfo, signatureAlgorithm, signature BIT STRING }
 */
export function buildCsr(session: graphene.Session, privateKey: graphene.PrivateKey, spkiDer: Buffer, subject: string): string {
  const spki = AsnConvert.parse(spkiDer, SubjectPublicKeyInfo);
  const info = new CertificationRequestInfo({
    version: 0,
    subject: parseDn(subject),
    subjectPKInfo: spki,
    attributes: new Attributes(),
  });
  const tbs = Buffer.from(AsnConvert.serialize(info));
  const isEc = spki.algorithm.algorithm !== "1.2.840.113549.1.1.1";
  let signature: ArrayBuffer;
  let algorithm: AlgorithmIdentifier;
  if (isEc) {
    // CKM_ECDSA signs a digest and returns raw r || s; X.509 wants ECDSA-Sig-Value (RFC 5480 §2.2 / RFC 3279).
    const digest = crypto.createHash("sha256").update(tbs).digest();
    const raw = session.createSign("ECDSA", privateKey).once(digest);
    const half = raw.length / 2;
    signature = AsnConvert.serialize(new ECDSASigValue({ r: positive(raw.subarray(0, half)), s: positive(raw.subarray(half)) }));
    algorithm = new AlgorithmIdentifier({ algorithm: id_ecdsaWithSHA256 });
  } else {
    // CKM_SHA256_RSA_PKCS hashes on the token and signs with PKCS#1 v1.5 (RFC 8017 §8.2).
    const sig = session.createSign("SHA256_RSA_PKCS", privateKey).once(tbs);
    signature = sig.buffer.slice(sig.byteOffset, sig.byteOffset + sig.byteLength) as ArrayBuffer;
    algorithm = new AlgorithmIdentifier({ algorithm: id_sha256WithRSAEncryption, parameters: null });
  }
  const csr = new CertificationRequest({ certificationRequestInfo: info, signatureAlgorithm: algorithm, signature });
  const der = Buffer.from(AsnConvert.serialize(csr));
  return `-----BEGIN CERTIFICATE REQUEST-----\n${der.toString("base64").replace(/(.{64})/g, "$1\n").replace(/\n$/, "")}\n-----END CERTIFICATE REQUEST-----\n`;
}

/** An unsigned big-endian integer as DER INTEGER content (no superfluous zeros, positive). */
function positive(b: Buffer): ArrayBuffer {
  let i = 0;
  while (i < b.length - 1 && b[i] === 0 && !(b[i + 1] & 0x80)) i++;
  let v = b.subarray(i);
  if (v[0] & 0x80) v = Buffer.concat([Buffer.from([0]), v]);
  return v.buffer.slice(v.byteOffset, v.byteOffset + v.byteLength) as ArrayBuffer;
}

const DN_OIDS: Record<string, string> = {
  CN: "2.5.4.3", O: "2.5.4.10", OU: "2.5.4.11", C: "2.5.4.6", L: "2.5.4.7", ST: "2.5.4.8", E: "1.2.840.113549.1.9.1", UID: "0.9.2342.19200300.100.1.1",
};

/**
 * "CN=Nguyễn Văn A, O=Bộ X, C=VN" → Name (most significant first as written by openssl -subj order).
 * The CSR's subject is a hint only: the CA writes the subject from the accepted dossier.
 */
export function parseDn(dn: string): Name {

  const name = new Name();
  for (const part of dn.split(",").map((s) => s.trim()).filter(Boolean)) {
    const eq = part.indexOf("=");
    const type = part.slice(0, eq).trim().toUpperCase();
    const value = part.slice(eq + 1).trim();
    const oid = DN_OIDS[type];
    if (eq < 1 || !oid || !value) throw new Error(`Tên phân biệt không hợp lệ: "${part}"`);
    const v = type === "C" ? new AttributeValue({ printableString: value }) : type === "E" ? new AttributeValue({ ia5String: value }) : new AttributeValue({ utf8String: value });
    name.push(new RelativeDistinguishedName([new AttributeTypeAndValue({ type: oid, value: v })]));
  }

  return name;
}
