import crypto from "node:crypto";
import { X509Certificate } from "../x509lib";
import type { CaSigner } from "../signer";
import { describePrivateKey, signatureAlgorithmDer, webCryptoAlgorithm, type KeySpec } from "../algorithms";
import { ecdsaP1363ToDer } from "../asn1/der";

export interface SigningKey {
  spec: KeySpec;
  signingAlgorithm: { name: string; hash: string };
  signatureAlgorithmDer: Buffer;
  sign(tbs: ArrayBuffer | Uint8Array): Promise<ArrayBuffer>;
}

/**
 * Imports a PKCS#8 key into WebCrypto as non-extractable and signs with it. WebCrypto runs on the
 * libuv thread pool, so parallel signatures use every core. ECDSA signatures come back from
 * WebCrypto as r||s and are converted to the DER Ecdsa-Sig-Value X.509 expects (RFC 5758 §3.2).
 */
export async function importSigningKey(pkcs8: Uint8Array): Promise<SigningKey> {
  const spec = describePrivateKey(pkcs8);
  const alg = webCryptoAlgorithm(spec);
  const key = await crypto.webcrypto.subtle.importKey(
    "pkcs8",
    pkcs8,
    spec.kind === "rsa" ? { name: alg.name, hash: alg.hash } : { name: alg.name, namedCurve: alg.namedCurve! },
    false,
    ["sign"],
  );
  const signParams = spec.kind === "rsa" ? { name: alg.name } : { name: alg.name, hash: alg.hash };
  return {
    spec,
    signingAlgorithm: { name: alg.name, hash: alg.hash },
    signatureAlgorithmDer: signatureAlgorithmDer(spec),
    async sign(tbs) {
      const sig = await crypto.webcrypto.subtle.sign(signParams, key, tbs);
      if (spec.kind === "rsa") return sig;
      const d = ecdsaP1363ToDer(new Uint8Array(sig));
      return d.buffer.slice(d.byteOffset, d.byteOffset + d.length) as ArrayBuffer;
    },
  };
}

export type SoftwareSigner = CaSigner & { keySpec: KeySpec };

/** A CaSigner over a key decrypted from its envelope (src/ca/keys) and held only as a CryptoKey. */
export async function createSoftwareSigner(name: string, certificateDer: Uint8Array, pkcs8: Uint8Array): Promise<SoftwareSigner> {
  const k = await importSigningKey(pkcs8);
  const der = Buffer.from(certificateDer);
  return {
    name,
    keySpec: k.spec,
    certificate: new X509Certificate(der),
    der,
    signingAlgorithm: k.signingAlgorithm,
    signatureAlgorithmDer: k.signatureAlgorithmDer,
    sign: k.sign,
  };
}
