import path from "node:path";
import nunjucks from "nunjucks";

/**
 * E-mail texts live in templates/mail/<name>.{subject,txt,html}.njk (Vietnamese). HTML is rendered
 * with autoescape on; the plain-text part by an environment without HTML escaping (it is not HTML),
 * and the subject is collapsed to one line.
 */
export const mailTemplatesDir = path.resolve(__dirname, "../../templates/mail");

const VN = "Asia/Ho_Chi_Minh";
const dateFmt = new Intl.DateTimeFormat("en-GB", { timeZone: VN, day: "2-digit", month: "2-digit", year: "numeric" });
const timeFmt = new Intl.DateTimeFormat("en-GB", { timeZone: VN, hour: "2-digit", minute: "2-digit", hour12: false });

/** "05/03/2026" in Hà Nội time. */
export const vnDate = (iso: string | Date) => dateFmt.format(new Date(iso));
/** "14 giờ 30 ngày 05/03/2026". */
export const vnDateTime = (iso: string | Date) => {
  const [h, m] = timeFmt.format(new Date(iso)).split(":");
  return `${h} giờ ${m} ngày ${vnDate(iso)}`;
};
/** A calendar day "YYYY-MM-DD" as "dd/mm/yyyy". */
export const vnDay = (d: string) => `${d.slice(8, 10)}/${d.slice(5, 7)}/${d.slice(0, 4)}`;

function env(autoescape: boolean) {
  const e = new nunjucks.Environment(new nunjucks.FileSystemLoader(mailTemplatesDir, { noCache: false }), {
    autoescape, throwOnUndefined: true, trimBlocks: true, lstripBlocks: true,
  });
  e.addFilter("vnDate", vnDate);
  e.addFilter("vnDateTime", vnDateTime);
  e.addFilter("vnDay", vnDay);
  return e;
}
const htmlEnv = env(true);
const textEnv = env(false);

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

export function renderMail(name: string, context: Record<string, unknown>): RenderedMail {
  const subject = textEnv.render(`${name}.subject.njk`, context).replace(/\s+/g, " ").trim();
  const text = textEnv.render(`${name}.txt.njk`, context).replace(/\n{3,}/g, "\n\n").trim() + "\n";
  const html = htmlEnv.render(`${name}.html.njk`, { ...context, subject });
  return { subject, text, html };
}
