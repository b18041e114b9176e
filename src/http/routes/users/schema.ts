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
