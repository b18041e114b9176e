import crypto from "node:crypto";
import { childrenOf, NULL, oid, raw, readElement, seq } from "./asn1/der";

/**
 * Key algorithms the CA knows: RSA (PKCS#1 v1.5 with SHA-256) and ECDSA on P-256 (SHA-256) or
 * P-384 (SHA-384). The name is what the `key_algorithm` columns hold: "rsa-2048", "ec-p256".
 */
export type KeySpec = { kind: "rsa"; bits: number } | { kind: "ec"; curve: "P-256" | "P-384" };

export const OID = {
  rsaEncryption: "1.2.840.113549.1.1.1",
  sha256WithRSAEncryption: "1.2.840.113549.1.1.11",
  ecPublicKey: "1.2.840.10045.2.1",
  ecdsaWithSHA256: "1.2.840.10045.4.3.2",
  ecdsaWithSHA384: "1.2.840.10045.4.3.3",
  p256: "1.2.840.10045.3.1.7",
  p384: "1.3.132.0.34",
} as const;

export const keySpecName = (k: KeySpec) => (k.kind === "rsa" ? `rsa-${k.bits}` : `ec-${k.curve.toLowerCase().replace("-", "")}`);

export function parseKeySpecName(name: string): KeySpec {
  const rsa = /^rsa-(\d{4})$/.exec(name);
  if (rsa) return { kind: "rsa", bits: Number(rsa[1]) };
  if (name === "ec-p256") return { kind: "ec", curve: "P-256" };
  if (name === "ec-p384") return { kind: "ec", curve: "P-384" };
  throw new Error(`unknown key algorithm ${name}`);
}

