import fs from "node:fs";
import path from "node:path";
import type { TestService } from "../../support/service";

/** The enrolment code's shape: four groups of five letters and digits without look-alikes. */
export const ENROLMENT_CODE = /\b[A-HJ-NP-Z2-9]{5}(?:-[A-HJ-NP-Z2-9]{5}){3}\b/;

/** The e-mails written to DATA_DIR/mail (no SMTP_URL), parsed by mailparser: recipients and text. */
export async function mailsTo(svc: TestService, address: string): Promise<{ to: string; subject: string; text: string }[]> {
  const dir = path.join(svc.dataDir, "mail");
  if (!fs.existsSync(dir)) return [];
  const { simpleParser } = await import("mailparser");
  const out: { to: string; subject: string; text: string }[] = [];
  for (const f of fs.readdirSync(dir).filter((n) => n.endsWith(".eml")).sort()) {
    const m = await simpleParser(fs.readFileSync(path.join(dir, f)));
    const to = [m.to ?? []].flat().map((a) => a.text).join(", ");
    if (to.toLowerCase().includes(address.toLowerCase())) out.push({ to, subject: m.subject ?? "", text: m.text ?? "" });
  }
  return out;
}
