import type net from "node:net";
import * as ldapjs from "ldapjs";
import type { Logger } from "../log";
import { dnKey, DnSyntaxError, parseDn } from "./dn";
import { baseName, normalizeFilter, SearchTimeLimitExceeded, type DirectoryIndex, type Scope } from "./searchIndex";
import { messages } from "../messages";
import { BerFramer, searchBaseOf, searchDone } from "./berGuard";

/**
 * The embedded LDAPv3 directory: anonymous bind and search over the in-memory index, nothing else.
 *
 * ldapjs 3.0.7 is the server because it is the only maintained-enough LDAP *server* for Node; its
 * repository is archived upstream, so it is wrapped here behind `startDirectoryServer()` and
 * nothing else in the project imports it for serving (a replacement touches this file only).
 * The publisher's client is ldapts (src/directory/client.ts): promise-based, typed, maintained,
 * with explicit Buffer attributes for ;binary values.
 */
const ldap = ldapjs as any;

export interface DirectoryServerOptions {
  host: string;
  port: number;
  base: string;
  index: DirectoryIndex;
  log: Logger;
  /** Server-side size limit (slapd's default is 500); a client may ask for fewer, not more. */
  maxSizeLimit?: number;
  /** Server-side time limit in seconds. */
  maxTimeLimit?: number;
}

export interface DirectoryServer {
  host: string;
  port: number;
  url: string;
  close(): Promise<void>;
}

const SCOPES: Record<string, Scope> = { base: "base", single: "one", one: "one", subtree: "sub", sub: "sub" };

/** The root DSE (RFC 4512 §5.1). */
function rootDse(base: string): Record<string, string[]> {
  return {
    objectClass: ["top"],
    namingContexts: [base],
    supportedLDAPVersion: ["3"],
    vendorName: ["Ban Cơ yếu Chính phủ — chungthu"],
    supportedSASLMechanisms: [],
  };
}

/** Attribute selection (RFC 4511 §4.5.1.8): names compared without case and without options. */
export function project(attributes: Record<string, Array<string | Buffer>>, requested: string[]): Record<string, Array<string | Buffer>> {
  const req = requested.map((a) => a.trim()).filter(Boolean);
  if (req.length === 1 && req[0] === "1.1") return {};
  if (req.length === 0 || req.includes("*")) return attributes;
  const wanted = new Set(req.map(baseName));
  const out: Record<string, Array<string | Buffer>> = {};
  for (const [name, values] of Object.entries(attributes)) if (wanted.has(baseName(name))) out[name] = values;
  return out;
}

/**
 * ldapjs parses a DN string and writes it back with every non-ASCII byte hex-escaped
 * ("V\\c4\\83n ph\\c3\\b2ng"). Valid, but slapd and every reader expect UTF-8 DNs: hand it an
 * object it accepts as a DN (its brand check) whose string form is ours, already RFC 4514-escaped.
 */
const wireDns = new Map<string, object>();
function wireDn(dn: string): object {
  let w = wireDns.get(dn);
  if (!w) {
    w = { [Symbol.toStringTag]: "LdapDn", toString: () => dn };
    if (wireDns.size > 200_000) wireDns.clear();
    wireDns.set(dn, w);
  }
  return w;
}

/** Whether ldapjs (which drops the connection otherwise) and our own parser both accept a base DN. */
function validBase(dn: string): boolean {
  try {
    ldap.parseDN(dn);
    parseDn(dn);
    return true;
  } catch {
    return false;
  }
}

