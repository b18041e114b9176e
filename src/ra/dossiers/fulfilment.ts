import type { Knex } from "knex";
import type { Actor } from "../../auth/actor";
import type { Db } from "../../store/db";
import * as dossiers from "../../store/dossiers";
import { fulfilmentNotes } from "../../messages/dossiers";
import { FULFILMENT, type FulfilmentEvent } from "../review/transitions";
import { transitionDossier } from "./transition";

/**
 * The last step of a dossier, taken when the work is really done (src/ra/review/transitions.ts,
 * FULFILMENT): an issuance dossier is "published" once every certificate issued for it is handed
 * over and in the directory; a revocation dossier (Mẫu 05) is "completed" once every certificate it
 * lists is revoked; a renewal/change dossier (Mẫu 04) once every certificate it lists has its
 * successor; a recovery dossier (Mẫu 06) once every device it lists is recovered.
 * Each function is idempotent and safe under concurrency: it locks the dossier row, re-checks, and
 * does nothing when the dossier is not (or no longer) in the step's "from" status.
 */
async function lockedFor(trx: Db, event: FulfilmentEvent, id: string) {
  const row = await dossiers.getForUpdate(trx, id);
  const f = FULFILMENT[event];
  if (!row || !f.kinds.includes(row.kind) || !(f.from as readonly string[]).includes(row.status)) return undefined;
  return row;
}

const inTransaction = <T>(db: Db, fn: (trx: Db) => Promise<T>): Promise<T> =>
  (db as Knex.Transaction).isTransaction ? fn(db) : (db as Knex).transaction(fn);

const n = (rows: Array<Record<string, unknown>>) => Number(Object.values(rows[0] ?? { n: 0 })[0] ?? 0);

/** After a certificate was published: its issuance dossier → published when nothing is left. */
export async function settlePublishedCertificate(db: Db, actor: Actor, serial: string): Promise<boolean> {
  const cert: { dossier_id: string | null } | undefined = await db("certificates").select("dossier_id").where({ serial }).first();
  if (!cert?.dossier_id) return false;
  return settlePublishedDossier(db, actor, cert.dossier_id, serial);
}

/**
 * The same after many certificates were published together (the batched directory.publish): each
 * of their dossiers is checked once, not once per certificate (a 10,000-person dossier would be
 * locked and counted 10,000 times).
 */
export async function settlePublishedCertificates(db: Db, actor: Actor, serials: string[]): Promise<void> {
  const lastOf = new Map<string, string>();
  for (let i = 0; i < serials.length; i += 500) {
    const rows: { serial: string; dossier_id: string | null }[] = await db("certificates").select("serial", "dossier_id").whereIn("serial", serials.slice(i, i + 500));
    const bySerial = new Map(rows.map((r) => [r.serial, r.dossier_id]));
    for (const s of serials.slice(i, i + 500)) {
      const d = bySerial.get(s);
      if (d) lastOf.set(d, s);
    }
  }
  for (const [dossierId, serial] of lastOf) await settlePublishedDossier(db, actor, dossierId, serial);
}

/** Whether a valid certificate is not yet handed over or not yet in the directory (revoked or voided ones are done with). */
const hasOpenCertificates = async (db: Db, dossierId: string) =>
  !!(await db("certificates").select("serial").where({ dossier_id: dossierId, status: "issued" })
    .where((q) => q.whereNull("handed_over_at").orWhereNull("published_at")).first());

async function settlePublishedDossier(db: Db, actor: Actor, dossierId: string, serial: string): Promise<boolean> {
  // Cheap checks first, without the lock or the dossier's content (megabytes for 10,000 people):
  // most publications of a large dossier leave others open. Checked again under the lock.
  const head: { status: string; kind: string } | undefined = await db("dossiers").select("status", "kind").where({ id: dossierId }).first();
  const f = FULFILMENT.published;
  if (!head || !f.kinds.includes(head.kind) || !(f.from as readonly string[]).includes(head.status)) return false;
  if (await hasOpenCertificates(db, dossierId)) return false;
  return inTransaction(db, async (trx) => {
    if (!(await lockedFor(trx, "published", dossierId))) return false;
    const open = (await hasOpenCertificates(trx, dossierId)) ? 1 : 0;
    const published = n(await trx("certificates").where({ dossier_id: dossierId }).whereNotNull("published_at").count({ n: "*" }));
    if (open > 0 || published === 0) return false;
    await transitionDossier(trx, actor, dossierId, {
      action: "published", to: FULFILMENT.published.to, note: fulfilmentNotes.published(published),
      auditDetails: { certificates: published, lastSerial: serial },
    });
    return true;
  });
}

/**
 * Moves a dossier to its final status when all of the things it lists (certificate or device
 * serials) are done: `countDone` counts the done ones among them, in the locked transaction.
 */
async function settleWhenAllDone(
  db: Db, actor: Actor, event: "revocation_completed" | "renewal_change_completed" | "recovery_completed", dossierId: string, listed: string[],
  countDone: (trx: Db, unique: string[]) => Promise<number>, note: (n: number) => string, detailKey: "certificates" | "devices",
): Promise<boolean> {
  return inTransaction(db, async (trx) => {
    if (!(await lockedFor(trx, event, dossierId))) return false;
    const unique = [...new Set(listed)];
    if (!unique.length) return false;
    const done = await countDone(trx, unique);
    if (done !== unique.length) return false;
    await transitionDossier(trx, actor, dossierId, { action: event, to: FULFILMENT[event].to, note: note(done), auditDetails: { [detailKey]: done } });
    return true;
  });
}

/** After a Mẫu 05 dossier was carried out: → completed when every certificate it lists is revoked. */
export const settleRevocationDossier = (db: Db, actor: Actor, dossierId: string, serials: string[]) =>
  settleWhenAllDone(db, actor, "revocation_completed", dossierId, serials,
    async (trx, unique) => n(await trx("certificates").whereIn("serial", unique).where({ status: "revoked" }).count({ n: "*" })),
    fulfilmentNotes.revocationCompleted, "certificates");

/**
 * After a Mẫu 04 dossier was carried out: → completed when every certificate it lists has its
 * successor (renewed, or re-issued with the changed information: replaced_by_serial).
 */
export const settleRenewalChangeDossier = (db: Db, actor: Actor, dossierId: string, serials: string[]) =>
  settleWhenAllDone(db, actor, "renewal_change_completed", dossierId, serials,
    async (trx, unique) => n(await trx("certificates").whereIn("serial", unique).whereNotNull("replaced_by_serial").count({ n: "*" })),
    fulfilmentNotes.renewalChangeCompleted, "certificates");

/** After a device was recovered: its Mẫu 06 dossier → completed when every device it lists is. */
export const settleRecoveryDossier = (db: Db, actor: Actor, dossierId: string, deviceSerials: string[]) =>
  settleWhenAllDone(db, actor, "recovery_completed", dossierId, deviceSerials,
    async (trx, unique) => n(await trx("device_recoveries").join("devices", "devices.id", "device_recoveries.device_id")
      .where("device_recoveries.dossier_id", dossierId).whereIn("devices.serial", unique).countDistinct({ n: "devices.serial" })),
    fulfilmentNotes.recoveryCompleted, "devices");
