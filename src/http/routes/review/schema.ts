import { z } from "zod";

const id = z.object({ id: z.string().uuid() });
const version = z.number().int().positive().optional();

export const SubmitSchema = z.object({
  params: id,
  body: z
    .object({
      /** When the paper arrived (ISO-8601 with offset); default now. */
      receivedAt: z.iso.datetime({ offset: true }).optional(),
      version,
    })
    .optional(),
});

export const DeficiencySchema = z.object({
  field: z.string().trim().min(1).max(100),
  row: z.number().int().positive().nullable().optional(),
  reason: z.string().trim().max(2000).nullable().optional(),
  code: z.string().trim().max(64).nullable().optional(),
});

export const ReviewSchema = z.object({
  params: id,
  body: z.object({
    action: z.enum(["start", "request_correction", "accept", "reject"]),
    deficiencies: z.array(DeficiencySchema).max(500).optional(),
    reason: z.string().trim().max(2000).nullable().optional(),
    version,
  }),
});

export const WithdrawSchema = z.object({
  params: id,
  body: z.object({ reason: z.string().trim().min(1).max(2000), version }),
});

export const IdSchema = z.object({ params: id });

export const QueueSchema = z.object({
  query: z.object({
    view: z.enum(["overdue", "due_today", "by_reviewer", "all"]).default("all"),
    /** A reviewer's username, or "-" for dossiers nobody has started. */
    reviewer: z.string().trim().max(100).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(50),
    offset: z.coerce.number().int().min(0).default(0),
  }),
});
