import type { ApiRouter } from "../../route";
import * as S from "./schema";
import { createHandover, personOf, readHandover, type HandoverView } from "../../../ra/devices/handover";
import { presentDevice } from "../devices/present";

const tags = ["handovers"];

export const presentHandover = (v: HandoverView) => ({
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
    method: "post", path: "/api/handovers", summary: "Hand devices with their certificates over (biên bản Mẫu 07)", tags, action: "handover.create", input: S.CreateHandoverSchema,
    handler: async (ctx, { body }) => {
      const v = await createHandover(ctx.services.db, ctx.state.actor!, body);
      ctx.status = 201;
      ctx.body = presentHandover(v);
    },
  });
  api.add({
    method: "get", path: "/api/handovers/:id", summary: "A handover", tags, action: "handover.read", input: S.HandoverIdSchema,
    handler: async (ctx, { params }) => {
      ctx.body = presentHandover(await readHandover(ctx.services.db, params.id));
    },
  });
}
