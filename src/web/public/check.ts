import { DomainError } from "../../errors";
import type { ApiRouter } from "../../http/route";
import { parseMultipart } from "../../http/multipart";
import { messages } from "../../messages";
import { checkCertificate, readCertificateBytes } from "../../va/checkCertificate";
import { certificateView, parseView } from "./certificateView";
import { cache, limit, page, render } from "./pages";

const m = messages.publicSite;
/** A certificate is a few KB; 64 KB leaves room for long chains of extensions. */
export const CHECK_MAX_BYTES = 64 * 1024;
/** Form overhead allowed around the file (headers, the textarea field, boundaries). */
const FORM_OVERHEAD = 8 * 1024;

/**
 * Kiểm tra chứng thư số trực tuyến: upload a .cer/.crt/.pem file or paste PEM. The form posts as
 * multipart/form-data (file) or application/x-www-form-urlencoded (textarea only); both work
 * without JavaScript. The upload lives only in this request: not stored, not logged.
 */
export function checkRoutes(api: ApiRouter): void {
  api.add({
    method: "get", path: "/kiem-tra", summary: "Online certificate check form", docs: false,
    handler: page((ctx) => {
      ctx.set("Cache-Control", cache.none);
      render(ctx, "public/check.njk", { title: "Kiểm tra chứng thư số trực tuyến", maxKb: CHECK_MAX_BYTES / 1024 });
    }),
  });
  api.add({
    method: "post", path: "/kiem-tra", summary: "Online certificate check", docs: false,
    handler: page(async (ctx) => {
      ctx.set("Cache-Control", cache.none);
      limit(ctx, "check");
      const bytes = submittedCertificate(ctx.request.rawBody ?? Buffer.alloc(0), ctx.get("content-type"), ctx.request.body);
      const der = readCertificateBytes(bytes);
      // What the page shows is parsed before any check: a malformed part is a 400 too.
      try {
        parseView(der, "");
      } catch {
        throw new DomainError("not_a_certificate", m.checkNotCertificate);
      }
      const result = await checkCertificate(ctx.services.db, der);
      render(ctx, "public/check.njk", {
        title: "Kết quả kiểm tra chứng thư số",
        maxKb: CHECK_MAX_BYTES / 1024,
        result: {
          verdict: result.verdict,
          verdictText: result.verdict === "valid" ? m.verdictValid : result.verdict === "foreign" ? m.verdictForeign : m.verdictInvalid,
          steps: result.steps,
          cert: certificateView(result.der, result.row, false),
        },
      });
    }, { template: "public/check.njk", data: { title: "Kiểm tra chứng thư số trực tuyến", maxKb: CHECK_MAX_BYTES / 1024 } }),
  });
}

/** The file (or, when no file was chosen, the pasted PEM) from the form body. */
function submittedCertificate(raw: Buffer, contentType: string, parsed: unknown): Buffer {
  const tooLarge = () => new DomainError("certificate_too_large", m.checkTooLarge(CHECK_MAX_BYTES / 1024), { limit: CHECK_MAX_BYTES }, "too_large");
  if (raw.length > CHECK_MAX_BYTES + FORM_OVERHEAD) throw tooLarge();
  let file: Buffer | undefined;
  let pasted = "";
  if (/^multipart\/form-data/i.test(contentType)) {
    const parts = parseMultipart(raw, contentType);
    if (!parts) throw new DomainError("malformed_form", m.checkBadForm);
    file = parts.find((p) => p.name === "tep" && p.data.length > 0)?.data;
    pasted = parts.find((p) => p.name === "pem")?.data.toString("utf8") ?? "";
  } else if (/^application\/x-www-form-urlencoded/i.test(contentType)) {
    pasted = new URLSearchParams(typeof parsed === "string" ? parsed : "").get("pem") ?? "";
  } else if (raw.length > 0) {
    throw new DomainError("unsupported_media_type", m.checkUnsupportedMedia, {}, "unsupported_media");
  }
  const chosen = file ?? (pasted.trim() ? Buffer.from(pasted, "utf8") : undefined);
  if (!chosen) throw new DomainError("nothing_submitted", m.checkNothing);
  if (chosen.length > CHECK_MAX_BYTES) throw tooLarge();
  return chosen;
}
