import type { Module } from "../../service";
import { register } from "../../http/routes/review/review";

/** Step 2 of the procedure: reception and review of dossiers within 03 working days. */
export const reviewModule: Module = {
  name: "review",
  routes: register,
};
