import { expect } from "chai";
import { startTestService, type TestService } from "../support/service";
import { createTestCa, issueTestCertificate, type TestCa } from "../support/certificates";
import { schedulePublish, schedulePublishCrl, schedulePublishMany } from "../../src/directory/schedule";
import { loadDesired } from "../../src/directory/desired";
import { CERT_ATTR } from "../../src/directory/dit";
import { list } from "../../src/outbox/outbox";
import { parseDn, dnKey } from "../../src/directory/dn";

/**
 * directory.publish in batches (issue 9): the outbox hands the embedded directory hundreds of
 * publications at once; what it builds must be exactly what the database says the directory holds
 * (loadDesired, the source of truth of the reconciliation and of `directory resync`), whatever mix
 * of holders the batch carries, and running the jobs again changes nothing.
 */
describe("directory.publish in batches (embedded directory)", () => {
  let svc: TestService;
  let ca: TestCa;
  before(async () => {
    svc = await startTestService();
    ca = await createTestCa(svc.services.db);
  });
  after(() => svc?.stop());

  const published = async (serials: string[]) =>
    (await svc.services.db("certificates").whereIn("serial", serials).whereNotNull("published_at").select("serial")).map((r) => r.serial).sort();

  it("builds every entry as the database says, for a batch of mixed holders, and publishes only what may be published", async () => {
    const db = svc.services.db;
    const serials: string[] = [];
    const issue = async (p: Parameters<typeof issueTestCertificate>[2]) => {
      const c = await issueTestCertificate(db, ca, p);
      serials.push(c.serial);
      return c;
    };
    // 40 people with one certificate each, in two agencies.
    for (let i = 0; i < 40; i++) {
      await issue({ cn: `Nguyễn Văn Thử ${i}`, uid: `CCCD:0010851${String(i).padStart(5, "0")}`, email: `thu${i}@btc.gov.vn`, o: i % 2 ? "Bộ Tài chính" : "Văn phòng Chính phủ" });
    }
    // A person with two certificates (the newer title wins), one without an identity (by e-mail),
    // a device, a revoked certificate, one not handed over.
    const two1 = await issue({ cn: "Trần Thị Hai", uid: "CCCD:001185000222", email: "hai@vpcp.gov.vn", title: "Chuyên viên" });
    const two2 = await issue({ cn: "Trần Thị Hai", uid: "CCCD:001185000222", email: "hai@vpcp.gov.vn", title: "Phó Vụ trưởng" });
    const byMail = await issue({ cn: "Lê Văn Thư", email: "thu.le@vpcp.gov.vn" });
    const device = await issue({ cn: "Cổng dịch vụ công, máy chủ 2", profile: "device", o: "Bộ Tài chính", serialNumber: "SRV-0002" });
    const revoked = await issue({ cn: "Phạm Văn Thu Hồi", uid: "CCCD:001085000333", status: "revoked" });
    const hidden = await issue({ cn: "Đỗ Chưa Giao", uid: "CCCD:001085000444", handedOver: false });
    await db.transaction(async (trx) => {
      await schedulePublishMany(trx, serials);
      await schedulePublish(trx, two1.serial); // queued twice (at issuance and at handover): harmless
      await schedulePublish(trx, "7fffffffffffffff"); // a serial with no row: nothing to do
      await schedulePublishCrl(trx, ca.name);
    });
    // One job for the dossier's certificates, two single ones, the CRL.
    expect(await svc.drainOutbox()).to.equal(4);
    const jobs = (await list(db, { kind: "directory.publish", limit: 1000 })).items;
    expect(jobs.every((j) => j.status === "done" && Number(j.attempts) === 1)).to.equal(true);

    // Exactly the entries the database calls for (the reconciliation finds no drift).
    const d = svc.services.directory;
    const desired = await loadDesired(db, d.base, d.personKey);
    for (const [key, entry] of desired) {
      const got = d.index.get(entry.dn);
      expect(got, entry.dn).to.not.equal(undefined);
      expect(dnKey(got!.dn), entry.dn).to.equal(key);
    }
    expect((await d.reconcile(db)).drift).to.equal(0);

    const holder = (serial: string) => {
      for (const e of desired.values()) if ((e.attributes[CERT_ATTR] ?? []).some((v) => Buffer.isBuffer(v) && v.equals(derOf[serial]))) return e;
      return undefined;
    };
    const derOf: Record<string, Buffer> = Object.fromEntries(
      (await db("certificates").whereIn("serial", serials).select("serial", "der")).map((r) => [r.serial, Buffer.from(r.der)]),
    );
    const both = d.index.get(holder(two1.serial)!.dn)!;
    expect(both.attributes[CERT_ATTR]).to.have.length(2);
    expect(both.attributes.title).to.deep.equal(["Phó Vụ trưởng"]);
    expect(holder(two2.serial)!.dn).to.equal(both.dn);
    expect(parseDn(d.index.get(holder(byMail.serial)!.dn)!.dn)[0][0].type).to.equal("uid");
    expect(parseDn(d.index.get(holder(device.serial)!.dn)!.dn)[0][0]).to.deep.include({ type: "cn", value: "Cổng dịch vụ công, máy chủ 2" });
    expect(holder(revoked.serial)).to.equal(undefined);
    expect(holder(hidden.serial)).to.equal(undefined);

    // published_at: every publishable certificate, not the revoked one nor the one not handed over.
    const expected = serials.filter((s) => s !== revoked.serial && s !== hidden.serial).sort();
    expect(await published(serials)).to.deep.equal(expected);

    // The same publications again (a replay, or a retry after a crash) change nothing.
    const size = d.index.size;
    await db.transaction((trx) => schedulePublishMany(trx, serials));
    await svc.drainOutbox();
    expect(d.index.size).to.equal(size);
    expect(d.index.get(both.dn)!.attributes[CERT_ATTR]).to.have.length(2);
    expect((await d.reconcile(db)).drift).to.equal(0);
  });

  it("a certificate handed over after its first publication joins its holder's entry in a later batch", async () => {
    const db = svc.services.db;
    const first = await issueTestCertificate(db, ca, { cn: "Hoàng Văn Sau", uid: "CCCD:001085000555", title: "Chuyên viên" });
    const later = await issueTestCertificate(db, ca, { cn: "Hoàng Văn Sau", uid: "CCCD:001085000555", title: "Trưởng phòng", handedOver: false });
    await db.transaction((trx) => schedulePublishMany(trx, [first.serial, later.serial]));
    await svc.drainOutbox();
    const d = svc.services.directory;
    const entryOf = () => [...(d.index as any).entries.values()].find((e: any) => (e.attributes[CERT_ATTR] ?? []).some((v: Buffer) => v.equals(first.der)));
    expect(entryOf().attributes[CERT_ATTR]).to.have.length(1);
    await db("certificates").where({ serial: later.serial }).update({ handed_over_at: new Date().toISOString() });
    await db.transaction((trx) => schedulePublishMany(trx, [later.serial]));
    await svc.drainOutbox();
    expect(entryOf().attributes[CERT_ATTR]).to.have.length(2);
    expect(entryOf().attributes.title).to.deep.equal(["Trưởng phòng"]);
    expect(await published([first.serial, later.serial])).to.deep.equal([first.serial, later.serial].sort());
    expect((await d.reconcile(db)).drift).to.equal(0);
  });

  it("queues a dossier's publications as jobs of 500 serials, and retries a job whole when one of its certificates fails", async () => {
    const db = svc.services.db;
    const serials: string[] = [];
    for (let i = 0; i < 12; i++) serials.push((await issueTestCertificate(db, ca, { cn: `Vũ Văn Lô ${i}`, uid: `CCCD:0010852${String(i).padStart(5, "0")}` })).serial);
    const many = Array.from({ length: 1201 }, (_, i) => serials[i % serials.length]);
    const before = Number((await db("outbox").max({ id: "id" }).first())?.id ?? 0);
    await db.transaction((trx) => schedulePublishMany(trx, many));
    const jobs = await db("outbox").where("id", ">", before).orderBy("id");
    expect(jobs.map((j) => JSON.parse(j.payload).serials.length)).to.deep.equal([500, 500, 201]);
    expect(jobs.flatMap((j) => JSON.parse(j.payload).serials)).to.deep.equal(many);
    await svc.drainOutbox();
    expect(await published(serials)).to.deep.equal([...serials].sort());

    // One certificate of the next job fails (the directory refuses it): that job is retried, whole.
    const d = svc.services.directory;
    const real = d.publishCertificates.bind(d);
    d.publishCertificates = async (trx, list) => {
      const failures = await real(trx, list);
      if (list.includes(serials[3])) failures.set(serials[3], new Error("từ chối"));
      return failures;
    };
    try {
      await db.transaction((trx) => schedulePublishMany(trx, serials));
      await svc.drainOutbox();
    } finally {
      d.publishCertificates = real;
    }
    const job = await db("outbox").where("id", ">", before).orderBy("id", "desc").first();
    expect(job.status).to.equal("pending");
    expect(job.last_error).to.include(serials[3]).and.include("từ chối");
    expect(JSON.parse(job.payload).serials).to.deep.equal(serials);
    await db("outbox").where({ id: job.id }).update({ next_attempt_at: new Date(0).toISOString() });
    await svc.drainOutbox();
    expect((await db("outbox").where({ id: job.id }).first()).status).to.equal("done");
    expect((await d.reconcile(db)).drift).to.equal(0);
  });
});
