/**
 * Every text a person reads, in Vietnamese, by capability. Logic imports `messages` and never
 * writes user-facing strings inline.
 */
import { common } from "./common";
import { users } from "./users";
import { publicSite } from "./publicSite";

export const messages = { common, users, publicSite };
