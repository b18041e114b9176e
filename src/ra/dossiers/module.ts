import type { Module, Services } from "../../service";
import { systemActor } from "../../auth/actor";
import { settlePublishedCertificates } from "./fulfilment";
import * as requests from "../../http/routes/requests/requests";

/** Request dossiers (step 1 of the procedure): the /api/requests routes. */
export const dossiersModule: Module = {
  name: "dossiers",
  routes(api) {
    requests.register(api);
  },
  start(s: Services) {
    // The last step of an issuance dossier: published once its certificates are in the directory.
    s.directory?.publishedListeners.push(async (db, serials) => {
      await settlePublishedCertificates(db, systemActor, serials);
    });
  },
};
