/**
 * LDAP load generator (a child process, not the system under test): `inflight` ldapts clients,
 * each on its own connection running one search after another (subtree, by mail, a random person
 * of `people`) for `duration` seconds. Prints {count, p99} as JSON.
 */
import { Client } from "ldapts";

const o = JSON.parse(process.argv[2]) as { url: string; base: string; inflight: number; duration: number; people: number; domain: string };

(async () => {
  const clients = Array.from({ length: o.inflight }, () => new Client({ url: o.url, timeout: 10_000 }));
  // Connect (anonymous bind) before the clock starts.
  await Promise.all(clients.map((c) => c.bind("", "")));
  const lat: number[] = [];
  let errors = 0;
  const until = Date.now() + o.duration * 1000;
  await Promise.all(clients.map(async (c) => {
    while (Date.now() < until) {
      const n = Math.floor(Math.random() * o.people);
      const t0 = performance.now();
      try {
        const r = await c.search(o.base, { scope: "sub", filter: `(mail=user${n}@${o.domain})`, attributes: ["cn", "mail"] });
        if (r.searchEntries.length !== 1) errors++;
      } catch {
        errors++;
      }
      lat.push(performance.now() - t0);
    }
  }));
  await Promise.all(clients.map((c) => c.unbind().catch(() => undefined)));
  lat.sort((a, b) => a - b);
  process.stdout.write(JSON.stringify({ count: lat.length, rps: lat.length / o.duration, p99: lat[Math.floor(lat.length * 0.99)] ?? 0, errors }) + "\n");
})().catch((err) => {
  console.error(err);
  process.exit(1);
});
