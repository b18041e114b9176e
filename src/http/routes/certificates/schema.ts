import { z } from "zod";
import { IDENTITY_TYPES } from "../../../ca/subject";
import { PROFILE_NAMES } from "../../../ca/profiles";
import { REASON_NAMES } from "../../../ca/revocation";

const text = (max: number) => z.string().trim().min(1).max(max);

export const SubjectSchema = z.object({
  commonName: text(200),
  organization: text(200).optional(),
  organizationalUnit: text(200).optional(),
  title: text(128).optional(),
  locality: text(128).optional(),
  province: text(128).optional(),
  country: z.string().regex(/^[A-Z]{2}$/).default("VN"),
  identity: z.object({ type: z.enum(IDENTITY_TYPES), number: z.string().trim().regex(/^[A-Za-z0-9-]{1,40}$/, "Số định danh gồm chữ, số, gạch ngang (tối đa 40 ký tự)") }).optional(),
  email: z.string().trim().email().max(254).optional(),
  dnsNames: z.array(z.string().trim().min(1).max(253)).max(50).optional(),
  ipAddresses: z.array(z.string().trim().min(2).max(45)).max(20).optional(),
});

export const KEY_ALGORITHMS = ["rsa-2048", "rsa-3072", "rsa-4096", "ec-p256", "ec-p384"] as const;

/** How the key arrives: csr, or keyGeneration "server" with the PKCS#12 password. */
export const KeyFields = {
  csr: z.string().max(64 * 1024).optional(),
  keyGeneration: z.literal("server").optional(),
  pkcs12Password: z.string().min(8, "Mật khẩu PKCS#12 cần tối thiểu 8 ký tự").max(128).optional(),
  keyAlgorithm: z.enum(KEY_ALGORITHMS).optional(),
};

const Serial = z.object({ serial: z.string().min(1).max(100) });

export const IssueSchema = z.object({
  body: z.object({
    profile: z.enum(PROFILE_NAMES),
    subject: SubjectSchema,
    usage: z.enum(["server", "client", "both"]).optional(),
    validityYears: z.number().positive().max(5).optional(),
    ...KeyFields,
  }),
});

export const SearchSchema = z.object({
  query: z.object({
    serial: z.string().max(100).optional(),
    q: z.string().max(200).optional(),
    uid: z.string().max(100).optional(),
    dossierId: z.string().max(36).optional(),
    status: z.enum(["pending", "issued", "revoked", "void"]).optional(),
    profile: z.enum(PROFILE_NAMES).optional(),
    ca: z.string().max(64).optional(),
    expiresAfter: z.iso.datetime({ offset: true }).or(z.iso.date()).optional(),
    expiresBefore: z.iso.datetime({ offset: true }).or(z.iso.date()).optional(),
    expiringWithinDays: z.coerce.number().int().min(0).max(3650).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(50),
    offset: z.coerce.number().int().min(0).default(0),
  }),
});

export const GetSchema = z.object({ params: Serial });

export const RevokeBulkSchema = z.object({
  body: z.object({
    serials: z.array(z.string().min(1).max(100)).min(1).max(1000),
    reason: z.enum(REASON_NAMES).refine((r) => r !== "removeFromCRL" && r !== "certificateHold", "removeFromCRL/certificateHold"),
    comment: z.string().max(1000).optional(),
  }),
});

export const RevokeSchema = z.object({
  params: Serial,
  body: z.object({
    reason: z.enum(REASON_NAMES),
    invalidityDate: z.iso.datetime({ offset: true }).optional(),
    comment: z.string().max(1000).optional(),
  }),
});

export const RenewSchema = z.object({
  params: Serial,
  body: z.object({ years: z.number().positive().max(3).optional(), ...KeyFields }).default({}),
});

export const ChangeSchema = z.object({
  params: Serial,
  body: z.object({
    changes: SubjectSchema.partial().omit({ country: true }).extend({ country: z.string().regex(/^[A-Z]{2}$/).optional() }),
    reason: z.enum(["superseded", "affiliationChanged"]).default("superseded"),
    ...KeyFields,
  }),
});

export const BatchSchema = z.object({
  body: z.object({
    dossierId: z.string().max(36).optional(),
    items: z
      .array(
        z.object({
          profile: z.enum(PROFILE_NAMES),
          subject: SubjectSchema,
          csr: z.string().max(64 * 1024).optional(),
          publicKey: z.string().max(8 * 1024).optional(),
          usage: z.enum(["server", "client", "both"]).optional(),
          validityYears: z.number().positive().max(5).optional(),
          subscriberIndex: z.number().int().min(0).optional(),
          assetIndex: z.number().int().min(0).optional(),
        }),
      )
      .min(1)
      .max(20000),
  }),
});

export const BatchGetSchema = z.object({ params: z.object({ id: z.string().uuid() }) });

export const IssuedSchema = z.object({ serial: z.string(), pem: z.string(), pkcs12: z.string().optional(), notBefore: z.string(), notAfter: z.string(), ca: z.string() });
