import { expect } from "chai";
import { spawn } from "node:child_process";
import path from "node:path";
import { startTestService, type TestService } from "../support/service";
import { tmpDir, openssl } from "./openssl";
import { getBatch } from "../../src/ca/commands/batch";
import { generateKeyPair } from "../../src/ca/algorithms";
import { caSigner, prepare, recoverPending } from "../../src/ca/issuance/issue";
import * as certificates from "../../src/store/certificates";
import { verifyChain } from "../../src/audit/audit";
import { toPem } from "../../src/ca/x509/certificate";
import { searchWords } from "../../src/store/publicSearchIndex";

const waitFor = async (cond: () => Promise<boolean>, ms = 60_000) => {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await cond()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error("timed out");
};

describe("batch issuance", () => {
  it("a process killed during a batch loses no certificate and issues none twice", async function () {
    const dataDir = tmpDir();
    const total = 400;
    const child = spawn(process.execPath, ["--import", "tsx", path.join(__dirname, "fixtures/batchChild.ts"), dataDir, String(total)], {
      stdio: ["ignore", "pipe", "inherit"], env: { ...process.env, LOG_LEVEL: "silent" },
    });
    let batchId = "";
    let killedAt = -1;
    let finished = false;
    await new Promise<void>((resolve, reject) => {
      let buf = "";
      child.stdout.on("data", (d: Buffer) => {
        buf += d.toString();
        for (const line of buf.split("\n").slice(0, -1)) {
          const [k, v] = line.split(" ");
          if (k === "batch") batchId = v;
          if (k === "finished") finished = true;
          if (k === "progress" && Number(v) >= 60 && killedAt < 0) {
            killedAt = Number(v);
            child.kill("SIGKILL");
          }
        }
        buf = buf.slice(buf.lastIndexOf("\n") + 1);
      });
      child.on("exit", () => resolve());
      child.on("error", reject);
    });
    expect(batchId).to.match(/^[0-9a-f-]{36}$/);
    expect(finished, "the child was killed before it finished").to.equal(false);

    // Restart on the same data directory: recovery + resume.
    const svc = await startTestService({}, dataDir);
    try {
      await waitFor(async () => (await getBatch(svc.services, batchId)).status === "done");
      const b = await getBatch(svc.services, batchId);
      expect(b.issued).to.equal(total);
      expect(b.failed).to.equal(0);
      const rows = await svc.services.db("certificates").where({ batch_id: batchId }).select("serial", "status", "idempotency_key", "subscriber_index", "public_search_text");
      const live = rows.filter((r) => r.status !== "void");
      expect(live).to.have.length(total); // none twice
      expect(live.every((r) => r.status === "issued")).to.equal(true); // none lost, none left pending
      expect(new Set(live.map((r) => r.subscriber_index)).size).to.equal(total);
      expect(new Set(live.map((r) => r.serial)).size).to.equal(total);
      // The public name search's words are written once, at the end of the batch: the resumed run
      // indexed the certificates issued before the kill too, each with exactly its own words.
      const tokens: { serial: string; word: string }[] = await svc.services.db("public_search_tokens").whereIn("serial", rows.map((r) => r.serial)).select("serial", "word");
      const wordsOf = new Map<string, string[]>();
      for (const t of tokens) wordsOf.set(t.serial, [...(wordsOf.get(t.serial) ?? []), t.word]);
      for (const r of live) expect((wordsOf.get(r.serial) ?? []).sort(), r.serial).to.deep.equal(searchWords(r.public_search_text).sort()).and.not.be.empty;
      expect((await verifyChain(svc.services.db)).ok).to.equal(true);
    } finally {
      await svc.stop();
    }
  });

  describe("recovery of pending rows", () => {
    let svc: TestService;
    before(async () => {
      svc = await startTestService();
    });
    after(async () => svc?.stop());

    const pendingRow = async (keyGeneration: "csr" | "server") => {
      const signer = await caSigner(svc.services);
      const key = await generateKeyPair({ kind: "ec", curve: "P-256" });
      const p = prepare(svc.services, signer, "system", { profile: "individual", subject: { commonName: "Lê Văn Cường", organization: "Bộ Tư pháp" }, spki: key.spki, keyGeneration }, new Date(Math.floor(Date.now() / 1000) * 1000));
      await certificates.insert(svc.services.db, p.row); // committed, then the process "dies" before signing
      return p.serial;
    };

    it("signs a pending CSR certificate exactly as it was prepared, and voids one whose server key was lost", async () => {
      const a = await pendingRow("csr");
      const b = await pendingRow("server");
      const r = await recoverPending(svc.services);
      expect(r).to.deep.equal({ finished: 1, voided: 1 });
      const ra = (await certificates.get(svc.services.db, a))!;
      expect(ra.status).to.equal("issued");
      expect(ra.tbs).to.equal(null);
      expect(openssl(["x509", "-inform", "DER", "-noout", "-serial"], Buffer.from(ra.der!)).trim()).to.equal(`serial=${a.toUpperCase()}`);
      const chain = await svc.services.ca.chain(ra.ca_name);
      const dir = tmpDir();
      const fs = await import("node:fs");
      fs.writeFileSync(path.join(dir, "root.pem"), toPem(chain[1].der));
      fs.writeFileSync(path.join(dir, "iss.pem"), toPem(chain[0].der));
      fs.writeFileSync(path.join(dir, "leaf.pem"), toPem(ra.der!));
      expect(openssl(["verify", "-CAfile", path.join(dir, "root.pem"), "-untrusted", path.join(dir, "iss.pem"), path.join(dir, "leaf.pem")])).to.match(/OK/);
      expect((await certificates.get(svc.services.db, b))!.status).to.equal("void");
      expect(await recoverPending(svc.services)).to.deep.equal({ finished: 0, voided: 0 });
    });

    it("runs a batch through the API with progress and per-item errors", async () => {
      const op = await svc.userWithRoles("batchop", ["ca_operator"]);
      const key = await generateKeyPair({ kind: "rsa", bits: 2048 });
      const weak = (await import("node:crypto")).generateKeyPairSync("rsa", { modulusLength: 1024 }).publicKey.export({ type: "spki", format: "der" });
      const items = [
        ...Array.from({ length: 30 }, (_, i) => ({ profile: "individual", subject: { commonName: `Người ${i}`, organization: "UBND tỉnh Nghệ An" }, publicKey: key.spki.toString("base64"), subscriberIndex: i })),
        { profile: "individual", subject: { commonName: "Khóa yếu", organization: "UBND tỉnh Nghệ An" }, publicKey: weak.toString("base64"), subscriberIndex: 30 },
      ];
      const r = await svc.request("POST", "/api/certificate-batches", { token: op, json: { dossierId: "d-1", items } });
      expect(r.status, await r.clone().text()).to.equal(202);
      const { id } = (await r.json()) as { id: string };
      let b: { status: string; issued: number; failed: number; errors: { index: number; code: string; message: string }[] } = { status: "", issued: 0, failed: 0, errors: [] };
      await waitFor(async () => {
        b = (await (await svc.request("GET", `/api/certificate-batches/${id}`, { token: op })).json()) as typeof b;
        return b.status === "done";
      });
      expect(b).to.include({ issued: 30, failed: 1 });
      expect(b.errors).to.deep.equal([{ index: 30, code: "weak_key", message: b.errors[0].message }]);
      const list = (await (await svc.request("GET", "/api/certificates?dossierId=d-1&limit=100", { token: op })).json()) as { total: number };
      expect(list.total).to.equal(30);
    });
  });
});
