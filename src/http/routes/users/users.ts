import type { ApiRouter, ApiContext } from "../../route";
import * as S from "./schema";
import * as store from "../../../store/users";
import { changeOwnPassword, issueOwnToken, revokeUserToken, setActive } from "../../../auth/users";
import { requestCreateUser, requestSetRoles } from "../../../auth/privilegedRoles";
import { createEnrolment } from "../../../auth/enrolment";
import type { Outcome } from "../../../approvals/approvals";
import { presentApproval } from "../approvals/present";
import { DomainError } from "../../../errors";
import { messages } from "../../../messages";
import type { Db } from "../../../store/db";

const presentUser = async (db: Db, u: store.UserRow) => ({
  id: u.id, username: u.username, fullName: u.full_name, email: u.email, roles: await store.rolesOf(db, u.id), active: Boolean(u.active),
});
const presentToken = (t: store.TokenRow) => ({ id: t.id, label: t.label, createdAt: t.created_at, expiresAt: t.expires_at, revokedAt: t.revoked_at, lastUsedAt: t.last_used_at });

/** 200/201 with the user when performed; 202 with the pending approval when a second administrator must approve. */
async function presentOutcome(ctx: ApiContext, out: Outcome<store.UserRow>, performedStatus: number) {
  if (!out.performed) {
    ctx.status = 202;
    ctx.body = presentApproval(out.approval);
    return;
  }
  ctx.status = performedStatus;
  ctx.body = await presentUser(ctx.services.db, out.result);
}

async function userOr404(db: Db, id: string) {
  const user = await store.get(db, id);
  if (!user) throw new DomainError("user_not_found", messages.users.userNotFound(id), {}, "not_found");
  return user;
}

