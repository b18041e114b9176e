import crypto from "node:crypto";

/**
 * CA private keys at rest (design.md §4): the PKCS#8 DER is encrypted with AES-256-GCM under a key
 * derived from the operator's passphrase by scrypt (RFC 7914). The envelope is self-describing and
 * versioned so parameters can be raised later without losing old keys:
 *
 *   magic "CTKE" | version (1) | log2 N (1) | r (1) | p (1) | salt (16) | iv (12) | ciphertext | tag (16)
 *
 * The header (magic … iv) is the GCM additional authenticated data, so changing a parameter breaks
 * the tag. A wrong passphrase or any edit fails decryption; nothing is ever written in clear.
 */
const MAGIC = Buffer.from("CTKE", "ascii");
const VERSION = 1;
const HEADER_LEN = 4 + 4 + 16 + 12;
const TAG_LEN = 16;

export interface EnvelopeParams {
  /** log2 of scrypt's N; at least 15. */
  logN: number;
  r: number;
  p: number;
}

export const DEFAULT_PARAMS: EnvelopeParams = { logN: 15, r: 8, p: 1 };

export class KeyEnvelopeError extends Error {}

function deriveKey(passphrase: string, salt: Buffer, p: EnvelopeParams): Promise<Buffer> {
  const N = 2 ** p.logN;
  return new Promise((resolve, reject) =>
    crypto.scrypt(passphrase.normalize("NFC"), salt, 32, { N, r: p.r, p: p.p, maxmem: 256 * N * p.r + 32 * 1024 * 1024 }, (err, key) =>
      err ? reject(err) : resolve(key),
    ),
  );
}

export async function sealKey(pkcs8: Uint8Array, passphrase: string, params: EnvelopeParams = DEFAULT_PARAMS): Promise<Buffer> {
  if (params.logN < 15) throw new KeyEnvelopeError("scrypt N must be at least 2^15");
  const salt = crypto.randomBytes(16);
  const iv = crypto.randomBytes(12);
  const header = Buffer.concat([MAGIC, Buffer.from([VERSION, params.logN, params.r, params.p]), salt, iv]);
  const key = await deriveKey(passphrase, salt, params);
  try {
    const cipher = crypto.createCipheriv("aes-256-gcm", key, iv);
    cipher.setAAD(header);
    const ct = Buffer.concat([cipher.update(pkcs8), cipher.final()]);
    return Buffer.concat([header, ct, cipher.getAuthTag()]);
  } finally {
    key.fill(0);
  }
}

export async function openKey(envelope: Uint8Array, passphrase: string): Promise<Buffer> {
  const env = Buffer.from(envelope);
  if (env.length < HEADER_LEN + TAG_LEN + 1 || !env.subarray(0, 4).equals(MAGIC)) {
    throw new KeyEnvelopeError("not a chungthu key envelope");
  }
  const version = env[4];
  if (version !== VERSION) throw new KeyEnvelopeError(`unsupported key envelope version ${version}`);
  const params: EnvelopeParams = { logN: env[5], r: env[6], p: env[7] };
  if (params.logN < 15 || params.logN > 22) throw new KeyEnvelopeError("scrypt parameters out of range");
  const header = env.subarray(0, HEADER_LEN);
  const salt = env.subarray(8, 24);
  const iv = env.subarray(24, 36);
  const ct = env.subarray(HEADER_LEN, env.length - TAG_LEN);
  const tag = env.subarray(env.length - TAG_LEN);
  const key = await deriveKey(passphrase, salt, params);
  try {
    const decipher = crypto.createDecipheriv("aes-256-gcm", key, iv);
    decipher.setAAD(header);
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(ct), decipher.final()]);
  } catch {
    throw new KeyEnvelopeError("wrong CA passphrase or damaged key envelope");
  } finally {
    key.fill(0);
  }
}
