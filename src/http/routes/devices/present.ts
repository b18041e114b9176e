import type * as store from "../../../store/devices";
import { ALLOWED_TRANSITIONS, STATE_LABELS } from "../../../ra/devices/lifecycle";

export const presentDevice = (d: store.DeviceRow) => ({
  id: d.id,
  serial: d.serial,
  model: d.model,
  manufacturer: d.manufacturer,
  tokenLabel: d.token_label,
  kind: d.kind,
  state: d.state,
  stateLabel: STATE_LABELS[d.state],
  holder: { dossierId: d.holder_dossier_id, subscriberIndex: d.holder_subscriber_index, name: d.holder_name },
  wrongPinCount: Number(d.wrong_pin_count),
  lockCount: Number(d.lock_count),
  lockedAt: d.locked_at,
  returnDeadline: d.return_deadline,
  returnReasonAt: d.return_reason_at,
  allowedTransitions: [...ALLOWED_TRANSITIONS[d.state]],
  createdAt: d.created_at,
  updatedAt: d.updated_at,
});

export const presentEvent = (e: store.DeviceEventRow) => ({
  at: e.at, actor: e.actor, from: e.from_state, to: e.to_state, reason: e.reason,
});

export const presentDeviceCertificate = (c: store.DeviceCertificateRow) => ({
  serial: c.serial, caName: c.ca_name, status: c.status, subject: c.subject_dn, holder: c.subject_cn, agency: c.subject_o,
  notBefore: c.not_before, notAfter: c.not_after, revokedAt: c.revoked_at, handedOverAt: c.handed_over_at, publishedAt: c.published_at,
});

export const presentRecovery = (r: store.RecoveryRow) => ({
  id: r.id, dossierId: r.dossier_id, method: r.method, keysDestroyed: Boolean(r.keys_destroyed),
  performedAt: r.performed_at, performedBy: r.performed_by, notes: r.notes,
});
