import type { z } from "zod";
import { DomainError } from "../../errors";
import { messages } from "../../messages";
import { dossierStatusNames } from "../../messages/dossiers";

/** Domain errors of request dossiers: code, Vietnamese message, details (no personal data). */
const m = messages.dossiers;

export const dossierNotFound = (id: string) => new DomainError("dossier_not_found", m.notFound(id), { id }, "not_found");

export const dossierNotEditable = (number: string, status: string) =>
  new DomainError("dossier_not_editable", m.notEditable(number, dossierStatusNames[status] ?? status), { number, status }, "conflict");

export const dossierVersionConflict = (expected: number, actual: number) =>
  new DomainError("dossier_version_conflict", m.versionConflict(expected, actual), { expected, actual }, "conflict");

export interface FieldProblem {
  field: string;
  message: string;
  code: string;
  /** For lists uploaded as CSV or JSON: the 1-based data row, the file line and the column header. */
  row?: number;
  line?: number;
  column?: string;
}

/** The same 400 shape as the HTTP edge's validation: one Vietnamese message per field path. */
export const dossierInvalid = (fields: FieldProblem[], message: string = messages.common.validationFailed) =>
  new DomainError("validation_failed", message, { fields });

export const problemsOf = (error: z.ZodError): FieldProblem[] =>
  error.issues.map((i) => ({ field: i.path.map(String).join("."), message: i.message, code: i.code }));
