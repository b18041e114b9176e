import crypto from "node:crypto";
import * as graphene from "graphene-pk11";
import * as pkcs11js from "pkcs11js";
import { AsnConvert, OctetString } from "@peculiar/asn1-schema";
import { AlgorithmIdentifier, SubjectPublicKeyInfo } from "@peculiar/asn1-x509";
import { RSAPublicKey, id_rsaEncryption } from "@peculiar/asn1-rsa";
import { id_ecPublicKey } from "@peculiar/asn1-ecc";

/**
 * The station's PKCS#11 side, over graphene-pk11. Any vendor's module works: the path is an option
 * (SoftHSM2's by default). Tokens are found by label, never by slot number (SoftHSM2's slot ids are
 * random, and a workstation may have several readers).
 */
export const DEFAULT_MODULE = "/usr/lib/softhsm/libsofthsm2.so";

export class StationError extends Error {
  constructor(message: string, readonly code = "station_error") {
    super(message);
  }
}

export const pkcs11Code = (err: unknown): number | undefined => (err as { code?: number })?.code;
export const isPinIncorrect = (err: unknown) => pkcs11Code(err) === pkcs11js.CKR_PIN_INCORRECT;
export const isPinLocked = (err: unknown) => pkcs11Code(err) === pkcs11js.CKR_PIN_LOCKED;

export interface TokenSummary {
  slotId: string;
  slotDescription: string;
  label: string;
  serial: string;
  manufacturer: string;
  model: string;
  initialized: boolean;
  userPinInitialized: boolean;
  userPinCountLow: boolean;
  userPinLocked: boolean;
}

/** Loads the module, runs fn, and always finalizes (a token left logged in is a token left open). */
export function withModule<T>(modulePath: string, fn: (m: graphene.Module) => T): T {
  const mod = graphene.Module.load(modulePath, "station");
  mod.initialize();
  try {
    return fn(mod);
  } finally {
    try {
      mod.finalize();
    } catch {
      /* already finalized */
    }
  }
}

const slotsOf = (mod: graphene.Module): graphene.Slot[] => {
  const out: graphene.Slot[] = [];
  const all = mod.getSlots(true);
  for (let i = 0; i < all.length; i++) out.push(all.items(i));
  return out;
};

export function summarize(slot: graphene.Slot): TokenSummary {
  const t = slot.getToken();
  const f = t.flags;
  return {
    slotId: slot.handle.toString("hex"),
    slotDescription: slot.slotDescription.trim(),
    label: t.label.trim(),
    serial: t.serialNumber.trim(),
    manufacturer: t.manufacturerID.trim(),
    model: t.model.trim(),
    initialized: Boolean(f & graphene.TokenFlag.TOKEN_INITIALIZED),
    userPinInitialized: Boolean(f & graphene.TokenFlag.USER_PIN_INITIALIZED),
    userPinCountLow: Boolean(f & graphene.TokenFlag.USER_PIN_COUNT_LOW),
    userPinLocked: Boolean(f & graphene.TokenFlag.USER_PIN_LOCKED),
  };
}

export const listTokens = (mod: graphene.Module): TokenSummary[] => slotsOf(mod).map(summarize);

/** The slot whose token carries this label; exactly one must match. */
export function slotByLabel(mod: graphene.Module, label: string): graphene.Slot {
  const matches = slotsOf(mod).filter((s) => summarize(s).initialized && summarize(s).label === label);
  if (matches.length === 0) throw new StationError(`Không tìm thấy token có nhãn "${label}".`, "token_not_found");
  if (matches.length > 1) throw new StationError(`Có ${matches.length} token cùng nhãn "${label}"; hãy rút bớt token.`, "token_ambiguous");
  return matches[0];
}

/** A slot with an uninitialised token (a blank token, or SoftHSM2's free slot). */
export function blankSlot(mod: graphene.Module): graphene.Slot {
  const s = slotsOf(mod).find((x) => !summarize(x).initialized);
  if (!s) throw new StationError("Không có token trắng (chưa khởi tạo) nào đang cắm.", "no_blank_token");
  return s;
}

export function openSession(slot: graphene.Slot): graphene.Session {
  return slot.open(graphene.SessionFlag.SERIAL_SESSION | graphene.SessionFlag.RW_SESSION);
}

export type KeyType = "rsa2048" | "rsa3072" | "ec-p256";

/** CKA_ID of a new key: 20 random bytes, shared by the private key, public key and certificates. */
export const newKeyId = () => crypto.randomBytes(20);

