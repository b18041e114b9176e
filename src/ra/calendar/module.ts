import type { Module } from "../../service";
import { register } from "../../http/routes/calendar/calendar";

/** The working-day calendar: holidays, official days off, review deadlines. */
export const calendarModule: Module = {
  name: "calendar",
  routes: register,
};
