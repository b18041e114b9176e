import { allow, can } from "./policy";
import type { Actor } from "../auth/actor";

/**
 * The rules: who may do what, as sentences, in one place (issue 8). Routes name an action and the
 * route layer authorises the role; commands authorise again with the object so the state-dependent
 * sentences (the predicates) see it. A predicate that receives no object answers for the route
 * layer ("may this role ever do this?"); every command that needs the object passes it.
 *
 *   admin           users and configuration; reads what it administers; NO CA operations
 *   clerk           intake: dossiers, their documents, receipt (submit)
 *   reviewer        review decisions
 *   ca_operator     issuance, renewal, change, revocation, CRLs
 *   device_officer  devices, handover, recovery
 *   auditor         read-only, the audit log
 *
 * A change here must be made in test/policy/matrix.test.ts's expectation table too.
 */
const everyone = ["admin", "clerk", "reviewer", "ca_operator", "device_officer", "auditor"] as const;

// Users and configuration. Separation of duties: nobody changes their own roles.
allow("admin", ["user.create", "user.list", "user.token", "user.enrol", "user.activation", "calendar.edit"]);
allow("admin", "user.roles", (actor: Actor, target?: { id: string }) => !target || target.id !== actor.id);
/**
 * Credentials are self-service (issue 8): a person issues their own API tokens and sets their own
 * password; an administrator lists and revokes others' tokens (user.token, never a secret), sends
 * an enrolment code to the user's own e-mail address (user.enrol) and (de)activates accounts, but
 * never holds another person's secret. A privileged role (PRIVILEGED_ROLES) is given only through
 * a second administrator's approval (user.privileged_role, dual control); nobody asks for or
 * approves a privileged role for themself. The CLI on the CA host (key ceremony) is the bootstrap.
 */
allow([...everyone], ["self.read", "self.token", "self.password"]);
allow("admin", "user.privileged_role", (actor: Actor, p?: { userId?: string }) => !p || p.userId !== actor.id);

// Outbox: operators see and replay the work queue
allow(["admin", "ca_operator", "auditor"], "outbox.list");
allow(["admin", "ca_operator"], "outbox.replay");

// Working-day calendar: every signed-in role reads it (deadlines); admin edits it (above)
allow([...everyone], "calendar.read");

// Request dossiers: clerks create and edit them (while draft or awaiting correction, checked by the
// command); everyone who works on them reads them.
allow("clerk", ["dossier.create", "dossier.edit"]);
allow([...everyone], ["dossier.read", "dossier.list"]);

/**
 * Confidentiality of requester data (Decree 68 procedure: requester data is confidential): identity
 * numbers, dates of birth, mobile phones and delivery addresses are shown only to the roles whose
 * work needs them — the clerk who takes the dossier in, the reviewer who checks it against the
 * papers, and the device officer who identifies the person at handover. Admin, auditor and
 * ca_operator see masked values (the CA reads what a certificate carries from the store, not from
 * the API).
 */
allow(["clerk", "reviewer", "device_officer"], "dossier.read_personal");

// Review (step 2): clerks record the receipt (submit) and withdrawals; only reviewers review.
allow("clerk", ["dossier.submit", "dossier.withdraw"]);
allow("reviewer", "dossier.review");
/**
 * Separation of duties: whoever received (submitted) or edited a dossier cannot accept it. The
 * command passes the dossier with `handledBy`, the ids of the users who created, edited, corrected
 * or submitted it (its history).
 */
allow("reviewer", "dossier.accept", (actor: Actor, d?: { handledBy?: string[] }) => !!d?.handledBy && !d.handledBy.includes(actor.id));
allow(["reviewer", "clerk", "admin", "auditor"], "review.read");

// Documents of a dossier (the request form as PDF, stored notices and records)
allow(["clerk", "reviewer", "device_officer"], "dossier.document"); // the forms carry personal data unmasked

// Certificates and CAs: CA operators issue, renew, change and revoke; the other roles read.
allow([...everyone], ["ca.list", "certificate.read", "certificate.list"]);
allow("ca_operator", ["certificate.issue", "certificate.renew", "certificate.change", "certificate.revoke", "certificate.batch", "certificate.revoke_bulk"]);
allow(["ca_operator", "admin", "auditor"], "certificate.batch.read");
// CA key operations (ceremony, import) through an approval: CA operators only, never admin.
allow("ca_operator", "ca.key");
// Device re-initialisation (handover capability): device officers.
allow("device_officer", "device.reinitialize");

/**
 * Dual control (four eyes): the operations named in DUAL_CONTROL wait for a second person. Who may
 * decide: someone who may perform the operation itself (the approval carries its policy action),
 * and never the person who requested it.
 */
allow(["ca_operator", "device_officer", "admin", "auditor"], "approval.list");
allow(["ca_operator", "device_officer", "admin"], "approval.decide",
  (actor: Actor, a?: { requestedBy: string; action: string; payload?: unknown }) => !a || (a.requestedBy !== actor.id && can(actor, a.action, a.payload)));

// Audit: auditors (and admins) read the log; auditors sign checkpoints of its head.
allow(["auditor", "admin"], "audit.read");
allow(["auditor", "admin"], "audit.checkpoint");

// Key-storage devices, recovery and handover: the device officer manages, others read
allow("device_officer", ["device.create", "device.import", "device.transition", "device.attach", "device.lock", "device.recover", "handover.create"]);
allow(["admin", "clerk", "reviewer", "ca_operator", "device_officer", "auditor"], ["device.read", "handover.read"]);
// The handover record (Mẫu 07, PDF) carries the receiver's identity number unmasked.
allow(["device_officer", "clerk", "reviewer"], "handover.document");
// The device station issues onto a token: a device officer may have an accepted dossier's
// certificate issued from a CSR signed on the device (never a server-side key).
allow("device_officer", "certificate.issue", (_actor, input?: { dossierId?: string; key?: { csr?: string } }) =>
  input === undefined || (Boolean(input.dossierId) && typeof input.key?.csr === "string"));

export {};
