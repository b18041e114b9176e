/**
 * Every text a person reads, in Vietnamese, by capability. Logic imports `messages` and never
 * writes user-facing strings inline.
 */
import { common } from "./common";
import { users } from "./users";
import { calendar } from "./calendar";
import { web } from "./web";
import { dossiers } from "./dossiers";
import { review } from "./review";
import { documents } from "./documents";
import { ca } from "./ca";
import { devices } from "./devices";
import { directory } from "./directory";
import { status } from "./status";
import { security } from "./security";
import { publicSite } from "./publicSite";
import { staffMessages as staff } from "./staff";

export const messages = {
  common,
  users,
  calendar,
  web,
  dossiers,
  review,
  documents,
  ca,
  directory,
  devices,
  status,
  security,
  publicSite,
  staff,
};
