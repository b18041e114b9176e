import fs from "node:fs";
import path from "node:path";
import type { Services } from "../service";
import * as users from "../store/users";
import { createUser, issueToken } from "./users";
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
  s.log.warn({ file }, "Đã tạo tài khoản quản trị đầu tiên; mã truy cập được ghi vào tệp này (chỉ chủ sở hữu đọc được)");
}
