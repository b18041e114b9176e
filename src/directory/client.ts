import { Attribute, Change, Client, ResultCodeError, type Entry } from "ldapts";
import type { Logger } from "../log";
import { BINARY_ATTRS, type DirEntry, type Values } from "./dit";

/**
 * The publisher's connection to an external directory (OpenLDAP), over ldapts 8.
 *
 * Why ldapts for the client and ldapjs for the server: ldapts is a maintained, promise-based,
 * typed client with explicit Buffer attributes (`explicitBufferAttributes`) so ;binary values
 * arrive byte for byte, and it does StartTLS; ldapjs's client is callback-based and archived.
 * ldapts has no server, so the embedded directory uses ldapjs's (src/directory/server.ts).
 * (ldapts 9 needs Node 22; we are on Node 20.)
 *
 * Every call runs on one session (connect, optional StartTLS, bind). A transport failure drops the
 * session, so the next call reconnects; the outbox retries the job with backoff meanwhile.
 */
export interface DirectoryClientOptions {
  url: string;
  bindDn?: string;
  password?: string;
  startTls?: boolean;
  /** Per-operation timeout (ms). */
  timeoutMs?: number;
  connectTimeoutMs?: number;
  tlsOptions?: import("node:tls").ConnectionOptions;
  log: Logger;
}

/** LDAP result codes the publisher treats as "already done" (idempotent jobs). */
export const RESULT = {
  noSuchAttribute: 16,
  noSuchObject: 32,
  attributeOrValueExists: 20,
  alreadyExists: 68,
  sizeLimitExceeded: 4,
} as const;

export const resultCode = (err: unknown): number | undefined => (err instanceof ResultCodeError ? err.code : undefined);

export class DirectoryUnavailable extends Error {}

const toAttribute = (type: string, values: Values) =>
  new Attribute({
    type,
    values: values.every((v) => Buffer.isBuffer(v)) ? (values as Buffer[]) : values.map((v) => (Buffer.isBuffer(v) ? v.toString("utf8") : v)),
  });

export class DirectoryClient {
  private client?: Client;
  private connecting?: Promise<Client>;

  constructor(private readonly opts: DirectoryClientOptions) {}

  private async session(): Promise<Client> {
    if (this.client?.isConnected) return this.client;
    this.connecting ??= (async () => {
      const client = new Client({
        url: this.opts.url,
        timeout: this.opts.timeoutMs ?? 10_000,
        connectTimeout: this.opts.connectTimeoutMs ?? 5_000,
        // Only for ldaps://: ldapts 8 given tlsOptions on an ldap:// URL breaks a later StartTLS.
        tlsOptions: this.opts.url.startsWith("ldaps:") ? this.opts.tlsOptions : undefined,
        strictDN: false,
      });
      try {
        // The host name checks the server certificate (without it Node checks "localhost"); a
        // fresh object each time, because ldapts puts the socket into the options it is given.
        if (this.opts.startTls) await client.startTLS({ host: new URL(this.opts.url).hostname, ...this.opts.tlsOptions });
        if (this.opts.bindDn) await client.bind(this.opts.bindDn, this.opts.password ?? "");
        else await client.bind("", "");
      } catch (err) {
        await client.unbind().catch(() => undefined);
        throw err;
      }
      this.client = client;
      return client;
    })().finally(() => (this.connecting = undefined));
    return this.connecting;
  }

  /** Runs one operation; a transport failure (not an LDAP result) drops the session. */
  private async run<T>(fn: (c: Client) => Promise<T>): Promise<T> {
    let c: Client;
    try {
      c = await this.session();
    } catch (err) {
      throw new DirectoryUnavailable(`directory ${this.opts.url} unavailable: ${(err as Error).message}`);
    }
    try {
      return await fn(c);
    } catch (err) {
      if (!(err instanceof ResultCodeError)) {
        this.drop();
        throw new DirectoryUnavailable(`directory ${this.opts.url} failed: ${(err as Error).message}`);
      }
      throw err;
    }
  }

