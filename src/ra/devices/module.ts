import type { Module } from "../../service";
import * as routes from "../../http/routes/devices/devices";
import * as handoverRoutes from "../../http/routes/handovers/handovers";

/** Key-storage devices: inventory, lifecycle, recovery and handover (issue 7). */
export const devices: Module = {
  name: "devices",
  routes(api) {
    routes.register(api);
    handoverRoutes.register(api);
  },
};
