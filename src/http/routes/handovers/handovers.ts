import type { Actor } from "../../../auth/actor";
import { personalView } from "../../../policy/personalData";
import type { ApiRouter } from "../../route";
import * as S from "./schema";
import { createHandover, handoverRecordPdf, personOf, readHandover, type HandoverView } from "../../../ra/devices/handover";
import { presentDevice } from "../devices/present";
import { scheduleHandover } from "../../../ra/devices/scheduleHandover";

const tags = ["handovers"];

/** A handover as this actor may see it: the receiver's identity number masked unless "dossier.read_personal". */
export const presentHandover = (v: HandoverView, actor: Actor) => personalView(actor, presentHandoverFields(v));

const presentHandoverFields = (v: HandoverView) => ({
  id: v.handover.id,
  number: v.handover.number,
  place: { kind: v.handover.place_kind, address: v.handover.place },
  handedAt: v.handover.handed_at,
  handingOfficer: personOf(v.handover.handing_officer),
  receiver: personOf(v.handover.receiver),
  dossierId: v.handover.dossier_id,
  notes: v.handover.notes,
  recordSha256: v.handover.record_sha256,
  items: v.items.map((i) => ({
    position: i.position,
    subscriber: i.subscriber_name,
    certificateSerial: i.certificate_serial,
    validFrom: i.certificate.not_before,
    validTo: i.certificate.not_after,
    notes: i.notes,
    device: presentDevice(i.device),
  })),
  dossiersHandedOver: v.dossiersHandedOver,
  createdAt: v.handover.created_at,
  createdBy: v.handover.created_by,
});

export function register(api: ApiRouter) {
  api.add({
    method: "post", path: "/api/handover-appointments", summary: "Appoint the handover of a dossier's devices: e-mails the time and place (ready for handover)", tags,
    action: "handover.create", input: S.ScheduleHandoverSchema,
    handler: async (ctx, { body }) => {
      ctx.status = 202;
      ctx.body = await scheduleHandover(ctx.services.db, ctx.state.actor!, body);
    },
  });
  api.add({
    method: "post", path: "/api/handovers", summary: "Hand devices with their certificates over (biên bản Mẫu 07)", tags, action: "handover.create", input: S.CreateHandoverSchema,
    handler: async (ctx, { body }) => {
      const v = await createHandover(ctx.services.db, ctx.state.actor!, body);
      ctx.status = 201;
      ctx.body = presentHandover(v, ctx.state.actor!);
    },
  });
  api.add({
    method: "get", path: "/api/handovers/:id/handover-record.pdf", summary: "The handover record (biên bản bàn giao, Mẫu 07) as PDF; ETag = SHA-256", tags,
    action: "handover.document", input: S.HandoverIdSchema,
    responses: { 200: { description: "Biên bản bàn giao", mediaType: "application/pdf" } },
    handler: async (ctx, { params }) => {
      const r = await handoverRecordPdf(ctx.services.db, params.id);
      ctx.set("ETag", `"${r.sha256}"`);
      ctx.set("Cache-Control", "private, no-cache");
      if (ctx.get("if-none-match") === `"${r.sha256}"`) {
        ctx.status = 304;
        return;
      }
      ctx.type = "application/pdf";
      ctx.set("Content-Disposition", `inline; filename="bien-ban-ban-giao-${r.number.replace(/\//g, "-")}.pdf"`);
      ctx.body = r.pdf;
    },
  });
  api.add({
    method: "get", path: "/api/handovers/:id", summary: "A handover", tags, action: "handover.read", input: S.HandoverIdSchema,
    handler: async (ctx, { params }) => {
      ctx.body = presentHandover(await readHandover(ctx.services.db, params.id), ctx.state.actor!);
    },
  });
}
