import crypto from "node:crypto";
import { explicit, implicitPrim, NULL, octetString, oid, seq, set, smallInt, tlv } from "./asn1/der";

/**
 * A password-protected PKCS#12 (RFC 7292) for a key pair generated here ("tạo, phân phối cặp
 * khóa"), in the modern profile OpenSSL 3 writes by default:
 *   - the key as a pkcs8ShroudedKeyBag, and the certificates in an encryptedData content, both
 *     under PBES2 (RFC 8018): PBKDF2 with HMAC-SHA256 and AES-256-CBC;
 *   - integrity by an HMAC-SHA256 MAC keyed by the PKCS#12 KDF (RFC 7292 Appendix B).
 * The caller drops the private key right after; the file is handed over once.
 */
const OIDS = {
  data: "1.2.840.113549.1.7.1",
  encryptedData: "1.2.840.113549.1.7.6",
  pbes2: "1.2.840.113549.1.5.13",
  pbkdf2: "1.2.840.113549.1.5.12",
  hmacWithSHA256: "1.2.840.113549.2.9",
  aes256cbc: "2.16.840.1.101.3.4.1.42",
  sha256: "2.16.840.1.101.3.4.2.1",
  pkcs8ShroudedKeyBag: "1.2.840.113549.1.12.10.1.2",
  certBag: "1.2.840.113549.1.12.10.1.3",
  x509Certificate: "1.2.840.113549.1.9.22.1",
  friendlyName: "1.2.840.113549.1.9.20",
  localKeyId: "1.2.840.113549.1.9.21",
};

export interface Pkcs12Options {
  iterations?: number;
  macIterations?: number;
}

/** RFC 8018 §6.2: encrypts with PBES2 (PBKDF2-HMAC-SHA256, AES-256-CBC); returns AlgorithmIdentifier and ciphertext. */
function pbes2Encrypt(password: string, plaintext: Buffer, iterations: number): { algorithm: Buffer; ciphertext: Buffer } {
  const salt = crypto.randomBytes(16);
  const iv = crypto.randomBytes(16);
  const key = crypto.pbkdf2Sync(Buffer.from(password, "utf8"), salt, iterations, 32, "sha256");
  const cipher = crypto.createCipheriv("aes-256-cbc", key, iv);
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  key.fill(0);
  const algorithm = seq(
    oid(OIDS.pbes2),
    seq(
      seq(oid(OIDS.pbkdf2), seq(octetString(salt), smallInt(iterations), seq(oid(OIDS.hmacWithSHA256), NULL))),
      seq(oid(OIDS.aes256cbc), octetString(iv)),
    ),
  );
  return { algorithm, ciphertext };
}

/** BMPString password with a two-byte terminator (RFC 7292 Appendix B.1). */
function bmpPassword(password: string): Buffer {
  const out = Buffer.alloc((password.length + 1) * 2);
  for (let i = 0; i < password.length; i++) out.writeUInt16BE(password.charCodeAt(i), i * 2);
  return out;
}

/** RFC 7292 Appendix B.2: the PKCS#12 key derivation, here with SHA-256 (u = 32, v = 64). */
export function pkcs12Kdf(password: string, salt: Buffer, id: number, iterations: number, n: number, hash = "sha256"): Buffer {
  const u = 32;
  const v = 64;
  const D = Buffer.alloc(v, id);
  const fill = (src: Buffer) => {
    if (src.length === 0) return Buffer.alloc(0);
    const len = v * Math.ceil(src.length / v);
    const out = Buffer.alloc(len);
    for (let i = 0; i < len; i++) out[i] = src[i % src.length];
    return out;
  };
  const I = Buffer.concat([fill(salt), fill(bmpPassword(password))]);
  const c = Math.ceil(n / u);
  const out: Buffer[] = [];
  for (let i = 0; i < c; i++) {
    let A = crypto.createHash(hash).update(D).update(I).digest();
    for (let r = 1; r < iterations; r++) A = crypto.createHash(hash).update(A).digest();
    out.push(A);
    const B = Buffer.alloc(v);
    for (let k = 0; k < v; k++) B[k] = A[k % u];
    for (let j = 0; j < I.length; j += v) {
      let carry = 1;
      for (let k = v - 1; k >= 0; k--) {
        const sum = I[j + k] + B[k] + carry;
        I[j + k] = sum & 0xff;
        carry = sum >> 8;
      }
    }
  }
  return Buffer.concat(out).subarray(0, n);
}

const attribute = (type: string, value: Buffer) => seq(oid(type), set(value));
const bmpString = (s: string) => {
  const b = Buffer.alloc(s.length * 2);
  for (let i = 0; i < s.length; i++) b.writeUInt16BE(s.charCodeAt(i), i * 2);
  return tlv(0x1e, b);
};

/** ContentInfo of type data: [0] EXPLICIT OCTET STRING. */
const dataContent = (content: Buffer) => seq(oid(OIDS.data), explicit(0, octetString(content)));

export function buildPkcs12(o: { pkcs8: Buffer; certificate: Buffer; chain?: Buffer[]; password: string; friendlyName?: string } & Pkcs12Options): Buffer {
  const iterations = o.iterations ?? 100_000;
  const macIterations = o.macIterations ?? 2048;
  const localKeyId = crypto.createHash("sha1").update(o.certificate).digest();
  const attrs = (withName: boolean) =>
    set(...[attribute(OIDS.localKeyId, octetString(localKeyId)), ...(withName && o.friendlyName ? [attribute(OIDS.friendlyName, bmpString(o.friendlyName))] : [])]);

  // The key: EncryptedPrivateKeyInfo (RFC 5208 §6) inside a pkcs8ShroudedKeyBag.
  const encKey = pbes2Encrypt(o.password, o.pkcs8, iterations);
  const keyBag = seq(oid(OIDS.pkcs8ShroudedKeyBag), explicit(0, seq(encKey.algorithm, octetString(encKey.ciphertext))), attrs(true));
  const keySafe = dataContent(seq(keyBag));

  // The certificates: CertBags in a SafeContents, encrypted as an EncryptedData content.
  const certBag = (der: Buffer, own: boolean) =>
    own
      ? seq(oid(OIDS.certBag), explicit(0, seq(oid(OIDS.x509Certificate), explicit(0, octetString(der)))), attrs(true))
      : seq(oid(OIDS.certBag), explicit(0, seq(oid(OIDS.x509Certificate), explicit(0, octetString(der)))));
  const certContents = seq(certBag(o.certificate, true), ...(o.chain ?? []).map((c) => certBag(c, false)));
  const encCerts = pbes2Encrypt(o.password, certContents, iterations);
  const certSafe = seq(
    oid(OIDS.encryptedData),
    explicit(0, seq(smallInt(0), seq(oid(OIDS.data), encCerts.algorithm, implicitPrim(0, encCerts.ciphertext)))),
  );

  const authSafe = seq(certSafe, keySafe);
  // MacData: HMAC-SHA256 over the AuthenticatedSafe, key from the PKCS#12 KDF with ID 3.
  const macSalt = crypto.randomBytes(16);
  const macKey = pkcs12Kdf(o.password, macSalt, 3, macIterations, 32);
  const mac = crypto.createHmac("sha256", macKey).update(authSafe).digest();
  macKey.fill(0);
  const macData = seq(seq(seq(oid(OIDS.sha256), NULL), octetString(mac)), octetString(macSalt), smallInt(macIterations));
  return seq(smallInt(3), dataContent(authSafe), macData);
}
