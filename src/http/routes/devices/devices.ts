import type { ApiRouter } from "../../route";
import * as S from "./schema";
import * as store from "../../../store/devices";
import { createDevice, importDevices, readDevice, transitionDevice } from "../../../ra/devices/inventory";
import { attachCertificate, deviceOfCertificate } from "../../../ra/devices/deviceCertificates";
import { lockDevice, recordPinFailures, recoverDevice } from "../../../ra/devices/recovery";
import { mustGetDevice } from "../../../ra/devices/moveDevice";
import { refreshAllReturnDeadlines } from "../../../ra/devices/refreshReturnDeadline";
import { guardReinitialize } from "../../../approvals/deviceReinitialize";
import { presentApproval } from "../approvals/present";
import { presentDevice, presentDeviceCertificate, presentEvent, presentRecovery } from "./present";

const tags = ["devices"];

export function register(api: ApiRouter) {
  api.add({
    method: "get", path: "/api/devices", summary: "List key-storage devices", tags, action: "device.read", input: S.ListDevicesSchema,
    handler: async (ctx, { query }) => {
      const db = ctx.services.db;
      if (query.overdue === "true") await refreshAllReturnDeadlines(db);
      const r = await store.list(db, { ...query, overdue: query.overdue === "true" });
      ctx.body = { items: r.items.map(presentDevice), total: r.total, limit: query.limit, offset: query.offset };
    },
  });
  api.add({
    method: "post", path: "/api/devices", summary: "Add a device to the inventory (in stock)", tags, action: "device.create", input: S.CreateDeviceSchema,
    responses: { 201: { description: "Đã nhập thiết bị", schema: S.DeviceSchema } },
    handler: async (ctx, { body }) => {
      ctx.status = 201;
      ctx.body = presentDevice(await createDevice(ctx.services.db, ctx.state.actor!, body));
    },
  });
  api.add({
    method: "post", path: "/api/devices/import", summary: "Bulk import devices from CSV (Số sê-ri, Mẫu thiết bị, Nhà sản xuất, Nhãn token, Loại)",
    tags, action: "device.import", input: S.ImportDevicesSchema, bodyType: "text/csv",
    handler: async (ctx, { query, body }) => {
      const r = await importDevices(ctx.services.db, ctx.state.actor!, body, { validOnly: query.mode === "valid-only" });
      ctx.status = r.imported.length ? 201 : 200;
      ctx.body = { imported: r.imported.length, items: r.imported.map(presentDevice), rejected: r.rejected };
    },
  });
  api.add({
    method: "get", path: "/api/devices/:id", summary: "A device with its history", tags, action: "device.read", input: S.DeviceIdSchema,
    handler: async (ctx, { params }) => {
      const db = ctx.services.db;
      const d = await readDevice(db, params.id);
      ctx.body = {
        ...presentDevice(d),
        events: (await store.events(db, d.id)).map(presentEvent),
        recoveries: (await store.recoveries(db, d.id)).map(presentRecovery),
      };
    },
  });
  api.add({
    method: "post", path: "/api/devices/:id/transition", summary: "Move a device along its lifecycle", tags, action: "device.transition", input: S.TransitionSchema,
    responses: { 200: { description: "Trạng thái mới", schema: S.DeviceSchema }, 409: { description: "Chuyển trạng thái không được phép" } },
    handler: async (ctx, { params, body }) => {
      ctx.body = presentDevice(await transitionDevice(ctx.services.db, ctx.state.actor!, params.id, body.to, body.reason));
    },
  });
  api.add({
    method: "get", path: "/api/devices/:id/certificates", summary: "Certificates on this device", tags, action: "device.read", input: S.DeviceIdSchema,
    handler: async (ctx, { params }) => {
      const db = ctx.services.db;
      const d = await mustGetDevice(db, params.id);
      const items = (await store.certificatesOn(db, d.id)).map(presentDeviceCertificate);
      ctx.body = { items, total: items.length };
    },
  });
  api.add({
    method: "post", path: "/api/devices/:id/certificates", summary: "Register that a certificate is on this device", tags, action: "device.attach", input: S.AttachCertificateSchema,
    handler: async (ctx, { params, body }) => {
      ctx.body = presentDevice(await attachCertificate(ctx.services.db, ctx.state.actor!, params.id, body.serial.toLowerCase().replace(/^0+(?=.)/, "")));
    },
  });
  api.add({
    method: "get", path: "/api/certificates/:serial/device", summary: "Which device holds this certificate", tags, action: "device.read", input: S.CertificateSerialSchema,
    handler: async (ctx, { params }) => {
      ctx.body = presentDevice(await deviceOfCertificate(ctx.services.db, params.serial.toLowerCase().replace(/^0+(?=.)/, "")));
    },
  });
  api.add({
    method: "post", path: "/api/devices/:id/lock", summary: "Record that the device locked after wrong PINs", tags, action: "device.lock", input: S.LockSchema,
    handler: async (ctx, { params, body }) => {
      ctx.body = presentDevice(await lockDevice(ctx.services.db, ctx.state.actor!, params.id, body));
    },
  });
  api.add({
    method: "post", path: "/api/devices/:id/pin-failures", summary: "Count wrong PINs seen at the station; locks at the limit", tags, action: "device.lock", input: S.PinFailuresSchema,
    handler: async (ctx, { params, body }) => {
      ctx.body = presentDevice(await recordPinFailures(ctx.services.db, ctx.state.actor!, params.id, body));
    },
  });
  api.add({
    method: "post", path: "/api/devices/:id/recover", summary: "Record a recovery for an accepted Mẫu 06 dossier (dryRun checks only)", tags, action: "device.recover", input: S.RecoverSchema,
    handler: async (ctx, { params, body }) => {
      // Re-initialisation destroys keys: dual control (src/approvals/deviceReinitialize.ts).
      const waiting = await guardReinitialize(ctx.services, ctx.state.actor!, params.id, body);
      if (waiting) {
        ctx.status = 202;
        ctx.body = presentApproval(waiting);
        return;
      }
      const r = await recoverDevice(ctx.services.db, ctx.state.actor!, params.id, body);
      ctx.status = r.recovery ? 201 : 200;
      ctx.body = { device: presentDevice(r.device), method: r.method, recovery: r.recovery ? presentRecovery(r.recovery) : null };
    },
  });
}
