import type Koa from "koa";
import type { ApiContext, ApiRouter } from "../../http/route";
import { addPage, actorOf, done, field, fieldErrors, readForm, validated, view, type StaffForm } from "./page";
import * as store from "../../store/users";
import { privilegedRoles, requestCreateUser, requestSetRoles } from "../../auth/privilegedRoles";
import { createEnrolment } from "../../auth/enrolment";
import { revokeUserToken, setActive } from "../../auth/users";
import { CreateUserSchema, SetRolesSchema, UserIdSchema } from "../../http/routes/users/schema";
import { ROLES } from "../../auth/actor";
import { nowIso, type Db } from "../../store/db";
import { DomainError } from "../../errors";
import { messages } from "../../messages";
import { staffMessages } from "../../messages/staff";

const BASE = "/quan-tri/nguoi-dung";
/** Notices after which the page links to the approvals page. */
const PENDING_NOTICES = ["userPending", "rolesPending"];

const formOf = (ctx: ApiContext): StaffForm => readForm(ctx as unknown as Koa.Context);
const listOf = (f: StaffForm, name: string): string[] => {
  const v = f.fields[name];
  return (Array.isArray(v) ? v : v ? [v] : []).map((s) => s.trim()).filter(Boolean);
};

/** The state of a user's latest enrolment, in words an administrator reads (never the code). */
function enrolmentState(e: { status: string; expires_at: string } | undefined): string {
  const names = staffMessages.enrolmentStatus;
  if (!e) return names.none;
  if (e.status === "active" && e.expires_at <= nowIso()) return names.expired;
  return names[e.status] ?? e.status;
}

/** Users with roles, activation, latest enrolment and last web sign-in (from the audit log). */
async function listUsers(db: Db, only?: string) {
  const users = only ? [(await store.get(db, only))!] : await store.list(db);
  const enrolments: { user_id: string; status: string; expires_at: string; created_at: string }[] =
    await db("enrolments").modify((q) => { if (only) q.where({ user_id: only }); })
      .select("user_id", "status", "expires_at", "created_at").orderBy("created_at", "asc");
  const latest = new Map(enrolments.map((e) => [e.user_id, e]));
  const signIns: { object_id: string; at: string }[] = await db("audit_log")
    .where({ action: "auth.signed_in", object_type: "user" }).modify((q) => { if (only) q.where({ object_id: only }); }).groupBy("object_id").select("object_id").max({ at: "at" });
  const lastSignIn = new Map(signIns.map((r) => [r.object_id, r.at]));
  return Promise.all(users.map(async (u) => ({
    id: u.id, username: u.username, fullName: u.full_name, email: u.email, active: Boolean(u.active),
    roles: await store.rolesOf(db, u.id),
    enrolment: enrolmentState(latest.get(u.id)),
    lastSignIn: lastSignIn.get(u.id) ?? null,
  })));
}

async function userOr404(db: Db, id: string) {
  const user = UserIdSchema.shape.params.safeParse({ id }).success ? await store.get(db, id) : undefined;
  if (!user) throw new DomainError("user_not_found", messages.users.userNotFound(id.slice(0, 36)), {}, "not_found");
  return user;
}

async function renderList(ctx: ApiContext, extra: Record<string, unknown> = {}, status = 200) {
  view(ctx, "staff/users.njk", {
    title: "Người dùng", users: await listUsers(ctx.services.db), allRoles: ROLES, privileged: privilegedRoles(ctx.services),
    pendingApproval: PENDING_NOTICES.includes(String(ctx.query.tb ?? "")), values: { roles: [] }, errors: {}, ...extra,
  }, status);
}

/**
 * User administration (issue 8 on the web): an administrator lists users, creates them, changes
 * roles (privileged ones wait for a second administrator), sends enrolment codes by e-mail (never
 * shown), (de)activates accounts and lists and revokes tokens (never a secret). The same commands
 * as /api/users, with their self-protection rules.
 */
export function registerUserPages(api: ApiRouter) {
  addPage(api, "get", BASE, "user.list", (ctx) => renderList(ctx));

  addPage(api, "post", BASE, "user.create", async (ctx) => {
    const f = formOf(ctx);
    const values = { username: field(f, "username"), fullName: field(f, "fullName"), email: field(f, "email"), roles: listOf(f, "roles") };
    try {
      const input = validated(CreateUserSchema, { body: { ...values, email: values.email || undefined } });
      const out = await requestCreateUser(ctx.services, actorOf(ctx), input.body);
      done(ctx, BASE, out.performed ? "userCreated" : "userPending");
    } catch (err) {
      const errors = fieldErrors(err);
      if (!errors && !(err instanceof DomainError && err.code === "username_taken")) throw err;
      const e = err as DomainError;
      await renderList(ctx, { values, errors: errors ?? { username: e.message }, error: e.message }, e.code === "username_taken" ? 409 : 400);
    }
  });

  addPage(api, "get", `${BASE}/:id`, ["user.list", "user.token"], async (ctx) => {
    const db = ctx.services.db;
    const user = await userOr404(db, String(ctx.params.id));
    const [summary] = await listUsers(db, user.id);
    const tokens = (await store.tokensOf(db, user.id)).map((t) => ({
      id: t.id, label: t.label, createdAt: t.created_at, expiresAt: t.expires_at, lastUsedAt: t.last_used_at, revokedAt: t.revoked_at,
      expired: Boolean(t.expires_at && t.expires_at <= nowIso()),
    }));
    view(ctx, "staff/user.njk", {
      title: `Người dùng ${user.username}`, user: summary, tokens, allRoles: ROLES, privileged: privilegedRoles(ctx.services),
      self: user.id === actorOf(ctx).id, pendingApproval: PENDING_NOTICES.includes(String(ctx.query.tb ?? "")),
    });
  });

  addPage(api, "post", `${BASE}/:id/vai-tro`, "user.roles", async (ctx) => {
    const user = await userOr404(ctx.services.db, String(ctx.params.id));
    const input = validated(SetRolesSchema, { params: { id: user.id }, body: { roles: listOf(formOf(ctx), "roles") } });
    const out = await requestSetRoles(ctx.services, actorOf(ctx), input.params.id, input.body.roles);
    done(ctx, `${BASE}/${user.id}`, out.performed ? "rolesChanged" : "rolesPending");
  });

  addPage(api, "post", `${BASE}/:id/gui-ma-kich-hoat`, "user.enrol", async (ctx) => {
    const user = await userOr404(ctx.services.db, String(ctx.params.id));
    await createEnrolment(ctx.services, actorOf(ctx), user.id);
    done(ctx, `${BASE}/${user.id}`, "enrolmentSent");
  });

  for (const [slug, active] of [["khoa", false], ["mo-khoa", true]] as const) {
    addPage(api, "post", `${BASE}/:id/${slug}`, "user.activation", async (ctx) => {
      const user = await userOr404(ctx.services.db, String(ctx.params.id));
      await setActive(ctx.services.db, actorOf(ctx), user.id, active);
      done(ctx, `${BASE}/${user.id}`, active ? "userReactivated" : "userDeactivated");
    });
  }

  addPage(api, "post", `${BASE}/:id/ma-truy-cap/:tokenId/thu-hoi`, "user.token", async (ctx) => {
    const user = await userOr404(ctx.services.db, String(ctx.params.id));
    const tokenId = String(ctx.params.tokenId ?? "").slice(0, 36);
    await revokeUserToken(ctx.services.db, actorOf(ctx), user.id, tokenId);
    done(ctx, `${BASE}/${user.id}`, "tokenRevoked");
  });
}
