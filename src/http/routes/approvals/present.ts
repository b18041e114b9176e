import { fromJson } from "../../../store/db";
import type { ApprovalRow } from "../../../approvals/approvals";
import { messages } from "../../../messages";

export const presentApproval = (a: ApprovalRow) => ({
  id: a.id,
  operation: a.operation,
  label: messages.security.operationLabel(a.operation),
  summary: a.summary,
  payload: fromJson<unknown>(a.payload),
  status: a.status,
  requestedBy: a.requested_by_name,
  requestedAt: a.requested_at,
  expiresAt: a.expires_at,
  decidedBy: a.decided_by_name,
  decidedAt: a.decided_at,
  reason: a.reason,
  result: a.result ? fromJson<unknown>(a.result) : null,
});
