import { z } from "zod";

export const CaSchema = z.object({
  name: z.string(), role: z.enum(["root", "issuing"]), isIssuing: z.boolean(), parent: z.string().nullable(), subject: z.string(),
  keyAlgorithm: z.string(), notBefore: z.string(), notAfter: z.string(), development: z.boolean(), active: z.boolean(), fingerprint: z.string(),
});
