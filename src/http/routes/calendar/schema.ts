import { z } from "zod";
import { YearOverridesSchema } from "../../../ra/calendar/yearOverrides";

export const DeadlineQuerySchema = z.object({
  query: z.object({
    /** A Vietnamese calendar day (YYYY-MM-DD) or an instant (ISO-8601 with offset). */
    receivedAt: z.string().trim().min(10).max(40),
  }),
});

export const YearParamsSchema = z.object({ params: z.object({ year: z.coerce.number().int() }) });

export const PutYearSchema = z.object({
  params: z.object({ year: z.coerce.number().int() }),
  body: YearOverridesSchema,
});

export const DeadlineSchema = z.object({
  receivedOn: z.string(),
  deadline: z.string(),
  deadlineAt: z.string(),
  workingDays: z.array(z.string()),
  skipped: z.array(z.object({ date: z.string(), reason: z.string() })),
});
