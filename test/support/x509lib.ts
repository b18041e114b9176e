/**
 * (Copy of the ca branch's src/ca/x509lib.ts for test certificates until that branch is merged.)
 * @peculiar/x509 through one door. The library resolves its services with tsyringe, which needs
 * the Reflect metadata API (normally the reflect-metadata package, not installed here). This file
 * installs the few functions tsyringe calls (defineMetadata, getMetadata, getOwnMetadata,
 * hasMetadata, metadata) when they are missing, then sets WebCrypto as the crypto provider.
 * Import @peculiar/x509 from here, never directly.
 */
type Key = unknown;
const metadata = new WeakMap<object, Map<PropertyKey | undefined, Map<Key, unknown>>>();
const R = Reflect as unknown as Record<string, unknown>;
if (typeof R.getMetadata !== "function") {
  const own = (target: object, prop?: PropertyKey, create = false) => {
    let byProp = metadata.get(target);
    if (!byProp && create) metadata.set(target, (byProp = new Map()));
    let m = byProp?.get(prop);
    if (!m && create && byProp) byProp.set(prop, (m = new Map()));
    return m;
  };
  const defineMetadata = (key: Key, value: unknown, target: object, prop?: PropertyKey) => {
    own(target, prop, true)!.set(key, value);
  };
  const getOwnMetadata = (key: Key, target: object, prop?: PropertyKey) => own(target, prop)?.get(key);
  const getMetadata = (key: Key, target: object, prop?: PropertyKey): unknown => {
    for (let t: object | null = target; t; t = Object.getPrototypeOf(t)) {
      const m = own(t, prop);
      if (m?.has(key)) return m.get(key);
    }
    return undefined;
  };
  Object.assign(Reflect, {
    defineMetadata,
    getOwnMetadata,
    getMetadata,
    hasOwnMetadata: (key: Key, target: object, prop?: PropertyKey) => own(target, prop)?.has(key) ?? false,
    hasMetadata: (key: Key, target: object, prop?: PropertyKey) => getMetadata(key, target, prop) !== undefined,
    metadata: (key: Key, value: unknown) => (target: object, prop?: PropertyKey) => defineMetadata(key, value, target, prop),
  });
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const x509: typeof import("@peculiar/x509") = require("@peculiar/x509");
x509.cryptoProvider.set(globalThis.crypto as Crypto);
export = x509;
