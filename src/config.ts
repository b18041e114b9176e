import path from "node:path";
import { z } from "zod";

/**
 * Every setting comes from the environment, is validated once at start, and a bad value stops the
 * service with a message that names the variable. The README documents each one in one table.
 */
const port = z.coerce.number().int().min(0).max(65535);
const optionalUrl = (protocols: string[]) =>
  z
    .string()
    .url()
    .refine((u) => protocols.includes(new URL(u).protocol), `must use ${protocols.join(" or ")}`)
    .optional();

export const ConfigSchema = z.object({
  HOST: z.string().min(1).default("127.0.0.1"),
  PORT: port.default(8080),
  DATA_DIR: z.string().min(1).default("./var"),
  DATABASE_URL: optionalUrl(["sqlite:", "file:", "postgres:", "postgresql:"]),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  /** Public base URL written into certificates (CRL DP, AIA) and e-mails. */
  PUBLIC_BASE_URL: z.string().url().optional(),
  /** Largest accepted request body, in bytes (a 10,000-person list is ~3.5 MB; its keys as CSRs ~10 MB). */
  BODY_LIMIT: z.coerce.number().int().min(1024).max(64 * 1024 * 1024).default(16 * 1024 * 1024),
  /** Embedded LDAP directory port; 0 picks a free port, "off" disables it. */
  LDAP_PORT: z.union([z.literal("off"), port]).default(1389),
  /** External directory (OpenLDAP) to publish into; when unset the embedded one is the directory. */
  LDAP_URL: optionalUrl(["ldap:", "ldaps:"]),
  LDAP_BIND_DN: z.string().optional(),
  LDAP_BIND_PASSWORD: z.string().optional(),
  LDAP_STARTTLS: z.enum(["true", "false"]).default("false").transform((v) => v === "true"),
  LDAP_BASE_DN: z.string().min(3).default("o=Ban Co yeu Chinh phu,c=VN"),
  /** Secret key of person RDNs (HMAC; ≥ 32 characters); unset: $DATA_DIR/directory-rdn.key, made on first start. */
  DIRECTORY_RDN_KEY: z.string().min(32).optional(),
  /** Mail goes to SMTP when set; otherwise .eml files under DATA_DIR/mail. */
  SMTP_URL: optionalUrl(["smtp:", "smtps:"]),
  MAIL_FROM: z.string().default("Cục Chứng thực số và Bảo mật thông tin <no-reply@ca.gov.vn>"),
  /** Passphrase protecting CA private keys at rest (or a file holding it). */
  CA_PASSPHRASE: z.string().min(8).optional(),
  CA_PASSPHRASE_FILE: z.string().optional(),
  /** Certificate policy OID written into every certificate. */
  CERTIFICATE_POLICY_OID: z
    .string()
    .regex(/^[0-2](\.\d+)+$/, "must be a dotted OID")
    .default("2.16.704.1.2.1.1.1"),
  /** Timestamp policy OID written into every RFC 3161 token (TSTInfo.policy). */
  TSA_POLICY_OID: z
    .string()
    .regex(/^[0-2](\.\d+)+$/, "must be a dotted OID")
    .default("2.16.704.1.2.1.3.1"),
  /** CRL validity (thisUpdate → nextUpdate) in hours; a new CRL is issued every CRL_REISSUE_HOURS. */
  CRL_VALIDITY_HOURS: z.coerce.number().positive().max(24 * 30).default(24),
  CRL_REISSUE_HOURS: z.coerce.number().positive().max(24 * 30).default(12),
  /** Validity of a pre-signed OCSP response in hours; it is re-signed at half-life. */
  OCSP_VALIDITY_HOURS: z.coerce.number().positive().max(24 * 7).default(96),
  /**
   * Seconds an OCSP answer held in memory is trusted before the database is read again for its
   * certificate: a revocation recorded by another node sharing the database is answered within this
   * time (revocations on this node drop the entry at once).
   */
  OCSP_RECHECK_SECONDS: z.coerce.number().positive().max(3600).default(30),
  /**
   * A listener of its own for OCSP (src/va/front): OCSP_PROCESSES processes answer the pre-signed
   * responses on this port and ask the service for the rest. "off": OCSP is served on PORT only
   * (it always is there too); 0 picks a free port.
   */
  OCSP_PORT: z.union([z.literal("off"), port]).default("off"),
  OCSP_PROCESSES: z.coerce.number().int().min(1).max(64).default(2),
  /**
   * Dual control (four eyes): comma-separated operations that wait for a second authorised person's
   * approval (src/approvals). Known: ca.key, revocation.urgent, revocation.bulk, device.reinitialize,
   * user.privileged_role. "none" turns dual control off.
   */
  DUAL_CONTROL: z
    .string()
    .max(500)
    .default("ca.key,revocation.urgent,revocation.bulk,device.reinitialize,user.privileged_role")
    .transform((v) => (v.trim() === "none" ? [] : v.split(",").map((x) => x.trim()).filter(Boolean)))
    .refine((l) => l.every((x) => ["ca.key", "revocation.urgent", "revocation.bulk", "device.reinitialize", "user.privileged_role"].includes(x)), "unknown operation"),
  /**
   * Roles that a user gets only with a second administrator's approval (operation
   * user.privileged_role): every role that can perform or approve a dual-controlled operation.
   */
  PRIVILEGED_ROLES: z
    .string()
    .max(200)
    .default("admin,ca_operator,device_officer")
    .transform((v) => (v.trim() === "none" ? [] : v.split(",").map((x) => x.trim()).filter(Boolean)))
    .refine((l) => l.every((x) => ["admin", "clerk", "reviewer", "ca_operator", "device_officer", "auditor"].includes(x)), "unknown role"),
  /** Hours an enrolment code (sent by e-mail) stays valid. */
  ENROLMENT_TTL_HOURS: z.coerce.number().positive().max(24 * 30).default(72),
  /** Hours a pending approval waits for its second person before it expires. */
  APPROVAL_TTL_HOURS: z.coerce.number().positive().max(24 * 30).default(24),
  /** Hours between signed checkpoints of the audit chain's head (0: only on demand). */
  AUDIT_CHECKPOINT_HOURS: z.coerce.number().min(0).max(24 * 30).default(24),
  /** Public website: searches and online checks allowed per client per minute (also the burst). */
  /**
   * Reverse proxies in front of the service whose X-Forwarded-For is trusted (0: none, the socket
   * address is the client). With N, the client is the N-th address from the right of
   * X-Forwarded-For: rate limits and audit rows see real clients, and nobody can choose their own.
   */
  TRUST_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
  PUBLIC_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(30),
  /** Outbox worker poll interval in ms (0 disables the in-process worker). */
  OUTBOX_POLL_MS: z.coerce.number().int().min(0).default(500),
});

export type Config = z.infer<typeof ConfigSchema> & { dataDir: string; publicBaseUrl: string };

export class ConfigError extends Error {
  constructor(readonly variable: string, detail: string) {
    super(`Invalid environment variable ${variable}: ${detail}`);
  }
}

/** Reads and validates the configuration; throws ConfigError naming the first bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const known = Object.fromEntries(
    Object.keys(ConfigSchema.shape).flatMap((k) => (env[k] === undefined || env[k] === "" ? [] : [[k, env[k]]])),
  );
  const parsed = ConfigSchema.safeParse(known);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(String(issue.path[0]), issue.message);
  }
  const c = parsed.data;
  const dataDir = path.resolve(c.DATA_DIR);
  const publicBaseUrl = (c.PUBLIC_BASE_URL ?? `http://${c.HOST}:${c.PORT}`).replace(/\/$/, "");
  return { ...c, dataDir, publicBaseUrl };
}
