import type { Knex } from "knex";
import type { Actor } from "../../auth/actor";
import { authorize } from "../../policy/policy";
import { DomainError } from "../../errors";
import { messages } from "../../messages";
import { DossierInputSchema, type Dossier, type DossierInput } from "../dossiers/schema";
import { dossierInvalid, type FieldProblem } from "../dossiers/errors";
import { headerOfField, parseSubscriberCsv } from "../dossiers/subscriberCsv";
import { modifyContent } from "../dossiers/modifyContent";

/** A people list as uploaded: the CSV text of Mẫu 01, or a JSON array of subscribers. */
export type SubscriberListUpload = { csv: string } | { json: unknown[] };

/** Kinds whose `quantity` counts the people (for the others the list is extra information). */
const PEOPLE_COUNTED = new Set(["individual", "organization"]);
const WITH_PEOPLE = new Set(["individual", "organization", "device", "renewal_change"]);

/**
 * Replaces a dossier's people list from an upload, while the dossier is editable. For individual
 * and organisation dossiers `quantity` follows the list's length. Problems are reported per row
 * (1-based, as STT) and column, all at once; nothing changes unless the whole list is valid.
 */
export async function replaceSubscribers(db: Knex, actor: Actor, id: string, upload: SubscriberListUpload, expectedVersion?: number): Promise<Dossier> {
  authorize(actor, "dossier.edit");
  const parsed = "csv" in upload ? parseSubscriberCsv(upload.csv) : undefined;
  const people: unknown[] = parsed ? parsed.people : (upload as { json: unknown[] }).json;
  return modifyContent(
    db, actor, id, expectedVersion, "subscribers_replaced",
    (current) => {
      if (!WITH_PEOPLE.has(String(current.kind))) {
        throw new DomainError("subscribers_not_supported", messages.dossiers.subscribersNotSupported(String(current.kind)), { kind: current.kind }, "conflict");
      }
      return { ...current, subscribers: people, ...(PEOPLE_COUNTED.has(String(current.kind)) ? { quantity: people.length } : {}) };
    },
    (candidate) => validateList(candidate, parsed),
  );
}

function validateList(candidate: Record<string, unknown>, csv: ReturnType<typeof parseSubscriberCsv> | undefined): DossierInput {
  const result = DossierInputSchema.safeParse(candidate);
  const problems: FieldProblem[] = [...(csv?.problems ?? [])];
  const already = new Set(problems.map((p) => p.field));
  if (!result.success) {
    for (const issue of result.error.issues) {
      const field = issue.path.map(String).join(".");
      if (already.has(field)) continue; // a date we could not read is reported once, in CSV terms
      const p: FieldProblem = { field, message: issue.message, code: issue.code };
      if (issue.path[0] === "subscribers" && typeof issue.path[1] === "number") {
        const index = issue.path[1];
        const name = String(issue.path[2] ?? "");
        p.row = index + 1;
        if (csv) {
          p.line = csv.lines[index];
          p.column = csv.headerOf[name as keyof typeof csv.headerOf] ?? headerOfField(name);
        }
      }
      problems.push(p);
    }
  }
  if (problems.length) {
    problems.sort((a, b) => (a.row ?? 0) - (b.row ?? 0));
    throw dossierInvalid(problems, messages.dossiers.csvRowErrors(problems.length));
  }
  return (result as { data: DossierInput }).data;
}
