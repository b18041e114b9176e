import { expect } from "chai";
import { startTestService, type TestService } from "../support/service";
import { ROLES, type Role } from "../../src/auth/actor";
import { knownActions, rolesFor } from "../../src/policy/policy";
import "../../src/policy/rules";

/**
 * The access policy as a table (issue 8): for every action, the roles that may perform it at the
 * route layer. The table is declared here, independently of src/policy/rules.ts, so a rule change
 * that is not also made here fails; then every role × every /api route of the OpenAPI document is
 * called: no token → 401, a role outside the table → 403, a role in it → anything but 401/403.
 */
const ALL: Role[] = [...ROLES];
const EXPECTED: Record<string, Role[]> = {
  "self.read": ALL,
  "self.token": ALL, // one's own API tokens only (the command refuses another user's: 403)
  "self.password": ALL, // one's own password only
  "user.create": ["admin"],
  "user.list": ["admin"],
  "user.token": ["admin"], // list and revoke others' tokens, never issue one
  "user.roles": ["admin"],
  "user.enrol": ["admin"], // the code goes to the user's e-mail, never to the admin
  "user.activation": ["admin"],
  "user.privileged_role": ["admin"], // dual control: a second admin approves
  "calendar.read": ALL,
  "calendar.edit": ["admin"],
  "outbox.list": ["admin", "ca_operator", "auditor"],
  "outbox.replay": ["admin", "ca_operator"],
  "dossier.create": ["clerk"],
  "dossier.edit": ["clerk"],
  "dossier.read": ALL,
  "dossier.list": ALL,
  "dossier.read_personal": ["clerk", "reviewer", "device_officer"],
  "dossier.submit": ["clerk"],
  "dossier.withdraw": ["clerk"],
  "dossier.review": ["reviewer"],
  "dossier.accept": ["reviewer"],
  "review.read": ["reviewer", "clerk", "admin", "auditor"],
  "dossier.document": ["clerk", "reviewer", "device_officer"],
  "ca.list": ALL,
  "certificate.read": ALL,
  "certificate.list": ALL,
  "certificate.issue": ["ca_operator", "device_officer"], // device officer: a dossier's certificate from a CSR signed on the token (predicate)
  "certificate.renew": ["ca_operator"],
  "certificate.change": ["ca_operator"],
  "certificate.revoke": ["ca_operator"],
  "certificate.revoke_bulk": ["ca_operator"],
  "certificate.batch": ["ca_operator"],
  "certificate.batch.read": ["ca_operator", "admin", "auditor"],
  "ca.key": ["ca_operator"],
  "device.reinitialize": ["device_officer"],
  "device.create": ["device_officer"],
  "device.import": ["device_officer"],
  "device.transition": ["device_officer"],
  "device.attach": ["device_officer"],
  "device.lock": ["device_officer"],
  "device.recover": ["device_officer"],
  "handover.create": ["device_officer"],
  "device.read": ALL,
  "handover.read": ALL,
  "handover.document": ["device_officer", "clerk", "reviewer"],
  "approval.list": ["ca_operator", "device_officer", "admin", "auditor"],
  "approval.decide": ["ca_operator", "device_officer", "admin"], // admin: only user.privileged_role (the approval's own action)
  "audit.read": ["auditor", "admin"],
  "audit.checkpoint": ["auditor", "admin"],
};
/** Actions whose rules depend on the object (predicates), checked by the commands. */
const CA_OPERATIONS = ["certificate.issue", "certificate.renew", "certificate.change", "certificate.revoke", "certificate.revoke_bulk", "certificate.batch", "ca.key"];

describe("policy: the declared table", () => {
  it("matches the rules exactly, action by action", () => {
    const actual = Object.fromEntries(knownActions().map((a) => [a, rolesFor(a).sort()]));
    const expected = Object.fromEntries(Object.entries(EXPECTED).map(([a, r]) => [a, [...r].sort()]));
    expect(actual).to.deep.equal(expected);
  });
  it("gives admin no CA operation", () => {
    for (const a of CA_OPERATIONS) expect(rolesFor(a), a).to.not.include("admin");
  });
  it("gives the auditor nothing but reading", () => {
    const writes = knownActions().filter((a) => rolesFor(a).includes("auditor") && !/\.(read|list)$|^audit\.|^self\.|^certificate\.batch\.read$/.test(a));
    expect(writes).to.deep.equal([]);
  });
});

describe("policy: every role × every /api route", function () {
  this.timeout(120_000);
  let svc: TestService;
  const tokens = new Map<Role, string>();
  before(async () => {
    svc = await startTestService();
    for (const r of ROLES) tokens.set(r, await svc.userWithRoles(`matrix-${r.replace("_", "-")}`, [r]));
  });
  after(() => svc.stop());

  it("answers 401 without a token, 403 outside the table and neither inside it", async () => {
    const doc = await (await svc.request("GET", "/api/openapi.json")).json();
    const failures: string[] = [];
    let routes = 0;
    for (const [p, ops] of Object.entries<any>(doc.paths)) {
      if (!p.startsWith("/api/")) continue;
      for (const [method, op] of Object.entries<any>(ops)) {
        const action: string | undefined = op["x-policy-action"];
        if (!action) {
          if (!["/api/openapi.json", "/api/enrolment"].includes(p)) failures.push(`${method} ${p}: no policy action`);
          continue;
        }
        if (!EXPECTED[action]) failures.push(`${method} ${p}: action ${action} not in the table`);
        routes++;
        // Parameters that exist nowhere: an allowed role reaches the handler and gets 400/404.
        const url = p.replace(/\{[^}]+\}/g, (m: string) => (m.includes("year") ? "2026" : "ffffffff-ffff-4fff-bfff-ffffffffffff"));
        const call = (token?: string) => svc.request(method.toUpperCase(), url, {
          token, ...(["post", "put", "patch"].includes(method) ? { json: {} } : {}),
        });
        const anon = await call();
        if (anon.status !== 401) failures.push(`${method} ${p} without a token → ${anon.status}`);
        for (const role of ROLES) {
          const r = await call(tokens.get(role));
          const allowed = (EXPECTED[action] ?? []).includes(role);
          if (allowed && (r.status === 403 || r.status === 401)) failures.push(`${method} ${p} as ${role} → ${r.status}, expected access (${action})`);
          if (!allowed && r.status !== 403) failures.push(`${method} ${p} as ${role} → ${r.status}, expected 403 (${action})`);
          if (r.status >= 500) failures.push(`${method} ${p} as ${role} → ${r.status}`);
        }
      }
    }
    expect(failures, failures.join("\n")).to.deep.equal([]);
    expect(routes).to.be.greaterThan(40);
  });

  it("audits a refusal as a row of the chain", async () => {
    const r = await svc.request("POST", "/api/certificates/revoke-bulk", { token: tokens.get("admin"), json: { serials: ["01"], reason: "keyCompromise" } });
    expect(r.status).to.equal(403);
    const audit = await svc.services.db("audit_log").where({ actor: "matrix-admin" }).orderBy("seq", "desc").first();
    expect(audit.action).to.match(/refused|forbidden|denied/);
  });
});
