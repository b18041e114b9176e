import type { Module } from "../service";
import { Mailer } from "./mailer";
import { correctionRequestMail } from "./jobs/correctionRequest";
import { acceptedMail } from "./jobs/accepted";
import { rejectedMail } from "./jobs/rejected";
import { readyForHandoverMail } from "./jobs/readyForHandover";

declare module "../service" {
  interface Services {
    mailer: Mailer;
  }
}

/** Notification e-mails: nodemailer over SMTP_URL, or .eml files under DATA_DIR/mail. */
export const mailModule: Module = {
  name: "mail",
  init(s) {
    s.mailer = new Mailer(s.db, s.log, { smtpUrl: s.config.SMTP_URL, from: s.config.MAIL_FROM, dataDir: s.config.dataDir });
    s.healthChecks.mail = async () => ({ status: "ok", transport: s.mailer.transport, critical: false });
  },
  jobs: [correctionRequestMail, acceptedMail, rejectedMail, readyForHandoverMail],
  stop(s) {
    s.mailer?.close();
  },
};
