import { z } from "zod";

const person = z.object({
  name: z.string().trim().min(1).max(200),
  position: z.string().trim().min(1).max(200),
  agency: z.string().trim().min(1).max(300),
  idNumber: z.string().trim().regex(/^[0-9A-Z]{6,20}$/, "Số định danh gồm 6–20 chữ số hoặc chữ in hoa").optional(),
});

export const CreateHandoverSchema = z.object({
  body: z.object({
    place: z.object({ kind: z.enum(["provider", "agency"]), address: z.string().trim().min(1).max(500) }),
    handedAt: z.iso.datetime({ offset: true }),
    handingOfficer: person,
    receiver: person.extend({ idNumber: z.string().trim().regex(/^[0-9A-Z]{6,20}$/, "Số định danh gồm 6–20 chữ số hoặc chữ in hoa") }).optional(),
    items: z.array(z.object({
      deviceId: z.string().uuid(),
      certificateSerial: z.string().regex(/^[0-9a-fA-F]{1,64}$/, "Số hiệu chứng thư số là chuỗi thập lục phân"),
      notes: z.string().max(500).optional(),
    })).min(1).max(500),
    notes: z.string().max(2000).optional(),
  }),
});

export const HandoverIdSchema = z.object({ params: z.object({ id: z.string().uuid() }) });

export const ScheduleHandoverSchema = z.object({
  body: z.object({
    dossierId: z.string().uuid(),
    handoverAt: z.iso.datetime({ offset: true }),
    place: z.string().trim().min(1).max(500),
    note: z.string().max(2000).optional(),
  }),
});
