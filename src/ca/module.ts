import type { Module, Services } from "../service";
import "../policy/rules";
import * as cas from "../store/cas";
import { resolvePassphrase } from "./keys/passphrase";
import { CaRegistry } from "./registry";
import { createHierarchy, defaultCeremony } from "./ceremony";
import * as caRoutes from "../http/routes/ca/ca";
import * as certificateRoutes from "../http/routes/certificates/certificates";
import * as dossierCertificateRoutes from "../http/routes/certificates/requests";
import { recoverPending } from "./issuance/issue";
import { resumeBatches, stopBatches } from "./commands/batch";

/**
 * The CA capability: unlocks the CA keys at start, creates a DEVELOPMENT hierarchy on an empty data
 * directory, finishes or voids certificates left pending by a crash, and serves the CA routes.
 */
export async function initCa(s: Services): Promise<void> {
  const { passphrase, source } = resolvePassphrase(s.config, s.log);
  if ((await cas.count(s.db)) === 0) {
    const o = defaultCeremony({ rootName: "dev-root", issuingName: "dev-issuing", development: true });
    o.rootSubject = { ...o.rootSubject, commonName: `${o.rootSubject.commonName} — PHÁT TRIỂN` };
    o.issuingSubject = { ...o.issuingSubject, commonName: `${o.issuingSubject.commonName} — PHÁT TRIỂN` };
    await createHierarchy(s.db, s.config, passphrase, "system", o);
    s.log.warn(
      { root: o.rootName, issuing: o.issuingName, passphraseSource: source },
      "!!! ĐÃ TẠO CA PHÁT TRIỂN (DEVELOPMENT CA) — KHÔNG DÙNG CHO CHỨNG THƯ THẬT. Dùng `chungthu ca init` trên dữ liệu trống cho hệ thống thật. !!!",
    );
  }
  s.ca = new CaRegistry(s.db, passphrase);
  // Fail at start, not at the first issuance, when the passphrase does not open the keys.
  await s.ca.issuingSigner();
  await recoverPending(s);
  const dev = (await cas.list(s.db)).filter((c) => c.development);
  if (dev.length) s.log.warn({ cas: dev.map((c) => c.name) }, "CA PHÁT TRIỂN đang hoạt động (DEVELOPMENT CA)");
}

export const ca: Module = {
  name: "ca",
  init: initCa,
  routes(api) {
    caRoutes.register(api);
    certificateRoutes.register(api);
    dossierCertificateRoutes.register(api);
  },
  async start(s) {
    await resumeBatches(s);
  },
  async stop(s) {
    await stopBatches(s);
  },
};
