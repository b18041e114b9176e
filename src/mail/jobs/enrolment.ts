import type { Job } from "../../outbox/job";
import { messageIdFor } from "../mailer";
import { renderMail } from "../templates";
import { mailBackoffMs, mailerOf, mailJobAttempts } from "./send";
import { codeFor, hashCode, mailKindEnrolment, type EnrolmentMailPayload, type EnrolmentRow } from "../../auth/enrolment";

/**
 * E-mails a user their enrolment code. The code is derived here from the enrolment key (never in
 * the payload), checked against the stored hash, and not sent when the code is no longer usable
 * (superseded, redeemed, locked or expired before the mail could go).
 */
export const enrolmentMail: Job<EnrolmentMailPayload> = {
  kind: mailKindEnrolment,
  attempts: mailJobAttempts,
  backoffMs: mailBackoffMs,
  async perform(p, ctx) {
    const mailer = mailerOf(ctx);
    const messageId = messageIdFor(p.key);
    if (await mailer.alreadySent(messageId)) return;
    const row: EnrolmentRow | undefined = await ctx.db("enrolments").where({ id: p.enrolmentId }).first();
    if (!row || row.status !== "active" || row.expires_at <= new Date().toISOString()) {
      ctx.log.info({ enrolmentId: p.enrolmentId, status: row?.status }, "enrolment code no longer usable; mail not sent");
      return;
    }
    const key = ctx.services.enrolmentKey as Buffer | undefined;
    if (!key) throw new Error("enrolment key is not loaded");
    const code = codeFor(key, row.id);
    if (hashCode(code) !== row.code_hash) throw new Error("enrolment key changed since the code was created; send a new enrolment");
    const r = renderMail("enrolment", { ...p, code });
    await mailer.send({ messageId, kind: mailKindEnrolment, to: p.to, subject: r.subject, text: r.text, html: r.html, date: new Date(p.decidedAt) });
  },
};
