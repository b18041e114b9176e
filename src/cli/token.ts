import type { Command } from "commander";
import * as p11 from "../station/pkcs11";
import * as station from "../station/station";
import { ServiceClient } from "../station/client";

/**
 * `chungthu token …`: the device station. Runs on the officer's workstation where the tokens are
 * plugged in, speaks PKCS#11 to them (any vendor's module) and HTTP to the service.
 * PINs may come from the environment (CHUNGTHU_USER_PIN, CHUNGTHU_SO_PIN, CHUNGTHU_NEW_PIN) so they
 * stay out of the process list.
 */
const out = (v: unknown): void => {
  process.stdout.write(JSON.stringify(v, null, 2) + "\n");
};
const env = (k: string) => process.env[k] || undefined;
const need = (v: string | undefined, what: string): string => {
  if (!v) throw new Error(`thiếu ${what}`);
  return v;
};

function clientOf(o: { url?: string; token?: string }, required: true): ServiceClient;
function clientOf(o: { url?: string; token?: string }, required?: boolean): ServiceClient | undefined;
function clientOf(o: { url?: string; token?: string }, required = false) {
  const url = o.url ?? env("CHUNGTHU_URL");
  const token = o.token ?? env("CHUNGTHU_TOKEN");
  if (!url || !token) {
    if (required) throw new Error("cần --url và --token (hoặc CHUNGTHU_URL, CHUNGTHU_TOKEN) của cán bộ quản lý thiết bị");
    return undefined;
  }
  return new ServiceClient(url, token);
}

const withCommon = (c: Command) =>
  c
    .option("--module <path>", "thư viện PKCS#11 của hãng token", p11.DEFAULT_MODULE)
    .option("--url <url>", "địa chỉ dịch vụ chungthu (hoặc CHUNGTHU_URL)")
    .option("--token <token>", "mã truy cập của cán bộ quản lý thiết bị (hoặc CHUNGTHU_TOKEN)");

export function registerTokenCommands(program: Command) {
  const token = program.command("token").description("Trạm thiết bị: token PKCS#11 (khởi tạo, nạp khóa và chứng thư, khôi phục, hủy khóa)");

  withCommon(token.command("list").description("Liệt kê các token đang cắm"))
    .action((o) => out(p11.withModule(o.module, (m) => p11.listTokens(m))));

  withCommon(token.command("enrol").description("Sinh cặp khóa trên token, xin cấp chứng thư, nạp chứng thư và chuỗi CA lên token"))
    .requiredOption("--label <label>", "nhãn token")
    .requiredOption("--dossier <id>", "hồ sơ đề nghị cấp chứng thư")
    .requiredOption("--subscriber <n>", "số thứ tự thuê bao trong hồ sơ", (v) => parseInt(v, 10))
    .option("--init", "khởi tạo lại token (xóa toàn bộ dữ liệu trên token)", false)
    .option("--pin <pin>", "mã PIN người dùng mới (hoặc CHUNGTHU_USER_PIN)")
    .option("--so-pin <pin>", "mã PIN quản trị SO (hoặc CHUNGTHU_SO_PIN)")
    .option("--key-type <type>", "rsa2048 | rsa3072 | ec-p256", "rsa2048")
    .option("--subject <dn>", "tên phân biệt gợi ý trong CSR (CA ghi theo hồ sơ)")
    .option("--kind <kind>", "usb_token | hsm | sim", "usb_token")
    .option("--ca <name>", "tên CA để lấy chuỗi chứng thư, nếu dịch vụ không nêu")
    .action(async (o) => {
      out(await station.enrol({
        module: o.module, label: o.label, client: clientOf(o, true), init: Boolean(o.init),
        soPin: o.soPin ?? env("CHUNGTHU_SO_PIN"), userPin: need(o.pin ?? env("CHUNGTHU_USER_PIN"), "mã PIN người dùng (--pin)"),
        keyType: o.keyType, dossierId: o.dossier, subscriber: o.subscriber, subject: o.subject, kind: o.kind, caName: o.ca,
      }));
    });

  withCommon(token.command("recover").description("Khôi phục token bị khóa theo hồ sơ Mẫu 06 đã được chấp nhận"))
    .requiredOption("--label <label>", "nhãn token")
    .requiredOption("--dossier <id>", "hồ sơ đề nghị khôi phục thiết bị (Mẫu 06)")
    .option("--so-pin <pin>", "mã PIN quản trị SO (hoặc CHUNGTHU_SO_PIN)")
    .option("--new-pin <pin>", "mã PIN người dùng mới (hoặc CHUNGTHU_NEW_PIN)")
    .option("--method <m>", "unblock (mở khóa PIN) | reinitialize (khởi tạo lại, hủy khóa)", "unblock")
    .option("--notes <text>", "ghi chú cho biên bản khôi phục")
    .action(async (o) => {
      out(await station.recover({
        module: o.module, label: o.label, client: clientOf(o, true), dossierId: o.dossier,
        soPin: need(o.soPin ?? env("CHUNGTHU_SO_PIN"), "SO PIN (--so-pin)"), newPin: need(o.newPin ?? env("CHUNGTHU_NEW_PIN"), "mã PIN mới (--new-pin)"),
        method: o.method, notes: o.notes,
      }));
    });

  withCommon(token.command("check-pin").description("Thử mã PIN người dùng; nhập sai được báo về dịch vụ để đếm và khóa thiết bị"))
    .requiredOption("--label <label>", "nhãn token")
    .option("--pin <pin>", "mã PIN người dùng (hoặc CHUNGTHU_USER_PIN)")
    .action(async (o) => {
      const r = await station.checkPin({ module: o.module, label: o.label, pin: need(o.pin ?? env("CHUNGTHU_USER_PIN"), "mã PIN (--pin)"), client: clientOf(o) });
      out(r);
      if (!r.ok) process.exitCode = 2;
    });

  withCommon(token.command("destroy-keys").description("Hủy mọi khóa và chứng thư trên token (thiết bị thu hồi); báo về dịch vụ nếu có --url"))
    .requiredOption("--label <label>", "nhãn token")
    .option("--pin <pin>", "mã PIN người dùng (hoặc CHUNGTHU_USER_PIN)")
    .option("--reason <text>", "lý do")
    .action(async (o) => {
      out(await station.destroyKeys({ module: o.module, label: o.label, pin: need(o.pin ?? env("CHUNGTHU_USER_PIN"), "mã PIN (--pin)"), client: clientOf(o), reason: o.reason }));
    });
}
