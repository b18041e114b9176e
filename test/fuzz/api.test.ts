import { expect } from "chai";
import fc from "fast-check";
import { startTestService, type TestService } from "../support/service";

/**
 * Hostile input against every JSON API route and every public route that takes parameters:
 * wrong types, huge numbers, prototype-pollution keys, SQL and LDAP metacharacters, invalid UTF-8,
 * mixed Unicode normalisation, truncated JSON. No answer is a 5xx, the process stays up, and a
 * rejected request writes nothing but its audit row.
 * Fixed seed in `npm test`; `npm run fuzz` runs longer (FUZZ_ITERATIONS).
 */
const SEED = Number(process.env.FUZZ_SEED ?? 20261125);
const ITERATIONS = Number(process.env.FUZZ_ITERATIONS ?? 6);

const hostileStrings = [
  "' OR '1'='1' --", "\"; DROP TABLE certificates; --", "*)(uid=*))(|(uid=*", "cn=*,o=x\\,y", "\u0000\u0001",
  "Nguyễn Thị Hằng".normalize("NFD"), "<script>alert(1)</script>", "../../../etc/passwd", "%00", "😀".repeat(50),
  "9".repeat(400), "-1", "1e400", "", " ", "\u202e\u200b", "${jndi:ldap://x}", "{{7*7}}",
];
const hostileValues: unknown[] = [
  ...hostileStrings, 1e308, -1e308, -1, 0, 2 ** 53 + 1, 1.5, true, false, null, [], {}, [[[[[[]]]]]],
  { __proto__: { polluted: true } }, { constructor: { prototype: { polluted: true } } }, "a".repeat(5000),
];

const hostileValue = fc.oneof(fc.constantFrom(...hostileValues), fc.jsonValue({ maxDepth: 3 }));

function bodyFor(schema: any): fc.Arbitrary<unknown> {
  const props = Object.keys(schema?.properties ?? {});
  if (props.length === 0) return hostileValue;
  return fc.record(Object.fromEntries(props.map((p) => [p, hostileValue])), { requiredKeys: [] });
}

const tablesOf = async (svc: TestService): Promise<string[]> => {
  const rows = await svc.services.db.raw("select name from sqlite_master where type = 'table' and name not like 'knex_%' and name not like 'sqlite_%'");
  return rows.map((r: { name: string }) => r.name).filter((n: string) => n !== "audit_log");
};
const counts = async (svc: TestService, tables: string[]) => {
  const out: Record<string, number> = {};
  for (const t of tables) out[t] = Number((await svc.services.db(t).count({ n: "*" }))[0].n);
  return out;
};

describe("fuzz: hostile input to the API", function () {
  this.timeout(600_000);
  let svc: TestService;
  let token: string;
  before(async () => {
    svc = await startTestService();
    token = await svc.userWithRoles("fuzzer", ["admin", "clerk", "reviewer", "ca_operator", "device_officer", "auditor"]);
  });
  after(() => svc.stop());

  it("answers every route without a 5xx, writes nothing for rejected input, and stays up", async () => {
    const doc = await (await svc.request("GET", "/api/openapi.json")).json();
    const tables = await tablesOf(svc);
    const failures: string[] = [];
    let sent = 0;
    const send = async (method: string, url: string, init: { body?: BodyInit; contentType?: string }) => {
      const before = await counts(svc, tables);
      const headers: Record<string, string> = { authorization: `Bearer ${token}` };
      if (init.contentType) headers["content-type"] = init.contentType;
      const r = await svc.request(method.toUpperCase(), url, { body: init.body, headers });
      sent++;
      const text = await r.text();
      if (r.status >= 500) failures.push(`${method.toUpperCase()} ${url} → ${r.status} ${text.slice(0, 200)}`);
      if (r.headers.get("x-content-type-options") !== "nosniff" || !r.headers.get("content-security-policy")) failures.push(`${method.toUpperCase()} ${url} → ${r.status} without security headers`);
      if (/at .+\.(ts|js):\d+/.test(text)) failures.push(`${method.toUpperCase()} ${url} → a stack trace`);
      if (r.status >= 400 && r.status < 500) {
        const after = await counts(svc, tables);
        for (const t of tables) {
          if (after[t] !== before[t] && t !== "outbox") failures.push(`${method.toUpperCase()} ${url} → ${r.status} but ${t} changed`);
        }
        if (r.headers.get("content-type")?.includes("json")) {
          const b = JSON.parse(text);
          if (!b.error?.code || !b.error?.message) failures.push(`${url}: error without code/message`);
        }
      }
    };
    for (const [p, ops] of Object.entries<any>(doc.paths)) {
      for (const [method, op] of Object.entries<any>(ops)) {
        if (method === "delete" && p.startsWith("/api/users")) continue; // would revoke our own token
        const params: string[] = (op.parameters ?? []).filter((x: any) => x.in === "path").map((x: any) => x.name);
        const bodySchema = op.requestBody?.content?.["application/json"]?.schema;
        const samples = fc.sample(fc.tuple(bodyFor(bodySchema), fc.constantFrom(...hostileStrings, "1", "00ff", "ffffffff-ffff-ffff-ffff-ffffffffffff")), { numRuns: ITERATIONS, seed: SEED });
        for (const [body, param] of samples) {
          const url = p.replace(/\{[^}]+\}/g, () => encodeURIComponent(String(param))) + (method === "get" ? `?q=${encodeURIComponent(String(param))}&limit=${encodeURIComponent(String(param))}` : "");
          if (method === "get" || method === "delete") {
            await send(method, url, {});
            continue;
          }
          await send(method, url, { body: JSON.stringify(body), contentType: "application/json" });
          if (params.length === 0) {
            await send(method, url, { body: Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]), contentType: "application/json" });
            await send(method, url, { body: JSON.stringify(body).slice(0, 7), contentType: "application/json" });
            await send(method, url, { body: "a,b\n1,2", contentType: "application/xml" });
          }
        }
      }
    }
    expect(({} as Record<string, unknown>).polluted, "prototype polluted").to.equal(undefined);
    expect(failures, failures.slice(0, 20).join("\n")).to.deep.equal([]);
    expect(sent).to.be.greaterThan(20);
    expect((await svc.request("GET", "/healthz")).status).to.equal(200);
  });
});
