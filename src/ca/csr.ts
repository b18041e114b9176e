import { DomainError } from "../errors";
import { messages } from "../messages";
import { Pkcs10CertificateRequest } from "./x509lib";

/**
 * Reads a PKCS#10 request (RFC 2986) and checks proof of possession: the request is signed by the
 * private key of the public key it carries. Only the public key is used — the subject comes from
 * the dossier, never from the requester's CSR. Returns the SubjectPublicKeyInfo DER.
 */
export async function readCsr(input: string | Uint8Array): Promise<{ spki: Buffer }> {
  let csr: Pkcs10CertificateRequest;
  if (typeof input === "string" && !/-----BEGIN (NEW )?CERTIFICATE REQUEST-----/.test(input)) {
    throw new DomainError("csr_invalid", messages.ca.csrNotPem, {});
  }
  try {
    const data = typeof input === "string" ? input.replace("NEW CERTIFICATE REQUEST", "CERTIFICATE REQUEST").replace("NEW CERTIFICATE REQUEST", "CERTIFICATE REQUEST") : new Uint8Array(input);
    csr = new Pkcs10CertificateRequest(data as string);
  } catch {
    throw new DomainError("csr_invalid", messages.ca.csrMalformed, {});
  }
  let ok = false;
  try {
    ok = await csr.verify();
  } catch {
    ok = false;
  }
  if (!ok) throw new DomainError("csr_signature_invalid", messages.ca.csrBadSignature, {});
  return { spki: Buffer.from(csr.publicKey.rawData) };
}