/**
 * Generates the key pair ON the token: the private key is a token object, private, sensitive and
 * never extractable (it cannot leave the device, even wrapped).
 */
export function generateKeyPair(session: graphene.Session, type: KeyType, id: Buffer, label: string): graphene.IKeyPair {
  const common = { token: true, id, label };
  const priv = { ...common, private: true, sensitive: true, extractable: false, sign: true };
  if (type === "ec-p256") {
    return session.generateKeyPair(
      graphene.KeyGenMechanism.ECDSA,
      { ...common, keyType: graphene.KeyType.EC, paramsEC: graphene.NamedCurve.getByName("secp256r1").value, verify: true, private: false },
      { ...priv, keyType: graphene.KeyType.EC, derive: false },
    );
  }
  return session.generateKeyPair(
    graphene.KeyGenMechanism.RSA,
    { ...common, keyType: graphene.KeyType.RSA, modulusBits: type === "rsa3072" ? 3072 : 2048, publicExponent: Buffer.from([1, 0, 1]), verify: true, private: false },
    { ...priv, keyType: graphene.KeyType.RSA },
  );
}

/** Reads the public key off the token as a DER SubjectPublicKeyInfo. */
export function publicKeyInfo(pub: graphene.PublicKey): Buffer {
  const t = pub.getAttribute({ keyType: null }).keyType;
  if (t === graphene.KeyType.RSA) {
    const a = pub.getAttribute({ modulus: null, publicExponent: null });
    const rsa = new RSAPublicKey({ modulus: unsigned(a.modulus!), publicExponent: unsigned(a.publicExponent!) });
    return Buffer.from(AsnConvert.serialize(new SubjectPublicKeyInfo({
      algorithm: new AlgorithmIdentifier({ algorithm: id_rsaEncryption, parameters: null }),
      subjectPublicKey: AsnConvert.serialize(rsa),
    })));
  }
  if (t === graphene.KeyType.EC) {
    const a = pub.getAttribute({ paramsEC: null, pointEC: null }) as { pointEC?: Buffer; paramsEC?: Buffer; paramsECDSA?: Buffer };
    const params = a.paramsEC ?? a.paramsECDSA!; // graphene names CKA_EC_PARAMS "paramsECDSA" on read
    // CKA_EC_POINT is the DER encoding of an OCTET STRING holding the point (PKCS#11 v2.40 §2.3.3).
    const point = new Uint8Array(AsnConvert.parse(a.pointEC!, OctetString).buffer);
    return Buffer.from(AsnConvert.serialize(new SubjectPublicKeyInfo({
      algorithm: new AlgorithmIdentifier({ algorithm: id_ecPublicKey, parameters: params.buffer.slice(params.byteOffset, params.byteOffset + params.byteLength) as ArrayBuffer }),
      subjectPublicKey: point.buffer as ArrayBuffer,
    })));
  }
  throw new StationError("Loại khóa trên token không được hỗ trợ.");
}

/** INTEGER content for asn1-schema: a leading 0x00 keeps a high-bit modulus positive. */
function unsigned(b: Buffer): ArrayBuffer {
  const v = b[0] & 0x80 ? Buffer.concat([Buffer.from([0]), b]) : b;
  return v.buffer.slice(v.byteOffset, v.byteOffset + v.byteLength) as ArrayBuffer;
}

/** Writes an X.509 certificate object onto the token (CKA_ID links it to its key). */
export function writeCertificate(session: graphene.Session, der: Buffer, id: Buffer, label: string, subject: Buffer, issuer: Buffer, serial: Buffer): void {
  session.create({
    class: graphene.ObjectClass.CERTIFICATE,
    certType: graphene.CertificateType.X_509,
    token: true,
    private: false,
    modifiable: true,
    id,
    label,
    subject,
    issuer,
    serial,
    value: der,
  });
}

export const findPrivateKeys = (session: graphene.Session, id?: Buffer) =>
  session.find({ class: graphene.ObjectClass.PRIVATE_KEY, ...(id ? { id } : {}) });

/**
 * C_InitToken: wipes the token and sets the SO PIN and label. Called through pkcs11js directly:
 * graphene's Slot.initToken post-processes a return value that pkcs11js no longer gives and throws
 * after the token was initialised.
 */
export function initToken(slot: graphene.Slot, soPin: string, label: string): void {
  const lib = (slot as unknown as { lib: pkcs11js.PKCS11 }).lib;
  lib.C_InitToken(slot.handle, soPin, label);
}
