import fs from "node:fs";
import path from "node:path";
import type { Services } from "../service";
import * as users from "../store/users";
import { createUser, issueToken, setPassword } from "./users";
import { randomPassword } from "./passwords";
import { systemActor } from "./actor";

/**
 * First start with an empty database: create an admin and write its token to
 * $DATA_DIR/admin.token (mode 0600). The token itself is never logged, only where it is.
 */
export async function bootstrapAdmin(s: Services): Promise<void> {
  if ((await users.count(s.db)) > 0) return;
  const admin = await createUser(s.db, systemActor, { username: "admin", fullName: "Quản trị hệ thống", roles: ["admin"] });
  const token = await issueToken(s.db, systemActor, admin.id, { label: "bootstrap" });
  const file = path.join(s.config.dataDir, "admin.token");
  fs.writeFileSync(file, token.secret + "\n", { mode: 0o600 });
  fs.chmodSync(file, 0o600);
  // A password for the web sign-in, beside the token, under the same protection.
  const password = randomPassword();
  await setPassword(s.db, systemActor, admin.id, password);
  const pwFile = path.join(s.config.dataDir, "admin.password");
  fs.writeFileSync(pwFile, password + "\n", { mode: 0o600 });
  fs.chmodSync(pwFile, 0o600);
  s.log.warn({ file, passwordFile: pwFile }, "Đã tạo tài khoản quản trị đầu tiên (admin); mã truy cập và mật khẩu được ghi vào các tệp này (chỉ chủ sở hữu đọc được)");
}
