/**
 * Public lookup under load: 100,000 published certificates, 16 connections, autocannon.
 * Prints requests/s and p99 latency for a name search (unaccented words over public_search_text), an
 * e-mail lookup and a serial lookup, each as a ratio against the home page measured in the same
 * run (a static render: the reference). Run: npm run bench public-search
 */
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import { loadConfig } from "../src/config";
import { startService } from "../src/service";
import { certificateSearchText } from "../src/text/searchKey";
import * as store from "../src/store/publicCertificates";
import { indexSearchText } from "../src/store/publicSearchIndex";
import { fmt, machine, report } from "./lib";
import { issueTestCertificate, makeTestCas } from "../test/support/pki";

const ROWS = Number(process.env.BENCH_ROWS ?? 100_000);
const DISTINCT_DER = 500;
const DURATION = Number(process.env.BENCH_SECONDS ?? 5);

const ho = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý"];
const dem = ["Văn", "Thị", "Hữu", "Đức", "Minh", "Thanh", "Quốc", "Ngọc", "Xuân", "Thu", "Hoài", "Kim"];
const ten = ["An", "Bình", "Cường", "Dũng", "Giang", "Hằng", "Hải", "Hạnh", "Hùng", "Khánh", "Lan", "Linh", "Long", "Mai", "Nam", "Nga", "Phương", "Quân", "Sơn", "Tâm", "Thảo", "Trang", "Tuấn", "Việt", "Yến"];
const agencies = ["Bộ Nội vụ", "Bộ Tài chính", "Bộ Tư pháp", "Văn phòng Chính phủ", "Sở Tài chính tỉnh Đắk Lắk", "UBND tỉnh Quảng Ninh", "Sở Nội vụ thành phố Hà Nội", "Kho bạc Nhà nước", "Tổng cục Thuế", "Bộ Y tế"];
const pick = <T>(a: T[], i: number) => a[i % a.length];

async function measure(url: string, title: string) {
  const r = await autocannon({ url, connections: 16, duration: DURATION });
  // Let requests still queued in the service finish before the next measurement.
  await new Promise((resolve) => setTimeout(resolve, 1000));
  return { title, rps: r.requests.average, p99: r.latency.p99, errors: r.errors + r.non2xx };
}

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "chungthu-bench-"));
  const config = loadConfig({
    HOST: "127.0.0.1", PORT: "0", DATA_DIR: dir, LOG_LEVEL: "silent", LDAP_PORT: "off", OUTBOX_POLL_MS: "0",
    CA_PASSPHRASE: "bench-passphrase-123", PUBLIC_RATE_LIMIT_PER_MINUTE: "100000",
  });
  const svc = await startService(config);
  const db = svc.services.db;
  const { issuing } = await makeTestCas(db);
  // A pool of real certificates (parsing DER is part of rendering a result) ...
  const pool: { der: Buffer; sha256: string; notBefore: string; notAfter: string }[] = [];
  for (let i = 0; i < DISTINCT_DER; i++) {
    const leaf = await issueTestCertificate(db, issuing, { cn: `Mẫu ${i}`, o: pick(agencies, i), email: `mau${i}@pool.gov.vn` });
    const row = await db("certificates").where({ serial: leaf.serial }).first();
    pool.push({ der: leaf.der, sha256: row.sha256, notBefore: row.not_before, notAfter: row.not_after });
  }
  await db("certificates").del();
  // ... and 100,000 published rows with synthetic Vietnamese names over them.
  const now = new Date().toISOString();
  let someSerial = "";
  const start = Date.now();
  for (let i = 0; i < ROWS; i += 1000) {
    const batch = [];
    for (let j = i; j < Math.min(ROWS, i + 1000); j++) {
      const b = crypto.randomBytes(9);
      b[0] = (b[0] & 0x7f) | 0x10;
      const serial = b.toString("hex");
      if (j === 4242) someSerial = serial;
      const cn = `${pick(ho, j)} ${pick(dem, Math.floor(j / 16))} ${pick(ten, Math.floor(j / 192))}`;
      const o = pick(agencies, Math.floor(j / 7));
      const p = pick(pool, j);
      batch.push({
        serial, ca_name: issuing.name, status: j % 50 === 0 ? "revoked" : "issued", profile: "official-person",
        subject_cn: cn, subject_o: o, email: `user${j}@bench.gov.vn`, public_search_text: certificateSearchText(cn, o),
        der: p.der, sha256: p.sha256, not_before: p.notBefore, not_after: p.notAfter,
        revoked_at: j % 50 === 0 ? now : null, revocation_reason: j % 50 === 0 ? 1 : null,
        handed_over_at: now, published_at: now, created_at: now,
      });
    }
    await db.batchInsert("certificates", batch, 100);
    await indexSearchText(db, batch); // as issuance writes them (src/store/certificates.ts insert)
  }
  const loadSeconds = ((Date.now() - start) / 1000).toFixed(1);

  if (process.env.BENCH_QUERY_PLAN) {
    for (const words of [["nguyen", "thi", "hang"], ["tran", "duc"], ["tai", "chinh"], ["guyen"], ["khong", "co", "ai"]]) {
      const t0 = performance.now();
      for (let i = 0; i < 20; i++) await store.findPublishedByText(db, words, 51);
      process.stderr.write(`store.findPublishedByText(${words.join(" ")}): ${((performance.now() - t0) / 20).toFixed(2)} ms/query\n`);
    }
    const t1 = performance.now();
    for (let i = 0; i < 20; i++) await store.fillPublicSearchText(db);
    process.stderr.write(`store.fillPublicSearchText with nothing to fill: ${((performance.now() - t1) / 20).toFixed(2)} ms\n`);
  }
  const base = svc.url;
  const results = [
    await measure(`${base}/`, "home page (reference)"),
    await measure(`${base}/tra-cuu?q=${encodeURIComponent("nguyen thi hang")}`, "search by name, unaccented (≤ 50 results)"),
    await measure(`${base}/tra-cuu?q=${encodeURIComponent("tran duc")}`, "search by name, many matches (capped at 50)"),
    await measure(`${base}/tra-cuu?q=${encodeURIComponent("khong co ai ten nay")}`, "search by name, no match (full scan)"),
    await measure(`${base}/tra-cuu?q=user4242%40bench.gov.vn`, "search by e-mail"),
    await measure(`${base}/tra-cuu?q=${someSerial}`, "search by serial"),
  ];
  const ref = results[0];
  process.stderr.write(`public search — ${ROWS} published certificates (${loadSeconds} s to load), 16 connections, ${DURATION} s each, ${db.client.config.client}\nmachine: ${machine()}\n`);
  for (const r of results) {
    process.stderr.write(`${r.title.padEnd(48)} ${r.rps.toFixed(0).padStart(7)} req/s  p99 ${String(r.p99).padStart(5)} ms  ratio ${(r.rps / ref.rps).toFixed(3)}${r.errors ? `  errors ${r.errors}` : ""}\n`);
  }
  report(results.slice(1).map((r) => ({
    path: `GET /tra-cuu: ${r.title}, ${fmt(ROWS)} published, 16 in flight`,
    figure: `${fmt(r.rps)} req/s, p99 ${r.p99} ms${r.errors ? `, ${r.errors} errors` : ""}`,
    reference: `home page ${fmt(ref.rps)} req/s, p99 ${ref.p99} ms`,
    ratio: (r.rps / ref.rps).toFixed(3),
  })));
  await svc.stop();
  fs.rmSync(dir, { recursive: true, force: true });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
