import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { Transporter } from "nodemailer";
import type { Db } from "../store/db";
import { nowIso, toJson } from "../store/db";
import type { Logger } from "../log";

export interface MailAttachment {
  filename: string;
  content: Buffer;
  contentType: string;
}

export interface MailMessage {
  /** Stable per logical e-mail (from the outbox dedupe key): "<…@chungthu>". */
  messageId: string;
  kind: string;
  dossierId?: string;
  to: string[];
  subject: string;
  text: string;
  html: string;
  /** The decision's time, so the same job renders the same message. */
  date: Date;
  attachments?: MailAttachment[];
}

export interface SendResult {
  messageId: string;
  /** False when the message had already been sent (a job performed again). */
  sent: boolean;
  transport: "smtp" | "file";
  file?: string;
}

/**
 * Sends the service's e-mails with nodemailer: over SMTP when SMTP_URL is set, otherwise as .eml
 * files under DATA_DIR/mail (nodemailer's stream transport). Each message is recorded in mail_sent
 * by Message-ID and never handed to the transport twice. The one window left — the server accepted
 * the message and the process died before the row was written — resends with the same Message-ID,
 * which receiving systems use to drop duplicates.
 */
export class Mailer {
  private made?: Transporter;
  readonly transport: "smtp" | "file";
  readonly mailDir: string;

  constructor(
    private db: Db,
    private log: Logger,
    private opts: { smtpUrl?: string; from: string; dataDir: string },
    readonly from = opts.from,
  ) {
    this.mailDir = path.join(opts.dataDir, "mail");
    this.transport = opts.smtpUrl ? "smtp" : "file";
  }

  /** The nodemailer transport, made on first use: an idle service does not load nodemailer. */
  private get transporter(): Transporter {
    if (!this.made) {
      const nodemailer = require("nodemailer") as typeof import("nodemailer");
      this.made = this.opts.smtpUrl
        ? nodemailer.createTransport(this.opts.smtpUrl, { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 } as object)
        : nodemailer.createTransport({ streamTransport: true, buffer: true, newline: "unix" });
    }
    return this.made;
  }

  async alreadySent(messageId: string): Promise<boolean> {
    return Boolean(await this.db("mail_sent").where({ message_id: messageId }).first());
  }

  async send(m: MailMessage): Promise<SendResult> {
    if (await this.alreadySent(m.messageId)) {
      this.log.info({ messageId: m.messageId }, "mail already sent; not sending again");
      return { messageId: m.messageId, sent: false, transport: this.transport };
    }
    const info = await this.transporter.sendMail({
      from: this.from,
      to: m.to,
      subject: m.subject,
      text: m.text,
      html: m.html,
      date: m.date,
      messageId: m.messageId,
      attachments: m.attachments?.map((a) => ({ filename: a.filename, content: a.content, contentType: a.contentType })),
      textEncoding: "base64",
    });
    let file: string | undefined;
    let response: string;
    if (this.transport === "file") {
      file = await this.writeEml(m.messageId, info.message as Buffer);
      response = file;
    } else {
      response = String(info.response ?? "");
    }
    await this.db("mail_sent").insert({
      message_id: m.messageId, kind: m.kind, dossier_id: m.dossierId ?? null, recipients: toJson(m.to),
      subject: m.subject.slice(0, 500), transport: this.transport, response, sent_at: nowIso(),
    }).onConflict("message_id").ignore();
    this.log.info({ messageId: m.messageId, kind: m.kind, transport: this.transport }, "mail sent");
    return { messageId: m.messageId, sent: true, transport: this.transport, file };
  }

  /** Written to a temporary name, then renamed: a reader never sees half a message. */
  private async writeEml(messageId: string, raw: Buffer): Promise<string> {
    await fs.promises.mkdir(this.mailDir, { recursive: true });
    const name = `${crypto.createHash("sha256").update(messageId).digest("hex").slice(0, 32)}.eml`;
    const final = path.join(this.mailDir, name);
    const tmp = `${final}.${process.pid}.tmp`;
    await fs.promises.writeFile(tmp, raw);
    await fs.promises.rename(tmp, final);
    return final;
  }

  /** Checks the SMTP connection (health). */
  async verify(): Promise<boolean> {
    if (this.transport === "file") return true;
    return this.transporter.verify();
  }

  close(): void {
    this.made?.close();
  }
}

/** A Message-ID from the outbox dedupe key: the same logical e-mail always has the same ID. */
export const messageIdFor = (key: string) =>
  `<${crypto.createHash("sha256").update(key).digest("hex").slice(0, 40)}@chungthu.ca.gov.vn>`;
