import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { Config } from "../config";

/** The file in DATA_DIR holding the key of person RDNs (created 0600 on first start). */
export const PERSON_KEY_FILE = "directory-rdn.key";

/**
 * The secret key of person RDNs (dit.ts personId): DIRECTORY_RDN_KEY when configured (every node
 * of a multi-node deployment must use the same one, as must the CLI), otherwise
 * $DATA_DIR/directory-rdn.key — 32 random bytes, base64url, created 0600 on first use like
 * admin.token. Losing or changing it moves every person entry to a new DN once (the reconciliation
 * and `chungthu directory resync` repair the directory); it protects nothing else.
 */
export function loadPersonKey(config: Pick<Config, "dataDir"> & { DIRECTORY_RDN_KEY?: string }): Buffer {
  if (config.DIRECTORY_RDN_KEY) return Buffer.from(config.DIRECTORY_RDN_KEY, "utf8");
  const file = path.join(config.dataDir, PERSON_KEY_FILE);
  try {
    return readKey(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
  }
  fs.mkdirSync(config.dataDir, { recursive: true });
  try {
    // "wx": two processes starting at once cannot both write a key; the loser reads the winner's.
    fs.writeFileSync(file, crypto.randomBytes(32).toString("base64url") + "\n", { mode: 0o600, flag: "wx" });
    fs.chmodSync(file, 0o600);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
  }
  return readKey(file);
}

function readKey(file: string): Buffer {
  const text = fs.readFileSync(file, "utf8").trim();
  const key = Buffer.from(text, "base64url");
  if (key.length < 32) throw new Error(`${file}: the directory RDN key must hold at least 32 bytes (base64url)`);
  return key;
}
