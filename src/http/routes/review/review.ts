import type { ApiRouter } from "../../route";
import * as S from "./schema";
import { presentDossier } from "../requests/present";
import { presentCounts, presentDeficiency, presentFinding, presentQueueItem, presentReason, presentReviewerLoad } from "./present";
import { submitDossier } from "../../../ra/commands/submitDossier";
import { reviewDossier } from "../../../ra/commands/reviewDossier";
import { withdrawDossier } from "../../../ra/commands/withdrawDossier";
import { mustGetDossier } from "../../../ra/dossiers/queries";
import { findingsFor } from "../../../ra/review/findings";
import { byReviewer, counts, queue } from "../../../ra/review/queue";
import { deficiencyCatalogue } from "../../../ra/review/deficiencies";
import * as reviews from "../../../store/reviews";

/** The review of dossiers: submit, review decisions, findings, deficiencies, queues and counts. */
export function register(api: ApiRouter) {
  api.add({
    method: "post", path: "/api/requests/:id/submit", summary: "Mark a draft or corrected dossier as received; starts the 03-working-day clock",
    tags: ["review"], action: "dossier.submit", input: S.SubmitSchema,
    handler: async (ctx, { params, body }) => {
      ctx.body = presentDossier(await submitDossier(ctx.services.db, ctx.state.actor!, params.id, body ?? {}), ctx.state.actor!);
    },
  });
  api.add({
    method: "post", path: "/api/requests/:id/review", summary: "Reviewer's decision: start, request_correction (deficiencies), accept, reject (reason)",
    tags: ["review"], action: "dossier.review", input: S.ReviewSchema,
    handler: async (ctx, { params, body }) => {
      ctx.body = presentDossier(await reviewDossier(ctx.services.db, ctx.state.actor!, params.id, body), ctx.state.actor!);
    },
  });
  api.add({
    method: "post", path: "/api/requests/:id/withdraw", summary: "The agency withdraws its request (with the reason)",
    tags: ["review"], action: "dossier.withdraw", input: S.WithdrawSchema,
    handler: async (ctx, { params, body }) => {
      ctx.body = presentDossier(await withdrawDossier(ctx.services.db, ctx.state.actor!, params.id, body), ctx.state.actor!);
    },
  });
  api.add({
    method: "get", path: "/api/requests/:id/findings", summary: "What the system found for the reviewer (valid certificates, duplicates, contradictions)",
    tags: ["review"], action: "review.read", input: S.IdSchema,
    handler: async (ctx, { params }) => {
      const d = await mustGetDossier(ctx.services.db, params.id);
      const items = (await findingsFor(ctx.services.db, d)).map(presentFinding);
      ctx.body = { items, total: items.length };
    },
  });
  api.add({
    method: "get", path: "/api/requests/:id/deficiencies", summary: "The deficiencies notified to the agency, by round",
    tags: ["review"], action: "dossier.read", input: S.IdSchema,
    handler: async (ctx, { params }) => {
      await mustGetDossier(ctx.services.db, params.id);
      const items = (await reviews.deficiencies(ctx.services.db, params.id)).map(presentDeficiency);
      ctx.body = { items, total: items.length };
    },
  });
  api.add({
    method: "get", path: "/api/review/deficiency-reasons", summary: "Catalogue of common deficiency reasons",
    tags: ["review"], action: "dossier.read",
    handler: (ctx) => {
      const items = deficiencyCatalogue().map(presentReason);
      ctx.body = { items, total: items.length };
    },
  });
  api.add({
    method: "get", path: "/api/review/queue", summary: "Dossiers under the review clock: overdue, due today, by reviewer",
    tags: ["review"], action: "review.read", input: S.QueueSchema,
    handler: async (ctx, { query }) => {
      if (query.view === "by_reviewer") {
        const items = (await byReviewer(ctx.services.db)).map(presentReviewerLoad);
        ctx.body = { view: query.view, items, total: items.length };
        return;
      }
      const r = await queue(ctx.services.db, query);
      ctx.body = { view: query.view, items: r.rows.map(presentQueueItem), total: r.total, limit: query.limit, offset: query.offset };
    },
  });
  api.add({
    method: "get", path: "/api/review/counts", summary: "Counts for the review dashboard",
    tags: ["review"], action: "review.read",
    handler: async (ctx) => {
      ctx.body = presentCounts(await counts(ctx.services.db));
    },
  });
}
