import type { Module } from "./service";
import { core } from "./http/routes/core";
import { publicSite } from "./web/public/module";
import { staffAuth } from "./web/staff/module";
import { directory } from "./directory/module";

/** The capabilities of the service, in start order. Each is one folder under src/. */
export const modules: Module[] = [core, publicSite, staffAuth, directory];
