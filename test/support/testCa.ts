import crypto from "node:crypto";
import { promisify } from "node:util";
import type { X509Certificate } from "@peculiar/x509";
import type { Knex } from "knex";
import type { CaSigner } from "../../src/ca/signer";
import * as der from "../../src/status/der";

/**
 * A test issuing CA (self-signed RSA-2048) registered in `cas`, with a CaSigner and a way to issue
 * leaves. Written with node:crypto and our DER writer (@peculiar/x509 needs a reflect-metadata
 * polyfill that is not installed); openssl checks everything it produces.
 */
export interface TestCa {
  name: string;
  signer: CaSigner;
  pem: string;
  /** Issues a leaf certificate, inserts its `certificates` row (status issued) and returns serial + PEM. */
  issue(cn: string): Promise<{ serial: string; pem: string; der: Buffer }>;
  /** Marks a certificate revoked as the CA core does, with the outbox job it enqueues. */
  revoke(serial: string, reason: number, opts?: { invalidityDate?: string; at?: string }): Promise<void>;
}

const generateKeyPair = promisify(crypto.generateKeyPair) as any;
const SHA256_RSA = der.algorithm("1.2.840.113549.1.1.11");
let leafKeys: Promise<crypto.KeyPairKeyObjectResult> | undefined;

export const randomSerial = () => "7" + crypto.randomBytes(15).toString("hex");
const utf8 = (s: string) => der.tlv(0x0c, Buffer.from(s, "utf8"));
const rdn = (oid: string, value: Buffer) => der.set(der.seq(der.oid(oid), value));
export const name = (cn: string, o: string) => der.seq(rdn("2.5.4.6", der.tlv(0x13, Buffer.from("VN"))), rdn("2.5.4.10", utf8(o)), rdn("2.5.4.3", utf8(cn)));
export const toPem = (d: Buffer, label = "CERTIFICATE") => `-----BEGIN ${label}-----\n${d.toString("base64").replace(/(.{64})/g, "$1\n").replace(/\n$/, "")}\n-----END ${label}-----\n`;

function keyBits(spki: Buffer): Buffer {
  const [, bits] = der.children(spki, der.readTlv(spki, 0));
  return der.content(spki, bits).subarray(1);
}

function certificate(o: { serial: string; issuer: Buffer; subject: Buffer; spki: Buffer; notBefore: Date; notAfter: Date; extensions: Buffer[]; key: crypto.KeyObject }): Buffer {
  const tbs = der.seq(
    der.explicit(0, der.intNumber(2)), der.intHex(o.serial), SHA256_RSA, o.issuer,
    der.seq(der.time(o.notBefore), der.time(o.notAfter)), o.subject, o.spki, der.explicit(3, der.seq(...o.extensions)),
  );
  return der.seq(tbs, SHA256_RSA, der.bitString(crypto.sign("sha256", tbs, o.key)));
}

export async function createTestCa(db: Knex, caName = "test-ca", opts: { subjectDer?: Buffer } = {}): Promise<TestCa> {
  const { publicKey, privateKey } = (await generateKeyPair("rsa", { modulusLength: 2048 })) as crypto.KeyPairKeyObjectResult;
  const spki = publicKey.export({ type: "spki", format: "der" });
  const ski = crypto.createHash("sha1").update(keyBits(spki)).digest();
  const subject = opts.subjectDer ?? name(`${caName} (thử nghiệm)`, "Ban Cơ yếu Chính phủ");
  const notBefore = new Date(Date.now() - 86400_000);
  const notAfter = new Date(Date.now() + 10 * 365 * 86400_000);
  const caDer = certificate({
    serial: "01" + crypto.randomBytes(8).toString("hex"), issuer: subject, subject, spki, notBefore, notAfter, key: privateKey,
    extensions: [
      der.extension("2.5.29.19", true, der.seq(der.boolTrue, der.intNumber(0))),
      der.extension("2.5.29.15", true, der.tlv(0x03, Buffer.from([0x01, 0x86]))), // digitalSignature, keyCertSign, cRLSign
      der.extension("2.5.29.14", false, der.octets(ski)),
    ],
  });
  await db("cas").insert({
    name: caName, role: "issuing", subject_dn: `CN=${caName} (thử nghiệm),O=Ban Cơ yếu Chính phủ,C=VN`, certificate: caDer, key_storage: "encrypted",
    key_algorithm: "RSA-2048", not_before: notBefore.toISOString(), not_after: notAfter.toISOString(), development: true, active: true, created_at: new Date().toISOString(),
  });
  const signer: CaSigner = {
    name: caName, certificate: null as unknown as X509Certificate, der: caDer,
    signingAlgorithm: { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" },
    signatureAlgorithmDer: SHA256_RSA,
    sign: async (tbs) => {
      const b = crypto.sign("sha256", Buffer.from(tbs as Uint8Array), privateKey);
      return b.buffer.slice(b.byteOffset, b.byteOffset + b.length) as ArrayBuffer;
    },
  };
  leafKeys ??= generateKeyPair("rsa", { modulusLength: 2048 });
  return {
    name: caName, signer, pem: toPem(caDer),
    async issue(cn) {
      const serial = randomSerial();
      const leafSpki = (await leafKeys!).publicKey.export({ type: "spki", format: "der" });
      const nb = new Date(Date.now() - 3600_000);
      const na = new Date(Date.now() + 365 * 86400_000);
      const leaf = certificate({
        serial, issuer: subject, subject: name(cn, "Bộ Thử nghiệm"), spki: leafSpki, notBefore: nb, notAfter: na, key: privateKey,
        extensions: [
          der.extension("2.5.29.15", true, der.tlv(0x03, Buffer.from([0x07, 0x80]))),
          der.extension("2.5.29.35", false, der.seq(der.implicitPrimitive(0, ski))),
        ],
      });
      await db("certificates").insert({
        serial, ca_name: caName, status: "issued", profile: "official-person", subject_dn: `CN=${cn},O=Bộ Thử nghiệm,C=VN`, subject_cn: cn,
        not_before: nb.toISOString(), not_after: na.toISOString(), der: leaf,
        sha256: crypto.createHash("sha256").update(leaf).digest("hex"), created_at: new Date().toISOString(),
      });
      return { serial, pem: toPem(leaf), der: leaf };
    },
    async revoke(serial, reason, opts = {}) {
      await db.transaction(async (trx) => {
        await trx("certificates").where({ serial }).update({
          status: "revoked", revoked_at: opts.at ?? new Date().toISOString(), revocation_reason: reason, invalidity_date: opts.invalidityDate ?? null,
        });
        const now = new Date().toISOString();
        await trx("outbox").insert({
          kind: "crl.regenerate", payload: JSON.stringify({ ca: caName }), status: "pending", attempts: 0, max_attempts: 12,
          next_attempt_at: now, created_at: now, updated_at: now,
        });
      });
    },
  };
}
