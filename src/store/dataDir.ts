import fs from "node:fs";
import type { Logger } from "../log";

/**
 * DATA_DIR holds the database (requesters' personal data, encrypted CA keys), the first admin's
 * credentials, the key files and the mail spool: only the service's own user may enter it. Created
 * 0700; an existing directory open to the group or others is closed (and said so in the log).
 * The processes themselves run with umask 077 (src/main.ts, src/cli/main.ts), so every file they
 * create there (SQLite and its WAL, PDFs, .eml files) is 0600.
 */
export function prepareDataDir(dir: string, log?: Logger): void {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const mode = fs.statSync(dir).mode & 0o777;
  if (mode & 0o077) {
    try {
      fs.chmodSync(dir, 0o700);
      log?.warn({ dir, before: mode.toString(8) }, "thư mục dữ liệu (DATA_DIR) đang mở cho người khác; đã đặt lại quyền 0700");
    } catch (err) {
      log?.warn({ dir, mode: mode.toString(8), err: (err as Error).message }, "thư mục dữ liệu (DATA_DIR) đang mở cho người khác và không đặt lại được quyền 0700");
    }
  }
}

/** Files created by this process are private to its user (0600 files, 0700 directories). */
export const privateUmask = () => process.umask(0o077);
