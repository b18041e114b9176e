import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import pino from "pino";
import { expect } from "chai";
import { loadConfig } from "../../src/config";
import { startService, type RunningService } from "../../src/service";
import { redactedPaths } from "../../src/log";
import { sampleDossier, sampleSubscriber, subscriberCsv } from "../support/dossiers";
import { issueToken } from "../../src/auth/users";
import { cliActor } from "../../src/auth/actor";

describe("request dossiers and the logs", () => {
  let running: RunningService;
  const lines: string[] = [];
  before(async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "chungthu-test-"));
    const sink = new Writable({ write(chunk, _enc, cb) { lines.push(String(chunk)); cb(); } });
    const logger = pino({ level: "trace", redact: { paths: redactedPaths, censor: "[ẩn]" } }, sink);
    running = await startService(loadConfig({ HOST: "127.0.0.1", PORT: "0", DATA_DIR: dir, LDAP_PORT: "off", OUTBOX_POLL_MS: "0", CA_PASSPHRASE: "test-passphrase-123" }), { logger });
  });
  after(() => running.stop());

  it("never writes identity numbers or phone numbers while dossiers are created, edited and refused", async () => {
    const token = fs.readFileSync(path.join(running.services.config.dataDir, "admin.token"), "utf8").trim();
    const req = (method: string, p: string, body?: unknown, type = "application/json") =>
      fetch(running.url + p, { method, headers: { authorization: `Bearer ${token}`, "content-type": type }, body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body) });
    const user = await (await req("POST", "/api/users", { username: "clerk9", fullName: "Clerk", roles: ["clerk"] })).json();
    // The clerk's token, as the CLI issues it on the CA host (an administrator cannot over the API).
    const clerk = (await issueToken(running.services.db, cliActor, user.id, { label: "test" })).secret;
    const as = (method: string, p: string, body?: unknown, type = "application/json") =>
      fetch(running.url + p, { method, headers: { authorization: `Bearer ${clerk}`, "content-type": type }, body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body) });
    const d = sampleDossier("individual", 2);
    const created = await (await as("POST", "/api/requests", d)).json();
    expect(created.number).to.be.a("string");
    const bad = sampleDossier("individual", 2);
    bad.subscribers[1].idNumber = "999000111222";
    bad.subscribers[1].mobile = "0111222333";
    expect((await as("POST", "/api/requests", bad)).status).to.equal(400);
    expect((await as("PUT", `/api/requests/${created.id}/subscribers`, subscriberCsv([sampleSubscriber(40), sampleSubscriber(41)]), "text/csv")).status).to.equal(200);
    expect((await as("PATCH", `/api/requests/${created.id}`, { receiver: { ...d.receiver, mobile: "0977000555" } })).status).to.equal(200);
    const log = lines.join("");
    for (const secret of [
      ...d.subscribers.map((s: any) => s.idNumber), ...d.subscribers.map((s: any) => s.mobile),
      "999000111222", "0111222333", sampleSubscriber(40).idNumber, sampleSubscriber(41).mobile, "0977000555", d.receiver.idNumber,
    ]) {
      expect(log).to.not.include(secret);
    }
  });
});
