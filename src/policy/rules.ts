import { allow } from "./policy";

/**
 * The rules. Each capability adds its sentences here, grouped by object.
 * (Separation of duties and dual control arrive with the security issue.)
 */

// Users and configuration
allow("admin", ["user.create", "user.list", "user.token", "user.roles", "user.password", "calendar.edit"]);

// Outbox: operators see and replay the work queue
allow(["admin", "ca_operator", "auditor"], "outbox.list");
allow(["admin", "ca_operator"], "outbox.replay");

// Working-day calendar: every signed-in role reads it (deadlines); admin edits it (above)
allow(["admin", "clerk", "reviewer", "ca_operator", "device_officer", "auditor"], "calendar.read");

// Request dossiers: clerks create and edit them (while draft or awaiting correction, checked by the
// command); everyone who works on them reads them.
allow("clerk", ["dossier.create", "dossier.edit"]);
allow(["admin", "clerk", "reviewer", "ca_operator", "device_officer", "auditor"], ["dossier.read", "dossier.list"]);

// Review (step 2): clerks record the receipt (submit) and withdrawals; only reviewers review.
// (Separation of duties between the clerk who submits and the reviewer comes with the security issue.)
allow("clerk", ["dossier.submit", "dossier.withdraw"]);
allow("reviewer", "dossier.review");
allow(["reviewer", "clerk", "admin", "auditor"], "review.read");

// Documents of a dossier (the request form as PDF, stored notices and records)
allow(["clerk", "reviewer", "auditor", "admin"], "dossier.document");

// Audit
allow(["auditor", "admin"], "audit.read");

export {};

// Key-storage devices, recovery and handover: the device officer manages, others read
allow("device_officer", ["device.create", "device.import", "device.transition", "device.attach", "device.lock", "device.recover", "handover.create"]);
allow(["admin", "clerk", "reviewer", "ca_operator", "device_officer", "auditor"], ["device.read", "handover.read"]);
// The device station issues onto a token: a device officer may have an accepted dossier's
// certificate issued from a CSR signed on the device (never a server-side key).
allow("device_officer", "certificate.issue", (_actor, input?: { dossierId?: string; key?: { csr?: string } }) =>
  input === undefined || (Boolean(input.dossierId) && typeof input.key?.csr === "string"));
