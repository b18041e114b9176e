import type { Module } from "../service";
import * as routes from "../http/routes/documents/documents";

/** Documents: the request forms as PDF and the stored documents of a dossier. */
export const documentsModule: Module = {
  name: "documents",
  routes(api) {
    routes.register(api);
  },
};
