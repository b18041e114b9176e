import crypto from "node:crypto";
import { AsnConvert } from "@peculiar/asn1-schema";
import { TimeStampReq } from "@peculiar/asn1-tsp";
import type { Services } from "../service";
import { messages } from "../messages";
import * as der from "../status/der";
import type { ServiceKey } from "../status/serviceKeys";

/**
 * The timestamp authority (RFC 3161). A query is checked with @peculiar/asn1-tsp; the token is a CMS
 * SignedData (RFC 5652) over a TSTInfo, with the signed attributes contentType, signingTime,
 * messageDigest and signingCertificateV2 (RFC 5816 / RFC 5035 ESSCertIDv2). The parts that do not
 * change between tokens (signer identifier, ESS attribute, certificate set) are encoded once per key;
 * each token costs one TSTInfo, one hash and one RSA signature (issue 9: ≥ 2,000 tokens/s).
 */

const HASH_LENGTHS: Record<string, number> = {
  "2.16.840.1.101.3.4.2.1": 32, // SHA-256
  "2.16.840.1.101.3.4.2.2": 48, // SHA-384
  "2.16.840.1.101.3.4.2.3": 64, // SHA-512
};

/** RFC 3161 §2.4.2 PKIFailureInfo bit numbers. */
export const FailInfo = { badAlg: 0, badRequest: 2, badDataFormat: 5, timeNotAvailable: 14, unacceptedPolicy: 15, unacceptedExtension: 16, systemFailure: 25 } as const;
type Fail = keyof typeof FailInfo;

const FAIL_TEXT: Record<Fail, string> = {
  badAlg: messages.status.tsaBadAlg,
  badRequest: messages.status.tsaBadRequest,
  badDataFormat: messages.status.tsaBadDataFormat,
  timeNotAvailable: messages.status.tsaSystemFailure,
  unacceptedPolicy: messages.status.tsaUnacceptedPolicy,
  unacceptedExtension: messages.status.tsaUnacceptedExtension,
  systemFailure: messages.status.tsaSystemFailure,
};

class Rejection extends Error {
  constructor(readonly fail: Fail) {
    super(fail);
  }
}

/** TimeStampResp with status rejection (2), a Vietnamese statusString and the failInfo bit. */
export function rejection(fail: Fail): Buffer {
  const bit = FailInfo[fail];
  const bytes = Buffer.alloc(Math.floor(bit / 8) + 1);
  bytes[bytes.length - 1] |= 0x80 >> bit % 8;
  const failInfo = der.tlv(0x03, Buffer.from([7 - (bit % 8)]), bytes);
  const text = der.seq(der.tlv(0x0c, Buffer.from(FAIL_TEXT[fail], "utf8")));
  return der.seq(der.seq(der.intNumber(2), text, failInfo));
}

const ID_CT_TSTINFO = "1.2.840.113549.1.9.16.1.4";
const SHA256_ALG = der.seq(der.oid("2.16.840.1.101.3.4.2.1"));
const attribute = (oid: string, ...values: Buffer[]) => der.seq(der.oid(oid), der.set(...values));

interface KeyParts {
  key: ServiceKey;
  sid: Buffer;
  essAttr: Buffer;
  contentTypeAttr: Buffer;
  certificates: Buffer;
}

interface ParsedQuery {
  imprint: Buffer;
  nonce?: Buffer;
  certReq: boolean;
}

export class TimestampAuthority {
  private parts?: KeyParts;

  constructor(private s: Services) {}

  /** Answers a TimeStampReq (DER) with a TimeStampResp; never throws. */
  async respond(body: Uint8Array | undefined): Promise<Buffer> {
    let q: ParsedQuery;
    try {
      q = this.parse(body);
    } catch (err) {
      return rejection(err instanceof Rejection ? err.fail : "badDataFormat");
    }
    try {
      return await this.grant(q);
    } catch (err) {
      this.s.log.error({ err }, "timestamp failed");
      return rejection("systemFailure");
    }
  }

