import type { Command } from "commander";
import { withDatabase } from "./context";
import { createUser, issueToken, setPassword } from "../auth/users";
import { randomPassword } from "../auth/passwords";
import { cliActor, ROLES, type Role } from "../auth/actor";
import * as store from "../store/users";
import { createEnrolment, loadEnrolmentKey } from "../auth/enrolment";
import type { Services } from "../service";
import { vnDateTime } from "../web/render";

export function registerUserCommands(program: Command) {
  const users = program.command("users").description("Người dùng và mã truy cập");
  users
    .command("create")
    .description("Tạo người dùng với vai trò, và in mã truy cập của họ (chỉ hiện một lần)")
    .requiredOption("-u, --username <username>", "tên đăng nhập")
    .requiredOption("-n, --name <fullName>", "họ và tên")
    .requiredOption("-r, --roles <roles>", `vai trò, phân cách bởi dấu phẩy (${ROLES.join(", ")})`)
    .option("-e, --email <email>", "thư điện tử công vụ")
    .option("--no-token", "không cấp mã truy cập")
    .action(async (o) => {
      await withDatabase(async (db) => {
        const roles = String(o.roles).split(",").map((r) => r.trim()) as Role[];
        const user = await createUser(db, cliActor, { username: o.username, fullName: o.name, email: o.email, roles });
        const out: Record<string, unknown> = { id: user.id, username: user.username, roles };
        if (o.token) out.token = (await issueToken(db, cliActor, user.id, { label: "cli" })).secret;
        process.stdout.write(JSON.stringify(out, null, 2) + "\n");
      });
    });
  users
    .command("token")
    .description("Cấp thêm mã truy cập cho một người dùng")
    .argument("<username>")
    .option("--days <n>", "hết hạn sau số ngày", (v) => parseInt(v, 10))
    .action(async (username: string, o) => {
      await withDatabase(async (db) => {
        const user = await store.getByUsername(db, username);
        if (!user) throw new Error(`không tìm thấy người dùng ${username}`);
        const expiresAt = o.days ? new Date(Date.now() + o.days * 86400_000) : undefined;
        const t = await issueToken(db, cliActor, user.id, { label: "cli", expiresAt });
        process.stdout.write(t.secret + "\n");
      });
    });
  users
    .command("passwd")
    .description("Đặt mật khẩu đăng nhập web (in ra mật khẩu ngẫu nhiên nếu không đưa --password)")
    .argument("<username>")
    .option("-p, --password <password>", "mật khẩu mới (ít nhất 12 ký tự)")
    .action(async (username: string, o) => {
      await withDatabase(async (db) => {
        const user = await store.getByUsername(db, username);
        if (!user) throw new Error(`không tìm thấy người dùng ${username}`);
        const pw = o.password ?? randomPassword();
        if (pw.length < 12) throw new Error("mật khẩu phải có ít nhất 12 ký tự");
        await setPassword(db, cliActor, user.id, pw);
        if (!o.password) process.stdout.write(pw + "\n");
      });
    });
  users
    .command("enrol")
    .description("Gửi mã kích hoạt một lần tới thư điện tử đã đăng ký của người dùng (mã không bao giờ được in ra)")
    .argument("<username>")
    .action(async (username: string) => {
      await withDatabase(async (db, config) => {
        const user = await store.getByUsername(db, username);
        if (!user) throw new Error(`không tìm thấy người dùng ${username}`);
        // The same command as POST /api/users/{id}/enrolment; the running service's outbox sends the mail.
        const services = { db, config, enrolmentKey: loadEnrolmentKey(config.dataDir) } as unknown as Services;
        const e = await createEnrolment(services, cliActor, user.id);
        const masked = e.email.replace(/^(.).*(@.*)$/, "$1***$2");
        process.stdout.write(`Đã xếp thư gửi mã kích hoạt cho ${e.username} tới ${masked}; mã hết hạn lúc ${vnDateTime(e.expiresAt)} (giờ Hà Nội).\n`);
      });
    });
  users
    .command("list")
    .description("Liệt kê người dùng")
    .action(async () => {
      await withDatabase(async (db) => {
        for (const u of await store.list(db)) {
          process.stdout.write(`${u.username}\t${(await store.rolesOf(db, u.id)).join(",")}\t${u.full_name}\n`);
        }
      });
    });
}
