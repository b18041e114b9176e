import type { JobContext } from "../../outbox/job";
import { messageIdFor, type MailAttachment, type Mailer } from "../mailer";
import type { MailSnapshot } from "../payloads";
import { renderMail } from "../templates";

export const mailJobAttempts = 20;
/** 30 s, 1 min, 2 min … capped at 30 min: about 8 hours of SMTP outage before a job is parked. */
export const mailBackoffMs = (attempt: number) => Math.min(30 * 60_000, 30_000 * 2 ** Math.max(0, attempt - 1));

export const mailerOf = (ctx: JobContext) => {
  const m = ctx.services.mailer as Mailer | undefined;
  if (!m) throw new Error("mailer is not configured");
  return m;
};

/** Renders a template from the payload snapshot and sends it once (Message-ID from the dedupe key). */
export async function sendFromSnapshot(
  ctx: JobContext, kind: string, template: string, p: MailSnapshot, extra: Record<string, unknown> = {}, attachments?: () => Promise<MailAttachment[]>,
): Promise<void> {
  const mailer = mailerOf(ctx);
  const messageId = messageIdFor(p.key);
  if (p.to.length === 0) {
    ctx.log.warn({ kind, dossierId: p.dossierId }, "mail has no recipient; nothing to send");
    return;
  }
  if (await mailer.alreadySent(messageId)) return;
  const context = { receivedAt: null, ...p, ...extra };
  const r = renderMail(template, context);
  const html = r.html;
  await mailer.send({
    messageId, kind, dossierId: p.dossierId, to: p.to, subject: r.subject, text: r.text, html, date: new Date(p.decidedAt),
    attachments: attachments ? await attachments() : undefined,
  });
}
