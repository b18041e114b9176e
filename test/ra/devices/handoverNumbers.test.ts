import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect } from "chai";
import knex from "knex";
import { startTestService, type TestService } from "../../support/service";
import { createTestCa, issueTestCertificate, type TestCa } from "../../support/certificates";
import { hasPostgres, startPostgres, type TestPostgres } from "../../support/postgres";
import { requirePeer } from "../../support/peers";
import { knexConfig, migrationsDir } from "../../../src/store/db";
import * as handovers from "../../../src/store/handovers";

const MIGRATION = "20261125050200_handover_numbers.ts";

/** Handover record numbers (Mẫu 07): a counter row per year, so concurrent handovers never collide. */
function suite(name: string, setup: () => Promise<{ svc: TestService; stop?: () => void }>) {
  describe(name, function () {
    this.timeout(120_000);
    let svc: TestService;
    let stop: (() => void) | undefined;
    let ca: TestCa;
    let officer: string;
    let n = 0;
    before(async function () {
      ({ svc, stop } = await setup.call(this));
      ca = await createTestCa(svc.services.db);
      officer = await svc.userWithRoles("officer-num", ["device_officer"]);
    });
    after(async () => {
      await svc?.stop();
      stop?.();
    });

    const api = async (method: string, p: string, json?: unknown) => {
      const r = await svc.request(method, p, { token: officer, json });
      const text = await r.text();
      expect(r.status, `${method} ${p} → ${r.status} ${text.slice(0, 300)}`).to.be.oneOf([200, 201]);
      return JSON.parse(text);
    };
    /** A device holding an issued, not yet handed-over certificate. */
    const ready = async () => {
      const c = await issueTestCertificate(svc.services.db, ca, { cn: `Người nhận ${++n}`, uid: `CCCD:0010800${String(n).padStart(5, "0")}`, handedOver: false });
      const d = await api("POST", "/api/devices", { serial: `TK-NUM-${n}`, model: "ePass3003", manufacturer: "Feitian", kind: "usb_token" });
      await api("POST", `/api/devices/${d.id}/transition`, { to: "initialized", reason: "Khởi tạo token" });
      await api("POST", `/api/devices/${d.id}/certificates`, { serial: c.serial });
      return { deviceId: d.id as string, certificateSerial: c.serial };
    };
    const handOver = (item: { deviceId: string; certificateSerial: string }, handedAt = "2026-11-25T09:00:00+07:00") =>
      svc.request("POST", "/api/handovers", {
        token: officer,
        json: {
          place: { kind: "provider", address: "Số 23 Ngụy Như Kon Tum, Hà Nội" }, handedAt,
          handingOfficer: { name: "Lê Văn Giao", position: "Chuyên viên", agency: "Cục Chứng thực số và Bảo mật thông tin" },
          receiver: { name: "Trần Thị Nhận", position: "Văn thư", agency: "Bộ Tài chính", idNumber: "001190123456" },
          items: [item],
        },
      });

    it("gives parallel handovers distinct, consecutive numbers", async () => {
      const items = [];
      for (let i = 0; i < 8; i++) items.push(await ready());
      const rs = await Promise.all(items.map((it) => handOver(it)));
      const bodies = await Promise.all(rs.map(async (r) => ({ status: r.status, body: await r.json() })));
      for (const b of bodies) expect(b.status, JSON.stringify(b.body)).to.equal(201);
      const numbers = bodies.map((b) => b.body.number as string);
      expect(new Set(numbers).size).to.equal(8);
      expect(numbers.map((x) => Number(x.split("/")[0])).sort((a, b) => a - b)).to.deep.equal([1, 2, 3, 4, 5, 6, 7, 8]);
      for (const x of numbers) expect(x).to.match(/^\d+\/2026\/BB-BG$/);
      const rows = await svc.services.db("handovers").select("number", "year", "seq");
      for (const r of rows) expect(r.number).to.equal(`${r.seq}/${r.year}/BB-BG`);
    });

    it("a rolled-back handover leaves no gap; each year counts from 1; the indexes refuse duplicates", async () => {
      await svc.services.db.transaction(async (trx) => {
        expect(await handovers.nextSequence(trx, 2026)).to.equal(9);
        throw new Error("rollback");
      }).catch((e) => expect(e.message).to.equal("rollback"));
      // A handover refused inside its transaction (device handed over already) takes no number either.
      const taken = (await svc.services.db("handover_items").first()) as { device_id: string; certificate_serial: string };
      expect((await handOver({ deviceId: taken.device_id, certificateSerial: taken.certificate_serial })).status).to.equal(409);
      const next = await (await handOver(await ready())).json();
      expect(next.number).to.equal("9/2026/BB-BG");
      const nextYear = await (await handOver(await ready(), "2027-01-04T09:00:00+07:00")).json();
      expect(nextYear.number).to.equal("1/2027/BB-BG");

      const row = await svc.services.db("handovers").where({ number: "9/2026/BB-BG" }).first();
      const copy = { ...row, id: "00000000-0000-4000-8000-000000000001", number: "09/2026/BB-BG" };
      let refused = false;
      await svc.services.db("handovers").insert(copy).catch(() => (refused = true));
      expect(refused, "(year, seq) is unique").to.equal(true);
    });
  });
}

suite("handover numbering on SQLite", async () => ({ svc: await startTestService() }));

suite("handover numbering on PostgreSQL", async function (this: Mocha.Context) {
  requirePeer(this, "PostgreSQL (initdb, pg_ctl)", hasPostgres(), "apt-get install postgresql");
  const pg: TestPostgres = await startPostgres();
  return { svc: await startTestService({ DATABASE_URL: pg.url }), stop: () => pg.stop() };
});

describe("handover numbering migration", () => {
  it("fills year and sequence of existing records and starts each year's counter after its highest number", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "chungthu-mig-"));
    const db = knex(knexConfig(undefined, dir));
    try {
      await db.migrate.latest({ directory: migrationsDir, loadExtensions: [".ts"] });
      await db.migrate.down({ directory: migrationsDir, loadExtensions: [".ts"], name: MIGRATION });
      const row = (id: string, number: string) => ({
        id, number, place_kind: "provider", place: "Hà Nội", handed_at: "2026-01-01T00:00:00.000Z", handing_officer: "{}", receiver: "{}",
        created_at: "2026-01-01T00:00:00.000Z", created_by: "x",
      });
      await db("handovers").insert([row("a", "1/2025/BB-BG"), row("b", "3/2025/BB-BG"), row("c", "1/2026/BB-BG")]);
      await db.migrate.latest({ directory: migrationsDir, loadExtensions: [".ts"] });
      expect(await db("handovers").select("id", "year", "seq").orderBy("id")).to.deep.equal([
        { id: "a", year: 2025, seq: 1 }, { id: "b", year: 2025, seq: 3 }, { id: "c", year: 2026, seq: 1 },
      ]);
      expect(await handovers.nextSequence(db, 2025)).to.equal(4);
      expect(await handovers.nextSequence(db, 2026)).to.equal(2);
      expect(await handovers.nextSequence(db, 2027)).to.equal(1);
    } finally {
      await db.destroy();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
