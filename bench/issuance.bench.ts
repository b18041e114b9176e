/**
 * Batch issuance of a 10,000-person dossier end to end: API → database → signature → outbox →
 * embedded directory, with an RSA-2048 issuing CA and with an ECDSA P-256 one. The 10,000 people
 * are one accepted Mẫu 01 dossier (MAX_LIST in src/ra/dossiers/schema.ts), issued as one batch
 * (POST /api/requests/{id}/certificate-batch, one public key per person). Timed: from the POST to
 * the last certificate issued and the dossier marked issued (issuance), then handover of all
 * 10,000 and the outbox's directory.publish jobs until the embedded directory holds every
 * certificate and the dossier is "published" (publication).
 * Reference in the same run:
 * `openssl speed` sign rate of the CA's algorithm (one core), the signing limit.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { startTestService, type TestService } from "../test/support/service";
import { sampleDossier, sampleSubscriber } from "../test/support/dossiers";
import { createHierarchy, defaultCeremony } from "../src/ca/ceremony";
import { openDatabase } from "../src/store/db";
import { loadConfig } from "../src/config";
import { schedulePublishMany } from "../src/directory/schedule";
import { fmt, median, opensslSignRate, report } from "./lib";

const PEOPLE = Number(process.env.BENCH_PEOPLE ?? 10_000);
const PER_DOSSIER = Number(process.env.BENCH_PER_DOSSIER ?? PEOPLE);
const ALGS = (process.env.BENCH_ALGS ?? "rsa,ecdsa").split(",") as ("rsa" | "ecdsa")[];
const RUNS = Number(process.env.BENCH_RUNS ?? 2);
const PASSPHRASE = "test-passphrase-123";

async function acceptedDossier(svc: TestService, tokens: { clerk: string; reviewer: string }, n: number, offset: number): Promise<string> {
  const d = sampleDossier("individual", n);
  d.subscribers = Array.from({ length: n }, (_, i) => sampleSubscriber(offset + i));
  const c = await svc.request("POST", "/api/requests", { token: tokens.clerk, json: d });
  if (c.status !== 201) throw new Error(`dossier: ${c.status} ${(await c.text()).slice(0, 300)}`);
  const { id } = (await c.json()) as { id: string };
  for (const [who, p, body] of [[tokens.clerk, "submit", {}], [tokens.reviewer, "review", { action: "start" }], [tokens.reviewer, "review", { action: "accept" }]] as const) {
    const r = await svc.request("POST", `/api/requests/${id}/${p}`, { token: who, json: body });
    if (r.status !== 200) throw new Error(`${p}: ${r.status} ${(await r.text()).slice(0, 300)}`);
  }
  return id;
}

async function once(alg: "rsa" | "ecdsa", keys: string[]) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `bench-issuance-${alg}-`));
  if (alg === "ecdsa") {
    const config = loadConfig({ DATA_DIR: dir, CA_PASSPHRASE: PASSPHRASE });
    const db = await openDatabase(undefined, dir);
    await createHierarchy(db, config, PASSPHRASE, "system", defaultCeremony({ rootName: "dev-root", issuingName: "dev-issuing", development: true, rootKey: { kind: "ec", curve: "P-384" }, issuingKey: { kind: "ec", curve: "P-256" } }));
    await db.destroy();
  }
  const svc = await startTestService({ LDAP_PORT: "0", BODY_LIMIT: String(32 * 1024 * 1024) }, dir);
  try {
    const tokens = { clerk: await svc.userWithRoles("clerk", ["clerk"]), reviewer: await svc.userWithRoles("reviewer", ["reviewer"]) };
    const op = await svc.userWithRoles("operator", ["ca_operator"]);
    const ids: string[] = [];
    for (let off = 0; off < PEOPLE; off += PER_DOSSIER) ids.push(await acceptedDossier(svc, tokens, Math.min(PER_DOSSIER, PEOPLE - off), off));
    const entriesBefore = svc.services.directory.index.size;

    const t0 = process.hrtime.bigint();
    const batches = await Promise.all(ids.map(async (id, d) => {
      const n = Math.min(PER_DOSSIER, PEOPLE - d * PER_DOSSIER);
      const r = await svc.request("POST", `/api/requests/${id}/certificate-batch`, { token: op, json: { keys: Array.from({ length: n }, (_, i) => ({ subscriber: i, publicKey: keys[(d * PER_DOSSIER + i) % keys.length] })) } });
      if (r.status !== 202) throw new Error(`batch: ${r.status} ${(await r.text()).slice(0, 300)}`);
      return ((await r.json()) as { id: string }).id;
    }));
    const acceptedAt = process.hrtime.bigint();
    for (;;) {
      const bs = await Promise.all(batches.map(async (b) => (await (await svc.request("GET", `/api/certificate-batches/${b}`, { token: op })).json()) as { status: string; issued: number; failed: number }));
      // Done when every batch is done and every dossier has moved to "issued".
      const issuedDossiers = await svc.services.db("dossiers").whereIn("id", ids).where({ status: "issued" }).count({ n: "*" }).first();
      if (bs.every((b) => b.status === "done") && Number(issuedDossiers?.n) === ids.length) {
        const issued = bs.reduce((a, b) => a + b.issued, 0);
        if (issued !== PEOPLE) throw new Error(`issued ${issued} of ${PEOPLE}: ${JSON.stringify(bs)}`);
        break;
      }
      await new Promise((r) => setTimeout(r, 20));
    }
    const issuedAt = process.hrtime.bigint();
    // Handover, then the outbox publishes each certificate into the embedded directory.
    const db = svc.services.db;
    await db.transaction(async (trx) => {
      // What the handover step leaves (src/ra/devices/handover.ts), for all 10,000 at once.
      await trx("dossiers").whereIn("id", ids).update({ status: "handed_over" });
      await trx("certificates").whereIn("batch_id", batches).where({ status: "issued" }).update({ handed_over_at: new Date().toISOString() });
      const serials: { serial: string }[] = await trx("certificates").whereIn("batch_id", batches).where({ status: "issued" }).select("serial");
      await schedulePublishMany(trx, serials.map((s) => s.serial));
    });
    const handedAt = process.hrtime.bigint();
    while ((await svc.services.worker.runOnce()) > 0);
    const published = await db("certificates").whereIn("batch_id", batches).whereNotNull("published_at").count({ n: "*" }).first();
    if (Number(published?.n) !== PEOPLE) throw new Error(`published ${published?.n} of ${PEOPLE}`);
    // Every person has an entry in the embedded directory now (plus the agencies' chain entries).
    if (svc.services.directory.index.size < entriesBefore + PEOPLE) throw new Error(`directory holds ${svc.services.directory.index.size} entries`);
    const end = process.hrtime.bigint();
    const issueS = Number(issuedAt - t0) / 1e9;
    const publishS = Number(end - issuedAt) / 1e9;
    // The directory's published listener closed the dossier (src/ra/dossiers/fulfilment.ts).
    const statuses = (await db("dossiers").whereIn("id", ids).select("status")).map((r: { status: string }) => r.status);
    if (statuses.some((st) => st !== "published")) throw new Error(`dossier status ${statuses.join(",")} after publication`);
    process.stderr.write(`${alg}: issued ${PEOPLE} in ${issueS.toFixed(2)} s (batch accepted by the API in ${(Number(acceptedAt - t0) / 1e9).toFixed(2)} s), published in ${publishS.toFixed(2)} s (handover + enqueue ${(Number(handedAt - issuedAt) / 1e9).toFixed(2)} s, outbox ${(Number(end - handedAt) / 1e9).toFixed(2)} s); directory entries ${entriesBefore} → ${svc.services.directory.index.size}\n`);
    return { issueS, publishS };
  } finally {
    await svc.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function main() {
  // Subscribers' keys are made on their tokens; 200 distinct P-256 keys stand for them.
  const keys = Array.from({ length: 200 }, () => crypto.generateKeyPairSync("ec", { namedCurve: "P-256" }).publicKey.export({ type: "spki", format: "der" }).toString("base64"));
  const rows = [];
  for (const alg of ALGS) {
    const runs = [];
    for (let r = 0; r < RUNS; r++) runs.push(await once(alg, keys));
    const limit = opensslSignRate(alg === "rsa" ? "rsa2048" : "ecdsap256");
    const issueRate = PEOPLE / median(runs.map((x) => x.issueS));
    const e2e = PEOPLE / median(runs.map((x) => x.issueS + x.publishS));
    const target = alg === "rsa" ? 1000 : 3000;
    rows.push({
      path: `batch issuance, ${fmt(PEOPLE)} people (${PER_DOSSIER >= PEOPLE ? "one dossier" : `${Math.ceil(PEOPLE / PER_DOSSIER)} dossiers × ${fmt(PER_DOSSIER)}`}), ${alg === "rsa" ? "RSA-2048" : "ECDSA P-256"} CA, API → DB → sign → outbox → embedded directory`,
      figure: `${fmt(e2e)} certificates/s end to end (issuance ${fmt(issueRate)}/s, ${fmt(median(runs.map((x) => x.issueS)), 1)} s; publication ${fmt(median(runs.map((x) => x.publishS)), 1)} s)`,
      reference: `openssl speed ${alg === "rsa" ? "rsa2048" : "ecdsap256"}: ${fmt(limit)} signs/s (one core)`,
      ratio: `${fmt((e2e / limit) * 100, 1)} % of the signing limit`,
      target: `≥ ${fmt(target)} certificates/s`, met: e2e >= target,
    });
  }
  report(rows);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
