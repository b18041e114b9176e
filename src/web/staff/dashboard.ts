import type { ApiRouter } from "../../http/route";
import { addPage, actorOf, view } from "./page";
import { can } from "../../policy/policy";
import { counts, queue } from "../../ra/review/queue";
import { presentCounts, presentQueueItem } from "../../http/routes/review/present";
import { DOSSIER_STATUSES } from "../../ra/dossiers/schema";
import { dossierStatusNames } from "../../messages/dossiers";
import { deadlineViews } from "./workingDays";

/** /quan-tri: dossiers by state, the review queue (overdue in red, due today) with working days left. */
export function registerDashboard(api: ApiRouter) {
  addPage(api, "get", "/quan-tri", null, async (ctx) => {
    const actor = actorOf(ctx);
    const data: Record<string, unknown> = { title: "Bảng điều khiển" };
    if (can(actor, "dossier.list")) {
      const c = presentCounts(await counts(ctx.services.db));
      data.byStatus = DOSSIER_STATUSES.map((s) => ({ status: s, name: dossierStatusNames[s], n: c.byStatus[s] ?? 0 }));
      data.counts = c;
    }
    if (can(actor, "review.read")) {
      const r = await queue(ctx.services.db, { view: "all", limit: 100, offset: 0 });
      const items = r.rows.map(presentQueueItem);
      const deadlines = await deadlineViews(ctx.services.db, items);
      data.queue = items.map((it, i) => ({ ...it, due: deadlines[i] }));
      data.queueTotal = r.total;
    }
    view(ctx, "staff/dashboard.njk", data);
  });
}
