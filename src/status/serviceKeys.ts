import crypto from "node:crypto";
import { promisify } from "node:util";
import type { Services } from "../service";
import type { CaSigner } from "../ca/signer";
import * as audit from "../audit/audit";
import { systemActor } from "../auth/actor";
import * as der from "./der";
import { certInfo, type CertInfo } from "./certInfo";
import { openKey, sealKey } from "../ca/keys/envelope";
import { resolvePassphrase } from "../ca/keys/passphrase";

export type ServicePurpose = "ocsp" | "tsa";

/** A key of a status service with its certificate issued by the CA. */
export interface ServiceKey {
  id: number;
  purpose: ServicePurpose;
  caName: string;
  certificate: CertInfo;
  notAfter: Date;
  key: crypto.KeyObject;
  /** sha256WithRSAEncryption */
  signatureAlgorithmDer: Buffer;
  /** Signs in libuv's thread pool (all cores), PKCS#1 v1.5 with SHA-256. */
  sign(data: Buffer): Promise<Buffer>;
}

const signAsync = promisify(crypto.sign) as (alg: string, data: Buffer, key: crypto.KeyObject) => Promise<Buffer>;
const generateKeyPair = promisify(crypto.generateKeyPair) as any;
const DAY = 86400_000;

/**
 * RFC 6960 §4.2.2.2: a delegated responder certificate carries EKU id-kp-OCSPSigning and, so that
 * clients need not check its own status, id-pkix-ocsp-nocheck (§4.2.2.2.1); it is short-lived and
 * renewed well before it expires. RFC 3161 §2.3: the TSA certificate has exactly one EKU,
 * id-kp-timeStamping, marked critical.
 */
const PROFILES: Record<ServicePurpose, { lifetimeDays: number; renewDays: number; cn: (ca: string) => string; extensions: Buffer[] }> = {
  ocsp: {
    lifetimeDays: 90, renewDays: 30,
    cn: (ca) => `Dịch vụ OCSP - ${ca}`,
    extensions: [
      der.extension("2.5.29.37", false, der.seq(der.oid("1.3.6.1.5.5.7.3.9"))),
      der.extension("1.3.6.1.5.5.7.48.1.5", false, der.NULL),
    ],
  },
  tsa: {
    lifetimeDays: 3 * 365, renewDays: 365,
    cn: (ca) => `Dịch vụ cấp dấu thời gian - ${ca}`,
    extensions: [der.extension("2.5.29.37", true, der.seq(der.oid("1.3.6.1.5.5.7.3.8")))],
  },
};

const utf8 = (s: string) => der.tlv(0x0c, Buffer.from(s, "utf8"));
const rdn = (oid: string, value: Buffer) => der.set(der.seq(der.oid(oid), value));

export class ServiceKeys {
  private cache = new Map<string, ServiceKey>();
  private pending = new Map<string, Promise<ServiceKey>>();

  constructor(private s: Services) {}

  /** The CA passphrase seals the service keys too (same envelope as CA keys, src/ca/keys). */
  private passphrase(): string {
    return resolvePassphrase(this.s.config, this.s.log, { create: false }).passphrase;
  }

  /** The current key for a purpose and CA; loads it, or issues a new one when missing or due for renewal. */
  async get(purpose: ServicePurpose, caName: string): Promise<ServiceKey> {
    const k = `${purpose}\u0000${caName}`;
    const cached = this.cache.get(k);
    if (cached && cached.notAfter.getTime() - Date.now() > PROFILES[purpose].renewDays * DAY) return cached;
    let p = this.pending.get(k);
    if (!p) {
      p = this.loadOrIssue(purpose, caName).finally(() => this.pending.delete(k));
      this.pending.set(k, p);
    }
    const key = await p;
    this.cache.set(k, key);
    return key;
  }

  private async loadOrIssue(purpose: ServicePurpose, caName: string): Promise<ServiceKey> {
    const { db } = this.s;
    const signer = await this.s.status.signers(caName);
    const row = await db("service_keys").where({ purpose, ca_name: caName, active: true }).orderBy("id", "desc").first();
    const caDer = signer?.der;
    if (row && Date.parse(row.not_after) - Date.now() > PROFILES[purpose].renewDays * DAY) {
      const cert = certInfo(Buffer.from(row.certificate));
      // A key certified by another CA certificate (a re-keyed CA) is replaced: the stored
      // certificate must verify under the CA's current key.
      if (!caDer || new crypto.X509Certificate(cert.der).verify(new crypto.X509Certificate(caDer).publicKey)) {
        return this.toKey(row.id, purpose, caName, cert, crypto.createPrivateKey({ key: await openKey(Buffer.from(row.key_encrypted), this.passphrase()), format: "der", type: "pkcs8" }));
      }
    }
    if (!signer) throw new Error(`no signer for CA ${caName}`);
    return this.issue(purpose, signer);
  }

