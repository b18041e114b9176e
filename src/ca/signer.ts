import type { X509Certificate } from "@peculiar/x509";

/**
 * The CA key sits behind one small interface (smallstep's cas/apiv1, design.md style §10):
 * a key encrypted at rest and unwrapped in memory, or a PKCS#11 key that never leaves its token.
 * Everything that signs (certificates, CRLs, OCSP responses, timestamps) goes through a CaSigner.
 */
export interface CaSigner {
  /** The CA's name as used in URLs (/ca/{name}.crt, /crl/{name}.crl). */
  name: string;
  certificate: X509Certificate;
  /** DER of the certificate (same bytes as certificate.rawData). */
  der: Buffer;
  /** WebCrypto algorithm of the signature, e.g. { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" } or { name: "ECDSA", hash: "SHA-256" }. */
  signingAlgorithm: Algorithm & { hash?: string };
  /** The DER AlgorithmIdentifier to write into what is signed (sha256WithRSAEncryption, ecdsa-with-SHA256…). */
  signatureAlgorithmDer: Buffer;
  /** Signs the DER-encoded to-be-signed bytes; returns the signature as it goes into the ASN.1 BIT STRING (ECDSA: DER Ecdsa-Sig-Value). */
  sign(tbs: ArrayBuffer | Uint8Array): Promise<ArrayBuffer>;
}
