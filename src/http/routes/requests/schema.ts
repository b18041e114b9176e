import { z } from "zod";
import { DOSSIER_KINDS, DOSSIER_STATUSES, DossierInputSchema, MAX_LIST } from "../../../ra/dossiers/schema";
import { isCalendarDate } from "../../../ra/dossiers/fields";
import { messages } from "../../../messages";

const m = messages.dossiers;
const Id = z.object({ id: z.uuid({ error: m.invalidId }) });

export const CreateRequestSchema = z.object({ body: DossierInputSchema });

export const GetRequestSchema = z.object({ params: Id });

const dayOrInstant = (label: string) =>
  z
    .string()
    .trim()
    .max(40)
    .refine((v) => isCalendarDate(v) || (/^\d{4}-\d{2}-\d{2}T/.test(v) && !Number.isNaN(Date.parse(v))), m.invalidDateTime(label))
    .optional();

export const ListRequestsSchema = z.object({
  query: z.object({
    kind: z.enum(DOSSIER_KINDS, { error: m.unknownKind([...DOSSIER_KINDS]) }).optional(),
    /** One status or several separated by commas: status=received,under_review */
    status: z
      .string()
      .max(300)
      .transform((s) => s.split(",").map((x) => x.trim()).filter(Boolean))
      .pipe(z.array(z.enum(DOSSIER_STATUSES, { error: m.invalidChoice("Trạng thái", [...DOSSIER_STATUSES]) })))
      .optional(),
    /** Part of the agency's name; case and diacritics do not matter. */
    agency: z.string().trim().max(300).optional(),
    receivedFrom: dayOrInstant("Tiếp nhận từ ngày"),
    receivedTo: dayOrInstant("Tiếp nhận đến ngày"),
    /** Free text over the dossier number, the agency and the people's names. */
    q: z.string().trim().max(200).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(20),
    offset: z.coerce.number().int().min(0).default(0),
  }),
});

export const PatchRequestSchema = z.object({
  params: Id,
  /** JSON merge patch of top-level fields; lists are replaced whole; `version` guards against lost updates. */
  body: z.record(z.string().max(64), z.unknown(), { error: m.patchNotObject }),
});

export const PutSubscribersSchema = z.object({
  params: Id,
  query: z.object({ version: z.coerce.number().int().min(1).optional() }),
  // One more than the dossier allows: its own check then answers with the list's Vietnamese message.
  body: z.union([z.string().max(64 * 1024 * 1024), z.array(z.unknown()).max(MAX_LIST + 1)], { error: m.listBodyInvalid }),
});