  private drop() {
    const c = this.client;
    this.client = undefined;
    c?.unbind().catch(() => undefined);
  }

  async close(): Promise<void> {
    const c = this.client;
    this.client = undefined;
    await c?.unbind().catch(() => undefined);
  }

  /** The entry at dn, or undefined. */
  async read(dn: string, attributes: string[] = ["*"]): Promise<DirEntry | undefined> {
    try {
      const r = await this.run((c) => c.search(dn, { scope: "base", filter: "(objectClass=*)", attributes, explicitBufferAttributes: BINARY_ATTRS }));
      return r.searchEntries[0] ? fromLdapts(r.searchEntries[0]) : undefined;
    } catch (err) {
      if (resultCode(err) === RESULT.noSuchObject) return undefined;
      throw err;
    }
  }

  /** Every entry under base (inclusive), page by page. */
  async readTree(base: string): Promise<DirEntry[]> {
    try {
      const r = await this.run((c) =>
        c.search(base, { scope: "sub", filter: "(objectClass=*)", attributes: ["*"], explicitBufferAttributes: BINARY_ATTRS, paged: { pageSize: 500 } }),
      );
      return r.searchEntries.map(fromLdapts);
    } catch (err) {
      if (resultCode(err) === RESULT.noSuchObject) return [];
      throw err;
    }
  }

  /** Adds an entry; "already exists" counts as done. Returns false when it already existed. */
  async add(entry: DirEntry): Promise<boolean> {
    try {
      await this.run((c) => c.add(entry.dn, Object.entries(entry.attributes).map(([t, v]) => toAttribute(t, v))));
      return true;
    } catch (err) {
      if (resultCode(err) === RESULT.alreadyExists) return false;
      throw err;
    }
  }

  async delete(dn: string): Promise<void> {
    try {
      await this.run((c) => c.del(dn));
    } catch (err) {
      if (resultCode(err) !== RESULT.noSuchObject) throw err;
    }
  }

  /** Adds one value unless present (20 attributeOrValueExists counts as done). */
  async addValue(dn: string, attr: string, value: string | Buffer): Promise<boolean> {
    try {
      await this.run((c) => c.modify(dn, new Change({ operation: "add", modification: toAttribute(attr, [value]) })));
      return true;
    } catch (err) {
      if (resultCode(err) === RESULT.attributeOrValueExists) return false;
      throw err;
    }
  }

  /**
   * Removes exactly this value, never the attribute (16 noSuchAttribute and 32 noSuchObject count
   * as done).
   */
  async deleteValue(dn: string, attr: string, value: string | Buffer): Promise<boolean> {
    try {
      await this.run((c) => c.modify(dn, new Change({ operation: "delete", modification: toAttribute(attr, [value]) })));
      return true;
    } catch (err) {
      const code = resultCode(err);
      if (code === RESULT.noSuchAttribute || code === RESULT.noSuchObject) return false;
      throw err;
    }
  }

  async replace(dn: string, attr: string, values: Values): Promise<void> {
    await this.run((c) => c.modify(dn, new Change({ operation: "replace", modification: toAttribute(attr, values) })));
  }

  /** Several changes in one atomic modify. */
  async modify(dn: string, changes: Array<{ op: "add" | "delete" | "replace"; attr: string; values: Values }>): Promise<void> {
    if (!changes.length) return;
    await this.run((c) => c.modify(dn, changes.map((ch) => new Change({ operation: ch.op, modification: toAttribute(ch.attr, ch.values) }))));
  }

  /** A cheap liveness probe: the root DSE. */
  async ping(): Promise<void> {
    await this.run((c) => c.search("", { scope: "base", filter: "(objectClass=*)", attributes: ["namingContexts"] }));
  }
}

function fromLdapts(e: Entry): DirEntry {
  const attributes: Record<string, Values> = {};
  for (const [k, v] of Object.entries(e)) {
    if (k === "dn") continue;
    const vs = (Array.isArray(v) ? v : [v]) as Values;
    if (vs.length) attributes[k] = vs;
  }
  return { dn: e.dn, attributes };
}
