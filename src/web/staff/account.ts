import type Koa from "koa";
import type { ApiContext, ApiRouter } from "../../http/route";
import { addPage, actorOf, done, field, fieldErrors, readForm, validated, view } from "./page";
import * as store from "../../store/users";
import { changeOwnPassword, issueOwnToken, revokeUserToken } from "../../auth/users";
import { ChangeOwnPasswordSchema, IssueOwnTokenSchema } from "../../http/routes/users/schema";
import { statusOfKind } from "../../http/errors";
import { nowIso } from "../../store/db";
import { DomainError } from "../../errors";
import { messages } from "../../messages";

const BASE = "/quan-tri/tai-khoan";

async function renderAccount(ctx: ApiContext, extra: Record<string, unknown> = {}, status = 200) {
  const db = ctx.services.db;
  const actor = actorOf(ctx);
  const user = (await store.get(db, actor.id))!;
  const tokens = (await store.tokensOf(db, actor.id)).map((t) => ({
    id: t.id, label: t.label, createdAt: t.created_at, expiresAt: t.expires_at, lastUsedAt: t.last_used_at, revokedAt: t.revoked_at,
    expired: Boolean(t.expires_at && t.expires_at <= nowIso()),
  }));
  view(ctx, "staff/account.njk", {
    title: "Tài khoản của tôi", user: { username: user.username, fullName: user.full_name, email: user.email, roles: actor.roles },
    tokens, errors: {}, ...extra,
  }, status);
}

/**
 * My account, for every signed-in person: change one's own password (the current one first) and
 * one's own API tokens (issued here and shown once on the result page, listed, revoked). The same
 * commands as PUT /api/me/password and /api/me/tokens.
 */
export function registerAccountPages(api: ApiRouter) {
  addPage(api, "get", BASE, "self.read", (ctx) => renderAccount(ctx));

  addPage(api, "post", `${BASE}/mat-khau`, "self.password", async (ctx) => {
    const f = readForm(ctx as unknown as Koa.Context);
    const raw = (n: string) => String(f.fields[n] ?? "");
    const actor = actorOf(ctx);
    try {
      if (raw("password") !== raw("password2")) {
        throw new DomainError("password_mismatch", messages.users.passwordMismatch, { fields: [{ field: "password2", message: messages.users.passwordMismatch }] });
      }
      const { body } = validated(ChangeOwnPasswordSchema, { body: { currentPassword: raw("currentPassword"), password: raw("password") } });
      await changeOwnPassword(ctx.services.db, actor, actor.id, body.currentPassword, body.password);
      done(ctx, BASE, "passwordChanged");
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      const errors = fieldErrors(err) ?? (err.code === "current_password_required" ? { currentPassword: err.message } : {});
      await renderAccount(ctx, { passwordError: err.message, errors }, statusOfKind[err.kind]);
    }
  });

  addPage(api, "post", `${BASE}/ma-truy-cap`, "self.token", async (ctx) => {
    const f = readForm(ctx as unknown as Koa.Context);
    const days = field(f, "expiresInDays");
    const label = field(f, "label");
    const actor = actorOf(ctx);
    try {
      const { body } = validated(IssueOwnTokenSchema, { body: { label: label || undefined, expiresInDays: days ? Number(days) : undefined } });
      const expiresAt = body?.expiresInDays ? new Date(Date.now() + body.expiresInDays * 86400_000) : undefined;
      const t = await issueOwnToken(ctx.services.db, actor, actor.id, { label: body?.label, expiresAt });
      // Shown once, on this response only (staff pages are Cache-Control: no-store).
      ctx.set("Cache-Control", "no-store");
      view(ctx, "staff/account-token.njk", { title: "Mã truy cập mới", token: { id: t.id, secret: t.secret, expiresAt: t.expiresAt, label: body?.label ?? null } }, 201);
    } catch (err) {
      const errors = fieldErrors(err);
      if (!errors) throw err;
      await renderAccount(ctx, { tokenError: (err as DomainError).message, errors, tokenValues: { label, expiresInDays: days } }, 400);
    }
  });

  addPage(api, "post", `${BASE}/ma-truy-cap/:tokenId/thu-hoi`, "self.token", async (ctx) => {
    const actor = actorOf(ctx);
    await revokeUserToken(ctx.services.db, actor, actor.id, String(ctx.params.tokenId ?? "").slice(0, 36));
    done(ctx, BASE, "tokenRevoked");
  });
}
