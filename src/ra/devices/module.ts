import type { Module } from "../../service";
import * as routes from "../../http/routes/devices/devices";

/** Key-storage devices: inventory, lifecycle, recovery and handover (issue 7). */
export const devices: Module = {
  name: "devices",
  routes(api) {
    routes.register(api);
  },
};
