import crypto from "node:crypto";
import type { ApiRouter } from "../../http/route";
import { messages } from "../../messages";
import * as store from "../../store/publicCertificates";
import type { Config } from "../../config";
import { colonHex, nameLabel } from "./certificateView";
import x509 = require("../../ca/x509lib");
import { cache, page, render } from "./pages";

const m = messages.publicSite;

/** Where the directory answers: the external one if configured, else the embedded server. */
function directoryAddress(config: Config): string | null {
  if (config.LDAP_URL) return config.LDAP_URL;
  if (config.LDAP_PORT === "off") return null;
  const host = new URL(config.publicBaseUrl).hostname;
  return `ldap://${host}:${config.LDAP_PORT}`;
}

/**
 * Kho chứng thư và danh sách thu hồi: the CA certificates with their fingerprints, the current
 * CRLs and delta CRLs with their dates, the OCSP, TSA and directory addresses.
 */
export function repositoryRoutes(api: ApiRouter): void {
  api.add({
    method: "get", path: "/kho-luu-tru", summary: "Public repository page", docs: false,
    handler: page(async (ctx) => {
      const { db, config } = ctx.services;
      const cas = (await store.listCas(db)).map((ca) => {
        const cert = new x509.X509Certificate(Uint8Array.from(ca.certificate));
        return {
          name: ca.name,
          role: m.caRoles[ca.role] ?? ca.role,
          subject: nameLabel(cert.subjectName, cert.subject),
          notBefore: cert.notBefore.toISOString(),
          notAfter: cert.notAfter.toISOString(),
          sha256: colonHex(crypto.createHash("sha256").update(ca.certificate).digest("hex")),
          serial: cert.serialNumber.toLowerCase(),
          // The ca capability's public endpoints (design.md §3).
          links: { der: `/ca/${ca.name}.crt`, pem: `/ca/${ca.name}.pem`, chain: `/ca/${ca.name}/chain.pem` },
        };
      });
      const crls = await store.listCurrentCrls(db);
      const base = config.publicBaseUrl;
      ctx.set("Cache-Control", cache.repository);
      render(ctx, "public/repository.njk", {
        title: "Kho chứng thư và danh sách thu hồi",
        cas: cas.map((ca) => ({
          ...ca,
          crl: crls.find((c) => c.caName === ca.name && !c.delta),
          deltaCrl: crls.find((c) => c.caName === ca.name && c.delta),
          crlUrl: `${base}/crl/${ca.name}.crl`,
          deltaCrlUrl: `${base}/crl/${ca.name}/delta.crl`,
        })),
        notPublished: m.notPublished,
        ocspUrl: `${base}/ocsp`,
        tsaUrl: `${base}/tsa`,
        ldapUrl: directoryAddress(config) ?? m.directoryOff,
        ldapBase: config.LDAP_BASE_DN,
      });
    }),
  });
}
