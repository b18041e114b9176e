import crypto from "node:crypto";
import fs from "node:fs";
import type { Config } from "../config";

/**
 * Keys at rest (design.md §4): scrypt + AES-256-GCM under the CA passphrase.
 * Layout: "CTK1" | salt(16) | iv(12) | tag(16) | ciphertext. Used for the OCSP responder and TSA
 * keys; the CA core has the same envelope for CA keys.
 */
const MAGIC = Buffer.from("CTK1");
const SCRYPT = { N: 1 << 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };

export function passphrase(config: Config): string {
  if (config.CA_PASSPHRASE) return config.CA_PASSPHRASE;
  if (config.CA_PASSPHRASE_FILE) return fs.readFileSync(config.CA_PASSPHRASE_FILE, "utf8").trim();
  throw new Error("CA_PASSPHRASE or CA_PASSPHRASE_FILE is required to keep service keys");
}

export function seal(plain: Buffer, pass: string): Buffer {
  const salt = crypto.randomBytes(16);
  const iv = crypto.randomBytes(12);
  const key = crypto.scryptSync(pass, salt, 32, SCRYPT);
  const c = crypto.createCipheriv("aes-256-gcm", key, iv);
  const ct = Buffer.concat([c.update(plain), c.final()]);
  return Buffer.concat([MAGIC, salt, iv, c.getAuthTag(), ct]);
}

export function open(sealed: Buffer, pass: string): Buffer {
  if (!sealed.subarray(0, 4).equals(MAGIC)) throw new Error("unknown key envelope");
  const salt = sealed.subarray(4, 20);
  const iv = sealed.subarray(20, 32);
  const tag = sealed.subarray(32, 48);
  const key = crypto.scryptSync(pass, salt, 32, SCRYPT);
  const d = crypto.createDecipheriv("aes-256-gcm", key, iv);
  d.setAuthTag(tag);
  return Buffer.concat([d.update(sealed.subarray(48)), d.final()]);
}