  private toKey(id: number, purpose: ServicePurpose, caName: string, certificate: CertInfo, key: crypto.KeyObject): ServiceKey {
    return {
      id, purpose, caName, certificate, key, notAfter: certificate.notAfter,
      signatureAlgorithmDer: der.algorithm("1.2.840.113549.1.1.11"),
      sign: (data) => signAsync("sha256", data, key),
    };
  }

  /** Generates an RSA-2048 key, has the CA certify it, stores both (key sealed) with the certificate row. */
  private async issue(purpose: ServicePurpose, signer: CaSigner): Promise<ServiceKey> {
    const { db, config } = this.s;
    const profile = PROFILES[purpose];
    const { publicKey, privateKey } = (await generateKeyPair("rsa", { modulusLength: 2048 })) as crypto.KeyPairKeyObjectResult;
    const spki = publicKey.export({ type: "spki", format: "der" });
    const ca = certInfo(signer.der);
    const serial = "7" + crypto.randomBytes(15).toString("hex");
    const notBefore = new Date(Math.floor(Date.now() / 1000) * 1000 - 5 * 60_000);
    const notAfter = new Date(Math.min(notBefore.getTime() + profile.lifetimeDays * DAY, ca.notAfter.getTime()));
    const cn = profile.cn(signer.name);
    const subject = der.seq(rdn("2.5.4.6", der.tlv(0x13, Buffer.from("VN"))), rdn("2.5.4.10", utf8("Ban Cơ yếu Chính phủ")), rdn("2.5.4.3", utf8(cn)));
    const spkiTlv = der.readTlv(spki, 0);
    const [, bits] = der.children(spki, spkiTlv);
    const keyBits = der.content(spki, bits).subarray(1);
    const extensions = [
      der.extension("2.5.29.15", true, der.tlv(0x03, Buffer.from([0x07, 0x80]))), // keyUsage digitalSignature
      ...profile.extensions,
      der.extension("2.5.29.14", false, der.octets(crypto.createHash("sha1").update(keyBits).digest())),
      der.extension("2.5.29.35", false, der.seq(der.implicitPrimitive(0, ca.keyId))),
      der.extension("2.5.29.32", false, der.seq(der.seq(der.oid(config.CERTIFICATE_POLICY_OID)))),
    ];
    const tbs = der.seq(
      der.explicit(0, der.intNumber(2)),
      der.intHex(serial),
      signer.signatureAlgorithmDer,
      ca.subjectDer,
      der.seq(der.time(notBefore), der.time(notAfter)),
      subject,
      spki,
      der.explicit(3, der.seq(...extensions)),
    );
    const signature = Buffer.from(await signer.sign(tbs));
    const certDer = der.seq(tbs, signer.signatureAlgorithmDer, der.bitString(signature));
    const sealed = await sealKey(privateKey.export({ type: "pkcs8", format: "der" }), this.passphrase());
    const now = new Date().toISOString();
    const id = await db.transaction(async (trx) => {
      await trx("service_keys").where({ purpose, ca_name: signer.name, active: true }).update({ active: false });
      await trx("certificates").insert({
        serial, ca_name: signer.name, status: "issued", profile: purpose === "ocsp" ? "ocsp-responder" : "tsa", subject_dn: `CN=${cn},O=Ban Cơ yếu Chính phủ,C=VN`,
        subject_cn: cn, key_algorithm: "RSA-2048", not_before: notBefore.toISOString(), not_after: notAfter.toISOString(), der: certDer,
        sha256: crypto.createHash("sha256").update(certDer).digest("hex"), created_at: now, issued_at: now,
      });
      const [inserted] = await trx("service_keys").insert({
        purpose, ca_name: signer.name, serial, certificate: certDer, key_encrypted: sealed, key_algorithm: "RSA-2048",
        not_before: notBefore.toISOString(), not_after: notAfter.toISOString(), active: true, created_at: now,
      }).returning("id");
      await audit.append(trx, { actor: systemActor, action: `${purpose}.certificate_issued`, objectType: "certificate", objectId: serial, details: { ca: signer.name, notAfter: notAfter.toISOString() } });
      return typeof inserted === "object" ? inserted.id : inserted;
    });
    this.s.log.info({ purpose, ca: signer.name, serial }, "service certificate issued");
    return this.toKey(Number(id), purpose, signer.name, certInfo(certDer), privateKey);
  }
}
