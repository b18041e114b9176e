import type { Job } from "../../outbox/job";
import { mailKinds, type CorrectionRequestPayload } from "../payloads";
import { mailBackoffMs, mailJobAttempts, sendFromSnapshot } from "./send";
import { correctionNoticePdf } from "../notice";

/** E-mails the request for correction (thông báo yêu cầu bổ sung hồ sơ) with the notice PDF. */
export const correctionRequestMail: Job<CorrectionRequestPayload> = {
  kind: mailKinds.correctionRequest,
  attempts: mailJobAttempts,
  backoffMs: mailBackoffMs,
  perform: (p, ctx) =>
    sendFromSnapshot(ctx, mailKinds.correctionRequest, "correction_request", p, {}, async () => [
      {
        filename: `thong-bao-bo-sung-ho-so-${p.dossierNumber.replace(/[^A-Za-z0-9._-]+/g, "-")}-lan-${p.round}.pdf`,
        content: await correctionNoticePdf(ctx, p),
        contentType: "application/pdf",
      },
    ]),
};
