/**
 * Every text a person reads, in Vietnamese, by capability. Logic imports `messages` and never
 * writes user-facing strings inline.
 */
import { common } from "./common";
import { users } from "./users";
import { web } from "./web";
import { directory } from "./directory";

export const messages = { common, users, web, directory };
