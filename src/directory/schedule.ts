import type { Db } from "../store/db";
import { enqueue, enqueueMany } from "../outbox/outbox";

/**
 * What other capabilities call, in the transaction of their decision, to have the directory follow
 * (design.md §2: the decision commits the intent, the outbox carries it out). The jobs re-read the
 * rows when they run, so a late or repeated job still does the right thing.
 */

/*
 * No dedupe keys: the jobs are idempotent, and a key per serial would swallow a legitimate second
 * request (e.g. a publish queued at issuance, before handover, then again at handover).
 */

/** After handover (or renewal, change of information) of an issued certificate. */
export const schedulePublish = (trx: Db, serial: string) =>
  enqueue(trx, { kind: "directory.publish", payload: { serial } });

/** Serials per directory.publish job queued by schedulePublishMany(). */
export const PUBLISH_JOB_SERIALS = 500;

/**
 * schedulePublish() for many certificates (a dossier handed over together): one job per
 * PUBLISH_JOB_SERIALS certificates, {serials}, rather than a row each (a 10,000-person dossier is
 * 20 jobs, not 10,000).
 */
export const schedulePublishMany = (trx: Db, serials: string[]) => {
  const jobs = [];
  for (let i = 0; i < serials.length; i += PUBLISH_JOB_SERIALS) jobs.push({ kind: "directory.publish", payload: { serials: serials.slice(i, i + PUBLISH_JOB_SERIALS) } });
  return enqueueMany(trx, jobs);
};

/** After revocation or expiry: removes that one value from its holder's entry. */
export const scheduleUnpublish = (trx: Db, serial: string) =>
  enqueue(trx, { kind: "directory.unpublish", payload: { serial } });

/**
 * After a CRL is signed (and when a CA is created): the CA entry gets its certificate and newest
 * CRLs. No dedupe key: each new CRL needs its own run (the status service dedupes per CRL number).
 */
export const schedulePublishCrl = (trx: Db, caName: string) =>
  enqueue(trx, { kind: "directory.publishCrl", payload: { ca: caName } });