export async function startDirectoryServer(opts: DirectoryServerOptions): Promise<DirectoryServer> {
  const { index, base, log } = opts;
  const maxSize = opts.maxSizeLimit ?? 1000;
  const maxTime = opts.maxTimeLimit ?? 10;
  const baseKey = dnKey(base);

  const sockets = new Set<net.Socket>();
  // TCP_NODELAY: without it a client with one request in flight waits ~40 ms per answer (Nagle).
  const server = ldap.createServer({
    connectionRouter: (socket: net.Socket) => {
      socket.setNoDelay(true);
      sockets.add(socket);
      socket.once("close", () => sockets.delete(socket));
      socket.on("error", () => socket.destroy());
      server.newConnection(socket);
      // ldapjs's parser loops or throws on some malformed BER from inside its 'data' listener,
      // which would take the whole process down: frame and check each message first (berGuard.ts),
      // parse under a guard, and drop such a connection.
      const parser = (socket as any).parser;
      const framer = new BerFramer();
      socket.removeAllListeners("data");
      socket.on("data", (data: Buffer) => {
        try {
          for (const msg of framer.push(data)) {
            const search = searchBaseOf(msg);
            if (search && !validBase(search.base)) {
              socket.write(searchDone(search.messageId, 34, messages.directory.invalidDn));
              continue;
            }
            parser.write(msg);
          }
        } catch (err) {
          log.debug({ err: (err as Error).message }, "directory: malformed LDAP message, connection closed");
          socket.destroy();
        }
      });
    },
  });
  // ldapjs emits 'error' for every unparsable message: without a listener that would crash the
  // process; with one at warn level a client could fill the log.
  server.on("error", (err: Error) => log.debug({ err: err.message }, "directory server error"));
  server.on("clientError", (err: Error) => log.debug({ err: err.message }, "directory client error"));

  const refuseWrite = (_req: unknown, _res: unknown, next: (e: Error) => void) =>
    next(new ldap.InsufficientAccessRightsError(messages.directory.readOnly));
  server.add("", refuseWrite);
  server.modify("", refuseWrite);
  server.del("", refuseWrite);
  server.modifyDN("", refuseWrite);
  server.compare("", (_req: unknown, _res: unknown, next: (e: Error) => void) =>
    next(new ldap.UnwillingToPerformError(messages.directory.compareUnsupported)));
  // Anonymous binds never reach this handler (ldapjs answers them); every other bind is refused.
  server.bind("", (req: any, _res: unknown, next: (e: Error) => void) => {
    const unauthenticated = req.credentials === "" || req.credentials === undefined;
    next(unauthenticated
      ? new ldap.UnwillingToPerformError(messages.directory.unauthenticatedBind)
      : new ldap.InappropriateAuthenticationError(messages.directory.anonymousOnly));
  });

  server.search("", (req: any, res: any, next: (e?: Error) => void) => {
    const started = Date.now();
    const timeLimit = Math.min(req.timeLimit > 0 ? req.timeLimit : maxTime, maxTime);
    const deadline = started + timeLimit * 1000;
    const sizeLimit = Math.min(req.sizeLimit > 0 ? req.sizeLimit : maxSize, maxSize);
    const scope = SCOPES[req.scopeName] ?? SCOPES[req.scope] ?? "sub";
    const requested: string[] = (req.attributes ?? []).map(String);
    let rdns;
    try {
      rdns = parseDn(String(req.baseObject ?? req.dn ?? ""));
    } catch (err) {
      if (err instanceof DnSyntaxError) return next(new ldap.InvalidDnSyntaxError(messages.directory.invalidDn));
      throw err;
    }
    const key = dnKey(rdns);
    const filter = normalizeFilter(req.filter);
    // ldapjs would filter attributes again, case-sensitively and without options: we project.
    res.attributes = [];

    if (key === "" && scope === "base") {
      const dse = rootDse(base);
      if (filter.matches(Object.fromEntries(Object.entries(dse).map(([k, v]) => [k.toLowerCase(), v.map((x) => x.toLowerCase())])), true)) {
        res.send({ dn: "", attributes: project(dse, requested.filter((a) => a !== "+").length ? requested.filter((a) => a !== "+") : []) }, true);
      }
      res.end();
      return next();
    }
    if (key !== "" && !index.getByKey(key)) {
      res.status = 32;
      res.matchedDN = key === baseKey || baseKey.endsWith("," + key) ? "" : index.matchedDn(String(req.baseObject ?? ""));
      res.errorMessage = messages.directory.noSuchObject;
      res.end();
      return next();
    }
    let sent = 0;
    try {
      for (const e of index.search(key, scope, filter, deadline)) {
        if (sent >= sizeLimit) return next(new ldap.SizeLimitExceededError());
        res.send({ dn: wireDn(e.dn), attributes: project(e.attributes, requested) }, true);
        sent++;
      }
    } catch (err) {
      if (err instanceof SearchTimeLimitExceeded) return next(new ldap.TimeLimitExceededError());
      log.error({ err }, "directory search failed");
      return next(new ldap.OperationsError(messages.directory.internal));
    }
    res.end();
    return next();
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port, opts.host, () => {
      server.removeListener("error", reject);
      resolve();
    });
  });
  const port = (server.server.address() as net.AddressInfo).port;
  return {
    host: opts.host,
    port,
    url: `ldap://${opts.host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy(); // close() alone waits for idle clients
      }),
  };
}
