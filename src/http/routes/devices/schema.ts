import { z } from "zod";
import { DEVICE_KINDS, DEVICE_STATES } from "../../../ra/devices/lifecycle";

const id = z.string().uuid();
const serialParam = z.string().regex(/^[0-9a-fA-F]{1,64}$/, "Số hiệu chứng thư số là chuỗi thập lục phân");
const reason = z.string().trim().min(1).max(1000);

export const NewDeviceBody = z.object({
  serial: z.string().trim().min(1).max(100),
  model: z.string().trim().min(1).max(200),
  manufacturer: z.string().trim().min(1).max(200),
  tokenLabel: z.string().trim().min(1).max(32).optional(),
  kind: z.enum(DEVICE_KINDS),
  notes: z.string().max(2000).optional(),
});
export const CreateDeviceSchema = z.object({ body: NewDeviceBody });

export const ListDevicesSchema = z.object({
  query: z.object({
    state: z.enum(DEVICE_STATES).optional(),
    kind: z.enum(DEVICE_KINDS).optional(),
    serial: z.string().max(100).optional(),
    overdue: z.enum(["true", "false"]).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(50),
    offset: z.coerce.number().int().min(0).default(0),
  }),
});

export const ImportDevicesSchema = z.object({
  query: z.object({ mode: z.enum(["all-or-nothing", "valid-only"]).default("all-or-nothing") }),
  body: z.string({ error: "Gửi nội dung tệp CSV với Content-Type: text/csv" }).max(10 * 1024 * 1024),
});

export const DeviceIdSchema = z.object({ params: z.object({ id }) });

export const TransitionSchema = z.object({
  params: z.object({ id }),
  body: z.object({ to: z.enum(DEVICE_STATES), reason }),
});

export const AttachCertificateSchema = z.object({
  params: z.object({ id }),
  body: z.object({ serial: serialParam }),
});

export const CertificateSerialSchema = z.object({ params: z.object({ serial: serialParam }) });

export const LockSchema = z.object({
  params: z.object({ id }),
  body: z.object({ failedAttempts: z.number().int().min(0).max(1000).default(0), reason }),
});

export const RecoverSchema = z.object({
  params: z.object({ id }),
  body: z.object({
    dossierId: id,
    method: z.enum(["unblock", "reinitialize"]).default("unblock"),
    notes: z.string().max(2000).optional(),
    dryRun: z.boolean().default(false),
  }),
});

export const DeviceSchema = z.object({
  id: z.string(), serial: z.string(), model: z.string(), manufacturer: z.string(), tokenLabel: z.string().nullable(),
  kind: z.enum(DEVICE_KINDS), state: z.enum(DEVICE_STATES), stateLabel: z.string(),
  holder: z.object({ dossierId: z.string().nullable(), subscriberIndex: z.number().nullable(), name: z.string().nullable() }),
  wrongPinCount: z.number(), lockCount: z.number(), lockedAt: z.string().nullable(),
  returnDeadline: z.string().nullable(), returnReasonAt: z.string().nullable(),
  allowedTransitions: z.array(z.enum(DEVICE_STATES)),
  createdAt: z.string(), updatedAt: z.string(),
});

export const PinFailuresSchema = z.object({
  params: z.object({ id }),
  body: z.object({ attempts: z.number().int().min(1).max(100), tokenLocked: z.boolean().default(false) }),
});