/**
 * Users and their credentials (issue 8). Tokens and passwords are self-service: /api/me/… (and
 * /api/users/{own id}/… for the same). An administrator creates users, changes roles (privileged
 * ones through a second administrator: 202 and an approval), lists and revokes tokens, sends
 * enrolment codes by e-mail and (de)activates accounts, but never sees nor sets a secret.
 */
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
    method: "post", path: "/api/me/tokens", summary: "Issue oneself an API token (shown once)", tags: ["users"], action: "self.token", input: S.IssueOwnTokenSchema,
    responses: { 201: { description: "Mã truy cập (chỉ hiển thị một lần)", schema: S.TokenSecretSchema } },
    handler: async (ctx, { body }) => {
      const actor = ctx.state.actor!;
      const expiresAt = body?.expiresInDays ? new Date(Date.now() + body.expiresInDays * 86400_000) : undefined;
      const t = await issueOwnToken(ctx.services.db, actor, actor.id, { label: body?.label, expiresAt });
      ctx.status = 201;
      ctx.set("Cache-Control", "no-store");
      ctx.body = { id: t.id, token: t.secret, expiresAt: t.expiresAt };
    },
  });
  api.add({
    method: "get", path: "/api/me/tokens", summary: "List one's own tokens (never the secrets)", tags: ["users"], action: "self.token",
    handler: async (ctx) => {
      ctx.body = { items: (await store.tokensOf(ctx.services.db, ctx.state.actor!.id)).map(presentToken) };
    },
  });
  api.add({
    method: "delete", path: "/api/me/tokens/:tokenId", summary: "Revoke one of one's own tokens", tags: ["users"], action: "self.token", input: S.OwnTokenSchema,
    handler: async (ctx, { params }) => {
      await revokeUserToken(ctx.services.db, ctx.state.actor!, ctx.state.actor!.id, params.tokenId);
      ctx.status = 204;
    },
  });
  api.add({
    method: "put", path: "/api/me/password", summary: "Change one's own web sign-in password (the current one when set)", tags: ["users"], action: "self.password", input: S.ChangeOwnPasswordSchema,
    handler: async (ctx, { body }) => {
      const actor = ctx.state.actor!;
      await changeOwnPassword(ctx.services.db, actor, actor.id, body.currentPassword, body.password);
      ctx.status = 204;
    },
  });
  api.add({
    method: "post", path: "/api/users", summary: "Create a user with roles (a privileged role: 202, waits for a second administrator)", tags: ["users"], action: "user.create", input: S.CreateUserSchema,
    responses: { 201: { description: "Đã tạo", schema: S.UserSchema }, 202: { description: "Vai trò đặc quyền: chờ quản trị viên thứ hai phê duyệt (GET /api/approvals/{id})" } },
    handler: async (ctx, { body }) => presentOutcome(ctx, await requestCreateUser(ctx.services, ctx.state.actor!, body), 201),
  });
  api.add({
    method: "get", path: "/api/users", summary: "List users", tags: ["users"], action: "user.list",
    handler: async (ctx) => {
      const db = ctx.services.db;
      ctx.body = { items: await Promise.all((await store.list(db)).map((u) => presentUser(db, u))) };
    },
  });
  api.add({
    method: "post", path: "/api/users/:id/tokens", summary: "Issue oneself an API token (shown once); never for another user (403)", tags: ["users"], action: "self.token", input: S.IssueTokenSchema,
    handler: async (ctx, { params, body }) => {
      const db = ctx.services.db;
      const user = await userOr404(db, params.id);
      const expiresAt = body?.expiresInDays ? new Date(Date.now() + body.expiresInDays * 86400_000) : undefined;
      const t = await issueOwnToken(db, ctx.state.actor!, user.id, { label: body?.label, expiresAt });
      ctx.status = 201;
      ctx.set("Cache-Control", "no-store");
      ctx.body = { id: t.id, token: t.secret, expiresAt: t.expiresAt };
    },
  });
  api.add({
    method: "put", path: "/api/users/:id/roles", summary: "Replace a user's roles (not one's own; adding a privileged role: 202, waits for a second administrator)", tags: ["users"], action: "user.roles", input: S.SetRolesSchema,
    responses: { 200: { description: "Đã thay đổi", schema: S.UserSchema }, 202: { description: "Vai trò đặc quyền: chờ quản trị viên thứ hai phê duyệt" } },
    handler: async (ctx, { params, body }) => presentOutcome(ctx, await requestSetRoles(ctx.services, ctx.state.actor!, params.id, body.roles), 200),
  });
  api.add({
    method: "get", path: "/api/users/:id/tokens", summary: "List a user's tokens (never the secrets)", tags: ["users"], action: "user.token", input: S.UserIdSchema,
    handler: async (ctx, { params }) => {
      ctx.body = { items: (await store.tokensOf(ctx.services.db, params.id)).map(presentToken) };
    },
  });
  api.add({
    method: "delete", path: "/api/users/:id/tokens/:tokenId", summary: "Revoke a user's token", tags: ["users"], action: "user.token", input: S.RevokeTokenSchema,
    handler: async (ctx, { params }) => {
      await revokeUserToken(ctx.services.db, ctx.state.actor!, params.id, params.tokenId);
      ctx.status = 204;
    },
  });
  api.add({
    method: "put", path: "/api/users/:id/password", summary: "Change one's own password (the current one when set); never another user's (403)", tags: ["users"], action: "self.password", input: S.ChangePasswordSchema,
    handler: async (ctx, { params, body }) => {
      const user = await userOr404(ctx.services.db, params.id);
      await changeOwnPassword(ctx.services.db, ctx.state.actor!, user.id, body.currentPassword, body.password);
      ctx.status = 204;
    },
  });
  api.add({
    method: "post", path: "/api/users/:id/enrolment", summary: "Send the user a one-time enrolment code by e-mail (the code is never in the response)", tags: ["users"], action: "user.enrol", input: S.UserIdSchema,
    responses: { 201: { description: "Đã tạo mã kích hoạt và xếp thư gửi tới địa chỉ đăng ký của người dùng", schema: S.EnrolmentSchema } },
    handler: async (ctx, { params }) => {
      ctx.status = 201;
      ctx.body = await createEnrolment(ctx.services, ctx.state.actor!, params.id);
    },
  });
  for (const [verb, active] of [["deactivate", false], ["reactivate", true]] as const) {
    api.add({
      method: "post", path: `/api/users/:id/${verb}`, summary: active ? "Reactivate a user" : "Deactivate a user (tokens and sessions stop at once; not oneself)",
      tags: ["users"], action: "user.activation", input: S.UserIdSchema,
      responses: { 200: { description: active ? "Đã mở lại tài khoản" : "Đã khóa tài khoản", schema: S.UserSchema } },
      handler: async (ctx, { params }) => {
        const u = await setActive(ctx.services.db, ctx.state.actor!, params.id, active);
        ctx.body = await presentUser(ctx.services.db, u);
      },
    });
  }
}
