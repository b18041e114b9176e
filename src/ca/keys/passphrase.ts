import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { Config } from "../../config";
import type { Logger } from "../../log";

export interface PassphraseSource {
  passphrase: string;
  /** env | file | development (generated into DATA_DIR/ca-passphrase) */
  source: "env" | "file" | "development";
}

/**
 * The passphrase that unlocks CA keys: CA_PASSPHRASE, or the first line of CA_PASSPHRASE_FILE.
 * With neither (development), a random one is generated once into DATA_DIR/ca-passphrase with mode
 * 0600 and a loud warning; in production (NODE_ENV=production) that is refused.
 */
export function resolvePassphrase(config: Config, log?: Logger, opts: { create?: boolean } = { create: true }): PassphraseSource {
  if (config.CA_PASSPHRASE) return { passphrase: config.CA_PASSPHRASE, source: "env" };
  if (config.CA_PASSPHRASE_FILE) {
    const text = fs.readFileSync(config.CA_PASSPHRASE_FILE, "utf8").split(/\r?\n/)[0];
    if (!text || text.length < 8) throw new Error(`CA_PASSPHRASE_FILE ${config.CA_PASSPHRASE_FILE}: the passphrase must have at least 8 characters`);
    return { passphrase: text, source: "file" };
  }
  const file = path.join(config.dataDir, "ca-passphrase");
  if (fs.existsSync(file)) {
    log?.warn({ file }, "CA_PASSPHRASE không được đặt: dùng cụm mật khẩu PHÁT TRIỂN trong tệp dữ liệu — không dùng cho hệ thống thật");
    return { passphrase: fs.readFileSync(file, "utf8").trim(), source: "development" };
  }
  if (process.env.NODE_ENV === "production") {
    throw new Error("CA_PASSPHRASE or CA_PASSPHRASE_FILE is required in production");
  }
  if (opts.create === false) throw new Error("CA_PASSPHRASE or CA_PASSPHRASE_FILE is not set");
  const passphrase = crypto.randomBytes(32).toString("base64url");
  fs.mkdirSync(config.dataDir, { recursive: true });
  fs.writeFileSync(file, passphrase + "\n", { mode: 0o600, flag: "wx" });
  fs.chmodSync(file, 0o600);
  log?.warn(
    { file },
    "CẢNH BÁO: CA_PASSPHRASE không được đặt — đã sinh cụm mật khẩu PHÁT TRIỂN ngẫu nhiên vào tệp này (quyền 0600). Hệ thống thật phải đặt CA_PASSPHRASE hoặc CA_PASSPHRASE_FILE.",
  );
  return { passphrase, source: "development" };
}
