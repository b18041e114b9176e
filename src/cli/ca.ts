import crypto from "node:crypto";
import fs from "node:fs";
import type { Command } from "commander";
import { withDatabase } from "./context";
import { resolvePassphrase } from "../ca/keys/passphrase";
import { createHierarchy, defaultCeremony, importCa } from "../ca/ceremony";
import type { KeySpec } from "../ca/algorithms";
import * as cas from "../store/cas";
import { fromPem, sha256Hex } from "../ca/x509/certificate";

function keySpec(algorithm: string, size: string | undefined, curve: string | undefined, fallbackBits: number): KeySpec {
  if (algorithm === "rsa") {
    const bits = size ? parseInt(size, 10) : fallbackBits;
    if (![2048, 3072, 4096].includes(bits)) throw new Error(`RSA key size ${size} (2048, 3072 or 4096)`);
    return { kind: "rsa", bits };
  }
  if (algorithm === "ecdsa") {
    const c = (curve ?? (fallbackBits >= 3072 ? "P-384" : "P-256")).toUpperCase();
    if (c !== "P-256" && c !== "P-384") throw new Error(`curve ${curve} (P-256 or P-384)`);
    return { kind: "ec", curve: c };
  }
  throw new Error(`algorithm ${algorithm} (rsa or ecdsa)`);
}

/** Reads a private key file (PKCS#8, PKCS#1 or SEC1 PEM, or DER) into PKCS#8 DER. */
function readPrivateKey(file: string, keyPassphrase?: string): Buffer {
  const data = fs.readFileSync(file);
  const text = data.toString("latin1");
  const key = text.includes("-----BEGIN")
    ? crypto.createPrivateKey({ key: text, passphrase: keyPassphrase })
    : crypto.createPrivateKey({ key: data, format: "der", type: "pkcs8", passphrase: keyPassphrase });
  return key.export({ format: "der", type: "pkcs8" });
}

export function registerCaCommands(program: Command) {
  const ca = program.command("ca").description("Nghi thức khóa và quản lý CA");
  ca.command("init")
    .description("Tạo CA gốc và CA cấp phát (nghi thức khóa)")
    .option("--algorithm <rsa|ecdsa>", "thuật toán khóa cho cả hai CA", "rsa")
    .option("--root-algorithm <rsa|ecdsa>", "thuật toán khóa CA gốc")
    .option("--issuing-algorithm <rsa|ecdsa>", "thuật toán khóa CA cấp phát")
    .option("--root-key-size <bits>", "độ dài khóa RSA CA gốc", "3072")
    .option("--issuing-key-size <bits>", "độ dài khóa RSA CA cấp phát", "2048")
    .option("--root-curve <curve>", "đường cong ECDSA CA gốc (P-256, P-384)", "P-384")
    .option("--issuing-curve <curve>", "đường cong ECDSA CA cấp phát (P-256, P-384)", "P-256")
    .option("--root-name <slug>", "tên CA gốc trong URL", "root")
    .option("--issuing-name <slug>", "tên CA cấp phát trong URL", `issuing-${new Date().getUTCFullYear()}`)
    .option("--root-cn <cn>", "tên chung (CN) CA gốc")
    .option("--issuing-cn <cn>", "tên chung (CN) CA cấp phát")
    .option("--organization <o>", "tổ chức (O)", "Ban Cơ yếu Chính phủ")
    .option("--unit <ou>", "đơn vị (OU)", "Cục Chứng thực số và Bảo mật thông tin")
    .option("--root-years <n>", "thời hạn CA gốc (năm)", "20")
    .option("--issuing-years <n>", "thời hạn CA cấp phát (năm)", "10")
    .option("--development", "đánh dấu là CA phát triển")
    .action(async (o) => {
      await withDatabase(async (db, config) => {
        const { passphrase } = resolvePassphrase(config);
        const d = defaultCeremony();
        const opts = defaultCeremony({
          rootName: o.rootName,
          issuingName: o.issuingName,
          rootKey: keySpec(o.rootAlgorithm ?? o.algorithm, o.rootKeySize, o.rootCurve, 3072),
          issuingKey: keySpec(o.issuingAlgorithm ?? o.algorithm, o.issuingKeySize, o.issuingCurve, 2048),
          rootSubject: { ...d.rootSubject, organization: o.organization, organizationalUnit: o.unit, commonName: o.rootCn ?? d.rootSubject.commonName },
          issuingSubject: { ...d.issuingSubject, organization: o.organization, organizationalUnit: o.unit, commonName: o.issuingCn ?? d.issuingSubject.commonName },
          rootYears: parseInt(o.rootYears, 10),
          issuingYears: parseInt(o.issuingYears, 10),
          development: Boolean(o.development),
        });
        const r = await createHierarchy(db, config, passphrase, "cli", opts);
        for (const c of [r.root, r.issuing]) process.stdout.write(`${c.name}\tSHA-256 ${sha256Hex(c.der)}\n`);
      });
    });
  ca.command("import")
    .description("Nhập một CA có sẵn (chứng thư và khóa bí mật)")
    .requiredOption("--cert <file>", "chứng thư CA (PEM hoặc DER)")
    .requiredOption("--key <file>", "khóa bí mật (PEM PKCS#8/PKCS#1/SEC1 hoặc DER PKCS#8)")
    .requiredOption("--name <slug>", "tên CA trong URL")
    .option("--role <root|issuing>", "vai trò (mặc định: tự nhận biết)")
    .option("--parent <slug>", "CA cấp trên")
    .option("--key-passphrase <p>", "mật khẩu của tệp khóa, nếu được mã hóa")
    .action(async (o) => {
      await withDatabase(async (db, config) => {
        const { passphrase } = resolvePassphrase(config);
        const certData = fs.readFileSync(o.cert);
        const der = certData.toString("latin1").includes("-----BEGIN") ? fromPem(certData.toString("latin1"), "CERTIFICATE") : certData;
        const pkcs8 = readPrivateKey(o.key, o.keyPassphrase);
        try {
          const r = await importCa(db, passphrase, "cli", { name: o.name, certificateDer: der, pkcs8, role: o.role, parentName: o.parent });
          process.stdout.write(`${r.name}\t${r.role}${r.parent ? `\t(cấp trên: ${r.parent})` : ""}\tSHA-256 ${sha256Hex(der)}\n`);
        } finally {
          pkcs8.fill(0);
        }
      });
    });
  ca.command("list")
    .description("Liệt kê các CA")
    .action(async () => {
      await withDatabase(async (db) => {
        for (const c of await cas.list(db)) {
          process.stdout.write(`${c.name}\t${c.role}\t${c.key_algorithm}\t${c.not_after}\t${c.development ? "PHÁT TRIỂN\t" : ""}${c.subject_dn}\n`);
        }
      });
    });
}
