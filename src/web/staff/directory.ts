import type { ApiRouter } from "../../http/route";
import * as ldapjs from "ldapjs";
import { Client } from "ldapts";
import type { Services } from "../../service";
import { addPage, view } from "./page";
import { dnKey } from "../../directory/dn";
import { normalizeFilter } from "../../directory/searchIndex";
import { certificateView } from "../public/certificateView";

/** RFC 4515 escaping of a value typed by a person. */
const escapeFilter = (v: string) => v.replace(/[\\*()\u0000]/g, (c) => `\\${c.charCodeAt(0).toString(16).padStart(2, "0")}`);

export interface DirectoryHit {
  dn: string;
  attributes: { name: string; values: string[] }[];
  certificates: ReturnType<typeof certificateView>[];
}

const SHOWN = ["cn", "sn", "givenName", "displayName", "title", "o", "ou", "mail", "st", "l", "serialNumber"];
const BINARY = /;binary$|^(usercertificate|cacertificate)/i;

function hitOf(dn: string, attrs: Record<string, (string | Buffer)[]>): DirectoryHit {
  const attributes: DirectoryHit["attributes"] = [];
  const certificates: DirectoryHit["certificates"] = [];
  for (const [name, values] of Object.entries(attrs)) {
    if (/^usercertificate/i.test(name)) {
      for (const v of values) {
        try {
          certificates.push(certificateView(Buffer.isBuffer(v) ? v : Buffer.from(v, "binary")));
        } catch {
          /* a value that is not a certificate is shown as absent */
        }
      }
    } else if (!BINARY.test(name) && (SHOWN.some((s) => s.toLowerCase() === name.toLowerCase()) || name.toLowerCase() === "objectclass")) {
      attributes.push({ name, values: values.map(String) });
    }
  }
  return { dn, attributes, certificates };
}

/**
 * Searches the directory as a relying party does: anonymously, over LDAP, when the embedded server
 * listens (or an external directory is configured); otherwise the embedded directory's own index,
 * which is what its LDAP server would answer from.
 */
export async function searchDirectory(s: Services, filter: string, limit = 50): Promise<{ via: string; hits: DirectoryHit[] }> {
  const base = s.directory.base;
  const url = s.directoryServer?.url ?? (s.directory.mode === "external" ? s.config.LDAP_URL : undefined);
  if (url) {
    const client = new Client({ url, timeout: 5000, connectTimeout: 3000 });
    try {
      const r = await client.search(base, { scope: "sub", filter, sizeLimit: limit, attributes: [...SHOWN, "objectClass", "userCertificate;binary"], explicitBufferAttributes: ["userCertificate;binary", "userCertificate"] });
      return { via: url, hits: r.searchEntries.map((e) => hitOf(e.dn, Object.fromEntries(Object.entries(e).filter(([k]) => k !== "dn").map(([k, v]) => [k, ([] as (string | Buffer)[]).concat(v as never)])))) };
    } finally {
      await client.unbind().catch(() => undefined);
    }
  }
  const hits: DirectoryHit[] = [];
  for (const e of s.directory.index.search(dnKey(base), "sub", normalizeFilter(ldapjs.parseFilter(filter)), Date.now() + 5000)) {
    hits.push(hitOf(e.dn, Object.fromEntries(Object.entries(e.attributes).map(([k, v]) => [k, ([] as (string | Buffer)[]).concat(v as never)]))));
    if (hits.length >= limit) break;
  }
  return { via: "index", hits };
}

export function registerDirectoryPages(api: ApiRouter) {
  addPage(api, "get", "/quan-tri/danh-ba", null, async (ctx) => {
    const q = typeof ctx.query.q === "string" ? ctx.query.q.trim().normalize("NFC").slice(0, 100) : "";
    let result: Awaited<ReturnType<typeof searchDirectory>> | null = null;
    let filter = "";
    let error: string | undefined;
    if (q) {
      const v = escapeFilter(q);
      filter = `(&(|(objectClass=pkiUser)(objectClass=pkiCA))(|(cn=*${v}*)(mail=${v})(uid=${v})(serialNumber=${v})(o=*${v}*)))`;
      try {
        result = await searchDirectory(ctx.services, filter);
      } catch (err) {
        ctx.services.log.warn({ err }, "directory lookup failed");
        error = "Không truy vấn được thư mục LDAP. Vui lòng thử lại sau.";
      }
    }
    view(ctx, "staff/directory.njk", { title: "Tra cứu danh bạ chứng thư số", q, filter, result, base: ctx.services.directory.base, error });
  });
}
