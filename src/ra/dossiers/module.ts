import type { Module } from "../../service";
import * as requests from "../../http/routes/requests/requests";

/** Request dossiers (step 1 of the procedure): the /api/requests routes. */
export const dossiersModule: Module = {
  name: "dossiers",
  routes(api) {
    requests.register(api);
  },
};
