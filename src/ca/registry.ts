import type { Knex } from "knex";
import type { Config } from "../config";
import type { Logger } from "../log";
import * as cas from "../store/cas";
import type { CaSigner } from "./signer";
import { openSigner } from "./signers";
import { resolvePassphrase } from "./keys/passphrase";

/**
 * The CAs of this installation and their signers, unlocked once and kept in memory.
 *
 * Other capabilities (OCSP, CRL, TSA, directory) get a signer with:
 *   services.ca.issuingSigner()        // the current issuing CA
 *   services.ca.signer("root")         // any CA by name
 * and outside a running service (CLI, tests): `openCaSigner(db, config, name?)`.
 */
export class CaRegistry {
  private readonly signers = new Map<string, Promise<CaSigner>>();

  constructor(readonly db: Knex, private readonly passphrase: string) {}

  /** The signer of a CA by name; throws when the CA does not exist. */
  signer(name: string): Promise<CaSigner> {
    let s = this.signers.get(name);
    if (!s) {
      s = (async () => {
        const row = await cas.get(this.db, name);
        if (!row) throw new Error(`CA "${name}" does not exist`);
        return openSigner(row, this.passphrase);
      })();
      s.catch(() => this.signers.delete(name));
      this.signers.set(name, s);
    }
    return s;
  }

  /** The name of the issuing CA new certificates come from. */
  async issuingName(): Promise<string> {
    const row = await cas.currentIssuing(this.db);
    if (!row) throw new Error("no active issuing CA (run `chungthu ca init`)");
    return row.name;
  }

  async issuingSigner(): Promise<CaSigner> {
    return this.signer(await this.issuingName());
  }

  /** The chain from a CA up to its root, leaf-most first (DER). */
  async chain(name: string): Promise<{ name: string; der: Buffer }[]> {
    const out: { name: string; der: Buffer }[] = [];
    for (let n: string | null = name; n && out.length < 8; ) {
      const row: cas.CaRow | undefined = await cas.get(this.db, n);
      if (!row) break;
      out.push({ name: row.name, der: Buffer.from(row.certificate) });
      n = row.parent_name;
    }
    return out;
  }

  /** Forgets cached signers (after a ceremony or import). */
  reset() {
    this.signers.clear();
  }
}

/** A signer outside the running service: passphrase from CA_PASSPHRASE / CA_PASSPHRASE_FILE / the dev file. */
export async function openCaSigner(db: Knex, config: Config, name?: string, log?: Logger): Promise<CaSigner> {
  const reg = new CaRegistry(db, resolvePassphrase(config, log, { create: false }).passphrase);
  return name ? reg.signer(name) : reg.issuingSigner();
}

declare module "../service" {
  interface Services {
    ca: CaRegistry;
  }
}
