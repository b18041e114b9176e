import type { ApiRouter } from "../../route";
import * as S from "./schema";
import * as store from "../../../store/users";
import { createUser, issueToken, revokeUserToken, setPassword, setUserRoles } from "../../../auth/users";
import { DomainError } from "../../../errors";
import { messages } from "../../../messages";
import type { Db } from "../../../store/db";

const presentUser = async (db: Db, u: store.UserRow) => ({
  id: u.id, username: u.username, fullName: u.full_name, email: u.email, roles: await store.rolesOf(db, u.id), active: Boolean(u.active),
});

export function register(api: ApiRouter) {
  api.add({
    method: "get", path: "/api/me", summary: "The signed-in user", tags: ["users"], action: "self.read",
    responses: { 200: { description: "Người dùng hiện tại", schema: S.UserSchema } },
    handler: async (ctx) => {
      const u = await store.get(ctx.services.db, ctx.state.actor!.id);
      ctx.body = await presentUser(ctx.services.db, u!);
    },
  });
  api.add({
    method: "post", path: "/api/users", summary: "Create a user with roles", tags: ["users"], action: "user.create", input: S.CreateUserSchema,
    responses: { 201: { description: "Đã tạo", schema: S.UserSchema } },
    handler: async (ctx, { body }) => {
      const u = await createUser(ctx.services.db, ctx.state.actor!, body);
      ctx.status = 201;
      ctx.body = await presentUser(ctx.services.db, u);
    },
  });
  api.add({
    method: "get", path: "/api/users", summary: "List users", tags: ["users"], action: "user.list",
    handler: async (ctx) => {
      const db = ctx.services.db;
      ctx.body = { items: await Promise.all((await store.list(db)).map((u) => presentUser(db, u))) };
    },
  });
  api.add({
    method: "post", path: "/api/users/:id/tokens", summary: "Issue an API token (shown once)", tags: ["users"], action: "user.token", input: S.IssueTokenSchema,
    handler: async (ctx, { params, body }) => {
      const db = ctx.services.db;
      const user = await store.get(db, params.id);
      if (!user) throw new DomainError("user_not_found", messages.users.userNotFound(params.id), {}, "not_found");
      const expiresAt = body?.expiresInDays ? new Date(Date.now() + body.expiresInDays * 86400_000) : undefined;
      const t = await issueToken(db, ctx.state.actor!, user.id, { label: body?.label, expiresAt });
      ctx.status = 201;
      ctx.set("Cache-Control", "no-store");
      ctx.body = { id: t.id, token: t.secret, expiresAt: t.expiresAt };
    },
  });
  api.add({
    method: "put", path: "/api/users/:id/roles", summary: "Replace a user's roles (not one's own)", tags: ["users"], action: "user.roles", input: S.SetRolesSchema,
    handler: async (ctx, { params, body }) => {
      const u = await setUserRoles(ctx.services.db, ctx.state.actor!, params.id, body.roles);
      ctx.body = await presentUser(ctx.services.db, u);
    },
  });
  api.add({
    method: "get", path: "/api/users/:id/tokens", summary: "List a user's tokens (never the secrets)", tags: ["users"], action: "user.token", input: S.UserIdSchema,
    handler: async (ctx, { params }) => {
      const tokens = await store.tokensOf(ctx.services.db, params.id);
      ctx.body = { items: tokens.map((t) => ({ id: t.id, label: t.label, createdAt: t.created_at, expiresAt: t.expires_at, revokedAt: t.revoked_at, lastUsedAt: t.last_used_at })) };
    },
  });
  api.add({
    method: "delete", path: "/api/users/:id/tokens/:tokenId", summary: "Revoke a token", tags: ["users"], action: "user.token", input: S.RevokeTokenSchema,
    handler: async (ctx, { params }) => {
      await revokeUserToken(ctx.services.db, ctx.state.actor!, params.id, params.tokenId);
      ctx.status = 204;
    },
  });
  api.add({
    method: "put", path: "/api/users/:id/password", summary: "Set a user's web sign-in password", tags: ["users"], action: "user.password", input: S.SetPasswordSchema,
    handler: async (ctx, { params, body }) => {
      await setPassword(ctx.services.db, ctx.state.actor!, params.id, body.password);
      ctx.status = 204;
    },
  });
}
