import { allow } from "./policy";

/**
 * The rules. Each capability adds its sentences here, grouped by object.
 * (Separation of duties and dual control arrive with the security issue.)
 */

// Users and configuration
allow("admin", ["user.create", "user.list", "user.token", "user.roles", "calendar.edit"]);

// Outbox: operators see and replay the work queue
allow(["admin", "ca_operator", "auditor"], "outbox.list");
allow(["admin", "ca_operator"], "outbox.replay");

// Working-day calendar: every signed-in role reads it (deadlines); admin edits it (above)
allow(["admin", "clerk", "reviewer", "ca_operator", "device_officer", "auditor"], "calendar.read");

// Request dossiers: clerks create and edit them (while draft or awaiting correction, checked by the
// command); everyone who works on them reads them.
allow("clerk", ["dossier.create", "dossier.edit"]);
allow(["admin", "clerk", "reviewer", "ca_operator", "device_officer", "auditor"], ["dossier.read", "dossier.list"]);

// Audit
allow(["auditor", "admin"], "audit.read");

export {};

// Key-storage devices, recovery and handover: the device officer manages, others read
allow("device_officer", ["device.create", "device.import", "device.transition", "device.attach", "device.lock", "device.recover", "handover.create"]);
allow(["admin", "clerk", "reviewer", "ca_operator", "device_officer", "auditor"], ["device.read", "handover.read"]);
