import { z } from "zod";
import { ROLES } from "../../../auth/actor";

export const CreateUserSchema = z.object({
  body: z.object({
    username: z.string().trim().regex(/^[a-z0-9._-]{3,64}$/, "Tên đăng nhập gồm 3–64 ký tự a-z, 0-9, dấu chấm, gạch dưới, gạch ngang"),
    fullName: z.string().trim().min(1).max(200),
    email: z.string().trim().max(254).email().optional(),
    roles: z.array(z.enum(ROLES)).min(1).max(ROLES.length),
  }),
});

export const IssueTokenSchema = z.object({
  params: z.object({ id: z.string().uuid() }),
  body: z
    .object({ label: z.string().max(100).optional(), expiresInDays: z.number().int().min(1).max(3650).optional() })
    .optional(),
});

export const UserSchema = z.object({
  id: z.string(), username: z.string(), fullName: z.string(), email: z.string().nullable(), roles: z.array(z.string()), active: z.boolean(),
});

export const UserIdSchema = z.object({ params: z.object({ id: z.string().uuid() }) });
export const SetRolesSchema = z.object({
  params: z.object({ id: z.string().uuid() }),
  body: z.object({ roles: z.array(z.enum(ROLES)).max(ROLES.length) }),
});
export const RevokeTokenSchema = z.object({ params: z.object({ id: z.string().uuid(), tokenId: z.string().uuid() }) });
export const SetPasswordSchema = z.object({
  params: z.object({ id: z.string().uuid() }),
  body: z.object({ password: z.string().min(12, "Mật khẩu phải có ít nhất 12 ký tự").max(200) }),
});

export const IssueOwnTokenSchema = z.object({
  body: z
    .object({ label: z.string().max(100).optional(), expiresInDays: z.number().int().min(1).max(3650).optional() })
    .optional(),
});
export const OwnTokenSchema = z.object({ params: z.object({ tokenId: z.string().uuid() }) });
const newPassword = z.string().min(12, "Mật khẩu phải có ít nhất 12 ký tự").max(200);
export const ChangeOwnPasswordSchema = z.object({
  body: z.object({ currentPassword: z.string().max(200).optional(), password: newPassword }),
});
export const ChangePasswordSchema = z.object({
  params: z.object({ id: z.string().uuid() }),
  body: z.object({ currentPassword: z.string().max(200).optional(), password: newPassword }),
});
export const RedeemEnrolmentSchema = z.object({
  body: z.object({
    username: z.string().trim().min(1).max(64),
    code: z.string().trim().min(1).max(64),
    password: newPassword,
  }),
});
export const EnrolmentSchema = z.object({
  id: z.string(), userId: z.string(), username: z.string(), email: z.string(), status: z.string(), createdAt: z.string(), expiresAt: z.string(),
});
export const TokenSecretSchema = z.object({ id: z.string(), token: z.string(), expiresAt: z.string().nullable() });
export const RedeemedSchema = TokenSecretSchema.extend({ user: z.object({ id: z.string(), username: z.string(), fullName: z.string() }) });
