import type { Module } from "./service";
import { core } from "./http/routes/core";
import { calendarModule } from "./ra/calendar/module";
import { mailModule } from "./mail/module";
import { publicSite } from "./web/public/module";
import { staffAuth } from "./web/staff/module";
import { dossiersModule } from "./ra/dossiers/module";
import { reviewModule } from "./ra/review/module";
import { documentsModule } from "./documents/module";
import { ca } from "./ca/module";
import { devices } from "./ra/devices/module";
import { directory } from "./directory/module";
import { statusModule } from "./status/module";
import { security } from "./security/module";
import { enrolmentModule } from "./auth/module";

/** The capabilities of the service, in start order. Each is one folder under src/. */
export const modules: Module[] = [
  core,
  calendarModule,
  mailModule,
  enrolmentModule,
  publicSite,
  staffAuth,
  dossiersModule,
  documentsModule,
  reviewModule,
  ca,
  statusModule,
  directory,
  security,
  devices,
];
