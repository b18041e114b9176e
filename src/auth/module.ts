import type { Module } from "../service";
import { loadEnrolmentKey } from "./enrolment";
import { enrolmentMail } from "../mail/jobs/enrolment";
import { registerEnrolmentRoutes } from "../http/routes/users/enrolment";
import { registerEnrolmentPage } from "../web/staff/enrolment";
import "./privilegedRoles";

declare module "../service" {
  interface Services {
    /** HMAC key from which enrolment codes are derived ($DATA_DIR/enrolment.key). */
    enrolmentKey: Buffer;
  }
}

/** Enrolment: one-time codes by e-mail, redeemed by the user (API and the /kich-hoat page). */
export const enrolmentModule: Module = {
  name: "enrolment",
  init(s) {
    s.enrolmentKey = loadEnrolmentKey(s.config.dataDir);
  },
  routes(api) {
    registerEnrolmentRoutes(api);
    registerEnrolmentPage(api);
  },
  jobs: [enrolmentMail],
};