  private parse(body: Uint8Array | undefined): ParsedQuery {
    if (!body || body.length < 2 || body.length > 16 * 1024) throw new Rejection("badDataFormat");
    const buf = Buffer.from(body);
    const top = der.readTlv(buf, 0);
    if (top.end !== buf.length) throw new Rejection("badDataFormat");
    let req: TimeStampReq;
    try {
      req = AsnConvert.parse(buf, TimeStampReq);
    } catch {
      throw new Rejection("badDataFormat");
    }
    if (req.version !== 1) throw new Rejection("badRequest");
    const len = HASH_LENGTHS[req.messageImprint.hashAlgorithm.algorithm];
    if (!len) throw new Rejection("badAlg");
    if (req.messageImprint.hashedMessage.byteLength !== len) throw new Rejection("badDataFormat");
    if (req.reqPolicy && req.reqPolicy !== this.s.config.TSA_POLICY_OID) throw new Rejection("unacceptedPolicy");
    if (req.extensions?.length) throw new Rejection("unacceptedExtension");
    // Keep the exact bytes of the imprint and the nonce to echo them (RFC 3161 §2.4.2).
    const kids = der.children(buf, top);
    const imprint = Buffer.from(der.raw(buf, kids[1]));
    const nonceTlv = kids.slice(2).find((k) => k.tag === 0x02);
    if (nonceTlv && nonceTlv.end - nonceTlv.contentStart > 64) throw new Rejection("badDataFormat");
    return { imprint, nonce: nonceTlv ? Buffer.from(der.raw(buf, nonceTlv)) : undefined, certReq: !!req.certReq };
  }

  private async keyParts(): Promise<KeyParts> {
    if (this.parts && this.parts.key.notAfter.getTime() - Date.now() > 365 * 86400_000) return this.parts;
    // The TSA certificate comes from the current issuing CA (src/ca/registry.ts).
    const key = await this.s.status.keys.get("tsa", await this.s.ca.issuingName());
    if (this.parts?.key === key) return this.parts;
    const cert = key.certificate;
    const certHash = crypto.createHash("sha256").update(cert.der).digest();
    // SigningCertificateV2 ::= SEQUENCE { certs SEQUENCE OF ESSCertIDv2 }; ESSCertIDv2 ::= SEQUENCE {
    //   hashAlgorithm DEFAULT sha256 (omitted), certHash, issuerSerial { GeneralNames [4] Name, serial } }
    const issuerSerial = der.seq(der.seq(der.explicit(4, cert.issuerDer)), der.tlv(0x02, cert.serialContent));
    const essAttr = attribute("1.2.840.113549.1.9.16.2.47", der.seq(der.seq(der.seq(der.octets(certHash), issuerSerial))));
    this.parts = {
      key,
      sid: der.seq(cert.issuerDer, der.tlv(0x02, cert.serialContent)),
      essAttr,
      contentTypeAttr: attribute("1.2.840.113549.1.9.3", der.oid(ID_CT_TSTINFO)),
      certificates: der.implicitConstructed(0, cert.der),
    };
    return this.parts;
  }

  private async grant(q: ParsedQuery): Promise<Buffer> {
    const p = await this.keyParts();
    const now = new Date();
    const serial = "1" + crypto.randomBytes(15).toString("hex"); // 121 random bits: unique in practice across nodes
    // TSTInfo (RFC 3161 §2.4.2); accuracy 1 s: the clock is NTP-synchronised far better than that.
    const tstParts = [
      der.intNumber(1),
      der.oid(this.s.config.TSA_POLICY_OID),
      q.imprint,
      der.intHex(serial),
      der.generalizedTime(now),
      der.seq(der.intNumber(1)),
    ];
    if (q.nonce) tstParts.push(q.nonce);
    const tstInfo = der.seq(...tstParts);
    const digest = crypto.createHash("sha256").update(tstInfo).digest();
    const attrs = [
      p.contentTypeAttr,
      attribute("1.2.840.113549.1.9.5", der.time(now)),
      attribute("1.2.840.113549.1.9.4", der.octets(digest)),
      p.essAttr,
    ].sort(Buffer.compare); // DER SET OF: sorted encodings
    const signed = await p.key.sign(der.set(...attrs));
    const signerInfo = der.seq(
      der.intNumber(1),
      p.sid,
      SHA256_ALG,
      der.implicitConstructed(0, ...attrs),
      p.key.signatureAlgorithmDer,
      der.octets(signed),
    );
    const signedDataParts = [
      der.intNumber(3),
      der.set(SHA256_ALG),
      der.seq(der.oid(ID_CT_TSTINFO), der.explicit(0, der.octets(tstInfo))),
    ];
    if (q.certReq) signedDataParts.push(p.certificates);
    signedDataParts.push(der.set(signerInfo));
    const token = der.seq(der.oid("1.2.840.113549.1.7.2"), der.explicit(0, der.seq(...signedDataParts)));
    return der.seq(der.seq(der.intNumber(0)), token);
  }
}
