import type { ApiRouter } from "../../http/route";
import { registerDashboard } from "./dashboard";
import { registerDossierPages } from "./dossiers";
import { registerReviewPages } from "./review";
import { registerCertificatePages } from "./certificates";
import { registerDevicePages } from "./devices";
import { registerDirectoryPages } from "./directory";
import { registerAuditPages } from "./audit";
import { registerApprovalPages } from "./approvals";
import { registerCalendarPages } from "./calendar";
import { registerOutboxPages } from "./outbox";
import { registerUserPages } from "./users";
import { registerAccountPages } from "./account";

/** Every page of the staff interface (Vietnamese paths under /quan-tri). */
export function registerStaffPages(api: ApiRouter) {
  registerDashboard(api);
  registerDossierPages(api);
  registerReviewPages(api);
  registerCertificatePages(api);
  registerDevicePages(api);
  registerDirectoryPages(api);
  registerAuditPages(api);
  registerApprovalPages(api);
  registerCalendarPages(api);
  registerOutboxPages(api);
  registerUserPages(api);
  registerAccountPages(api);
}
