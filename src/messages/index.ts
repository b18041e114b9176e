/**
 * Every text a person reads, in Vietnamese, by capability. Logic imports `messages` and never
 * writes user-facing strings inline.
 */
import { common } from "./common";
import { users } from "./users";
import { calendar } from "./calendar";
import { dossiers } from "./dossiers";
import { devices } from "./devices";

export const messages = { common, users, calendar, dossiers, devices };
