import crypto from "node:crypto";
import type { Knex } from "knex";
import { AsnConvert, OctetString } from "@peculiar/asn1-schema";
import { ContentInfo, SignedData } from "@peculiar/asn1-cms";
import { TimeStampResp, TSTInfo } from "@peculiar/asn1-tsp";
import type { Services } from "../service";
import type { Actor } from "../auth/actor";
import { nowIso, type Db } from "../store/db";
import * as der from "../status/der";
import { append, type AuditRow } from "./audit";
import { DomainError } from "../errors";
import { messages } from "../messages";

/**
 * Signed checkpoints of the audit chain (issue 8). The hash chain detects an edited, deleted or
 * reordered row, but not a rewrite of the whole chain by someone with write access to the
 * database. A checkpoint closes that gap: the chain head (seq, hash) is timestamped by our own
 * RFC 3161 TSA (src/tsa), whose key is certified by the issuing CA. A rewritten chain no longer
 * has the signed hash at the signed sequence number, and the token cannot be forged without
 * the TSA key.
 */
export interface CheckpointRow {
  id: number;
  seq: number;
  hash: string;
  at: string;
  digest: string;
  token: Buffer;
  created_by: string;
}

const SHA256 = "2.16.840.1.101.3.4.2.1";
const ID_CT_TSTINFO = "1.2.840.113549.1.9.16.1.4";
const ID_MESSAGE_DIGEST = "1.2.840.113549.1.9.4";

/** What the TSA signs: the SHA-256 of a fixed label, the sequence number and the row's hash. */
export const checkpointDigest = (seq: number, hash: string) =>
  crypto.createHash("sha256").update(`chungthu-audit-checkpoint|${seq}|${hash}`, "utf8").digest();

/** Timestamps the current chain head; returns undefined when the log is empty. */
export async function createCheckpoint(s: Services, actor: Actor | string): Promise<CheckpointRow | undefined> {
  const head: AuditRow | undefined = await s.db("audit_log").orderBy("seq", "desc").first();
  if (!head) return undefined;
  const seq = Number(head.seq);
  const digest = checkpointDigest(seq, head.hash);
  // TimeStampReq ::= SEQUENCE { version 1, messageImprint, certReq TRUE } (RFC 3161 §2.4.1)
  const query = der.seq(der.intNumber(1), der.seq(der.algorithm(SHA256), der.octets(digest)), der.boolTrue);
  const reply = AsnConvert.parse(await s.status.tsa.respond(query), TimeStampResp);
  if (reply.status.status !== 0 || !reply.timeStampToken) {
    throw new DomainError("checkpoint_unavailable", messages.security.checkpointUnavailable, { status: reply.status.status }, "unavailable");
  }
  const token = Buffer.from(AsnConvert.serialize(reply.timeStampToken));
  return s.db.transaction(async (trx) => {
    const at = nowIso();
    const [id] = await trx("audit_checkpoints").insert({
      seq, hash: head.hash, at, digest: digest.toString("hex"), token, created_by: typeof actor === "string" ? actor : actor.username,
    }, ["id"]);
    await append(trx, { actor, action: "audit.checkpoint", objectType: "audit", objectId: String(seq), details: { hash: head.hash, digest: digest.toString("hex") } });
    return (await trx("audit_checkpoints").where({ id: typeof id === "object" ? id.id : id }).first()) as CheckpointRow;
  });
}

export interface CheckpointReport {
  ok: boolean;
  checkpoint?: { id: number; seq: number; hash: string; genTime: string; signer: string };
  reason?: string;
}

/**
 * Verifies the latest checkpoint: the token's signature (signed attributes, message digest over
 * the TSTInfo), that the TSA certificate was issued by one of our CAs, that the token covers
 * exactly this checkpoint's (seq, hash), and that the chain still has that hash at that seq.
 */
export async function verifyLatestCheckpoint(db: Db | Knex): Promise<CheckpointReport> {
  const cp: CheckpointRow | undefined = await db("audit_checkpoints").orderBy("id", "desc").first();
  if (!cp) return { ok: true };
  const fail = (reason: string): CheckpointReport => ({ ok: false, reason, checkpoint: { id: Number(cp.id), seq: Number(cp.seq), hash: cp.hash, genTime: "", signer: "" } });
  let tst: TSTInfo;
  let signer: crypto.X509Certificate;
  try {
    const ci = AsnConvert.parse(Buffer.from(cp.token), ContentInfo);
    const sd = AsnConvert.parse(ci.content, SignedData);
    const eContent = sd.encapContentInfo.eContent?.single?.buffer ?? sd.encapContentInfo.eContent?.any;
    if (sd.encapContentInfo.eContentType !== ID_CT_TSTINFO || !eContent) return fail("token does not carry a TSTInfo");
    const tstDer = Buffer.from(eContent);
    tst = AsnConvert.parse(tstDer, TSTInfo);
    const si = sd.signerInfos[0];
    if (!si?.signedAttrs) return fail("token has no signed attributes");
    const md = si.signedAttrs.find((a) => a.attrType === ID_MESSAGE_DIGEST);
    const mdValue = md ? Buffer.from(AsnConvert.parse(md.attrValues[0], OctetString).buffer) : undefined;
    if (!mdValue || !mdValue.equals(crypto.createHash("sha256").update(tstDer).digest())) return fail("message digest does not match the TSTInfo");
    const certDer = sd.certificates?.[0]?.certificate;
    if (!certDer) return fail("token carries no certificate");
    signer = new crypto.X509Certificate(Buffer.from(AsnConvert.serialize(certDer)));
    const signedAttrs = der.set(...si.signedAttrs.map((a) => Buffer.from(AsnConvert.serialize(a))).sort(Buffer.compare));
    const ok = crypto.verify("sha256", signedAttrs, signer.publicKey, Buffer.from(si.signature.buffer));
    if (!ok) return fail("token signature does not verify");
  } catch (err) {
    return fail(`token unreadable: ${(err as Error).message}`);
  }
  const cas: { certificate: Buffer }[] = await db("cas").select("certificate");
  if (!cas.some((c) => { try { return signer.verify(new crypto.X509Certificate(Buffer.from(c.certificate)).publicKey); } catch { return false; } })) {
    return fail("TSA certificate not issued by our CA");
  }
  if (tst.messageImprint.hashAlgorithm.algorithm !== SHA256 || !Buffer.from(tst.messageImprint.hashedMessage.buffer).equals(checkpointDigest(Number(cp.seq), cp.hash))) {
    return fail("token does not cover this checkpoint's sequence and hash");
  }
  const row: AuditRow | undefined = await db("audit_log").where({ seq: cp.seq }).first();
  const report = { id: Number(cp.id), seq: Number(cp.seq), hash: cp.hash, genTime: tst.genTime.toISOString(), signer: signer.subject };
  if (!row) return { ok: false, reason: `row ${cp.seq} signed by the checkpoint is missing`, checkpoint: report };
  if (row.hash !== cp.hash) return { ok: false, reason: `row ${cp.seq} differs from the signed checkpoint (chain rewritten)`, checkpoint: report };
  return { ok: true, checkpoint: report };
}