/** WebCrypto parameters for signing with a key of this spec. */
export function webCryptoAlgorithm(k: KeySpec): { name: string; hash: string; namedCurve?: string } {
  if (k.kind === "rsa") return { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" };
  return { name: "ECDSA", namedCurve: k.curve, hash: k.curve === "P-384" ? "SHA-384" : "SHA-256" };
}

/**
 * The AlgorithmIdentifier written into certificates, CRLs and OCSP responses signed by this key.
 * RFC 4055 §5: sha256WithRSAEncryption carries NULL parameters; RFC 5758 §3.2: ECDSA ones omit them.
 */
export function signatureAlgorithmDer(k: KeySpec): Buffer {
  if (k.kind === "rsa") return seq(oid(OID.sha256WithRSAEncryption), NULL);
  return seq(oid(k.curve === "P-384" ? OID.ecdsaWithSHA384 : OID.ecdsaWithSHA256));
}

export interface GeneratedKey {
  spec: KeySpec;
  pkcs8: Buffer;
  spki: Buffer;
}

/** Generates a key pair with WebCrypto; the private key comes back as PKCS#8 DER. */
export async function generateKeyPair(spec: KeySpec): Promise<GeneratedKey> {
  const subtle = crypto.webcrypto.subtle;
  const params =
    spec.kind === "rsa"
      ? { name: "RSASSA-PKCS1-v1_5", modulusLength: spec.bits, publicExponent: new Uint8Array([1, 0, 1]), hash: "SHA-256" }
      : { name: "ECDSA", namedCurve: spec.curve };
  const pair = (await subtle.generateKey(params, true, ["sign", "verify"])) as CryptoKeyPair;
  const pkcs8 = Buffer.from(await subtle.exportKey("pkcs8", pair.privateKey));
  const spki = Buffer.from(await subtle.exportKey("spki", pair.publicKey));
  return { spec, pkcs8, spki };
}

/**
 * What a public key (SPKI DER) is: RSA with its modulus size, or EC with its curve.
 * RFC 5280 §4.1.2.7 SubjectPublicKeyInfo ::= SEQUENCE { algorithm AlgorithmIdentifier, subjectPublicKey BIT STRING }.
 * RSA (RFC 3279 §2.3.1): the BIT STRING holds RSAPublicKey ::= SEQUENCE { modulus INTEGER, publicExponent INTEGER }.
 * EC (RFC 5480 §2.2): parameters name the curve, the BIT STRING holds the point (04 || X || Y, or compressed).
 * Read directly from the DER (issuance of large batches calls this per certificate; OpenSSL's
 * parser through createPublicKey was the top of the profile); anything unusual goes to OpenSSL.
 */
export function describePublicKey(spki: Uint8Array): KeySpec | { kind: "other"; type: string; curve?: string } {
  try {
    const fast = describeSpkiDer(spki);
    if (fast) return fast;
  } catch {
    /* fall through to OpenSSL, which reports malformed keys */
  }
  return describeWithOpenssl(spki);
}

const OID_DER = {
  rsa: oid(OID.rsaEncryption),
  ec: oid(OID.ecPublicKey),
  p256: oid(OID.p256),
  p384: oid(OID.p384),
};

function describeSpkiDer(spki: Uint8Array): KeySpec | undefined {
  const outer = readElement(spki);
  if (outer.tag !== 0x30 || outer.end !== spki.length) return undefined;
  const [alg, bits] = childrenOf(spki, outer);
  if (!alg || !bits || alg.tag !== 0x30 || bits.tag !== 0x03 || spki[bits.contentStart] !== 0) return undefined;
  const [algOid, params] = childrenOf(spki, alg);
  const algDer = raw(spki, algOid);
  const key = Buffer.from(spki.subarray(bits.contentStart + 1, bits.end));
  if (algDer.equals(OID_DER.rsa)) {
    if (!params || params.tag !== 0x05) return undefined;
    const seqEl = readElement(key);
    if (seqEl.tag !== 0x30 || seqEl.end !== key.length) return undefined;
    const [mod, exp] = childrenOf(key, seqEl);
    if (!mod || !exp || mod.tag !== 0x02 || exp.tag !== 0x02) return undefined;
    let i = mod.contentStart;
    while (i < mod.end && key[i] === 0) i++;
    if (i >= mod.end || key[i - 1] === undefined) return undefined;
    const bitsLen = (mod.end - i - 1) * 8 + (32 - Math.clz32(key[i]));
    return { kind: "rsa", bits: bitsLen };
  }
  if (algDer.equals(OID_DER.ec) && params) {
    const p = raw(spki, params);
    const curve = p.equals(OID_DER.p256) ? "P-256" : p.equals(OID_DER.p384) ? "P-384" : undefined;
    if (!curve) return undefined;
    const size = curve === "P-256" ? 32 : 48;
    const okPoint = (key[0] === 0x04 && key.length === 1 + 2 * size) || ((key[0] === 0x02 || key[0] === 0x03) && key.length === 1 + size);
    return okPoint ? { kind: "ec", curve } : undefined;
  }
  return undefined;
}

function describeWithOpenssl(spki: Uint8Array): KeySpec | { kind: "other"; type: string; curve?: string } {
  const key = crypto.createPublicKey({ key: Buffer.from(spki), format: "der", type: "spki" });
  const d = key.asymmetricKeyDetails ?? {};
  if (key.asymmetricKeyType === "rsa") return { kind: "rsa", bits: d.modulusLength ?? 0 };
  if (key.asymmetricKeyType === "ec") {
    if (d.namedCurve === "prime256v1") return { kind: "ec", curve: "P-256" };
    if (d.namedCurve === "secp384r1") return { kind: "ec", curve: "P-384" };
    return { kind: "other", type: "ec", curve: d.namedCurve };
  }
  return { kind: "other", type: key.asymmetricKeyType ?? "unknown" };
}

/** The key spec of a PKCS#8 private key (for imported CA keys). */
export function describePrivateKey(pkcs8: Uint8Array): KeySpec {
  const pub = crypto.createPublicKey(crypto.createPrivateKey({ key: Buffer.from(pkcs8), format: "der", type: "pkcs8" }));
  const spki = pub.export({ format: "der", type: "spki" });
  const d = describePublicKey(spki);
  if (d.kind === "other") throw new Error(`unsupported CA key type ${d.type}${d.curve ? ` ${d.curve}` : ""}`);
  return d;
}

export const spkiOfPrivateKey = (pkcs8: Uint8Array): Buffer =>
  crypto.createPublicKey(crypto.createPrivateKey({ key: Buffer.from(pkcs8), format: "der", type: "pkcs8" })).export({ format: "der", type: "spki" });
