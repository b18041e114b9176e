import crypto from "node:crypto";
import { DomainError } from "../../errors";
import type { ApiRouter } from "../../http/route";
import { messages } from "../../messages";
import * as store from "../../store/publicCertificates";
import type { Config } from "../../config";
import { colonHex, nameLabel } from "./certificateView";
import { toPem } from "./certificate";
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
          links: { der: `/kho-luu-tru/ca/${ca.name}.crt`, pem: `/kho-luu-tru/ca/${ca.name}.pem` },
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
          deltaCrlUrl: `${base}/crl/${ca.name}-delta.crl`,
        })),
        notPublished: m.notPublished,
        ocspUrl: `${base}/ocsp`,
        tsaUrl: `${base}/tsa`,
        ldapUrl: directoryAddress(config) ?? m.directoryOff,
        ldapBase: config.LDAP_BASE_DN,
      });
    }),
  });

  api.add({
    method: "get", path: "/kho-luu-tru/ca/:file", summary: "CA certificate download", docs: false,
    handler: page(async (ctx) => {
      const match = /^([a-z0-9][a-z0-9._-]{0,63})\.(crt|cer|pem)$/i.exec(String(ctx.params.file));
      const ca = match ? await store.getCa(ctx.services.db, match[1]) : undefined;
      if (!match || !ca) throw new DomainError("ca_not_found", m.caNotFound, {}, "not_found");
      ctx.set("Cache-Control", cache.caCertificate);
      ctx.set("Content-Disposition", `attachment; filename="${ca.name}.${match[2].toLowerCase()}"`);
      if (match[2].toLowerCase() === "pem") {
        ctx.type = "application/x-pem-file";
        ctx.body = toPem(ca.certificate);
      } else {
        ctx.type = "application/pkix-cert";
        ctx.body = Buffer.from(ca.certificate);
      }
    }),
  });
}
