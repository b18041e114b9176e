import { expect } from "chai";
import { startTestService, type TestService } from "../support/service";

/**
 * Hostile input (issue 8): every string a client sends has a bounded length and every list a bounded
 * number of items — checked on the OpenAPI document, generated from the same zod schemas that
 * validate requests, so a new unbounded field fails here.
 */
function unbounded(schema: any, at: string, out: string[], seen = new Set<any>()): void {
  if (!schema || typeof schema !== "object" || seen.has(schema)) return;
  seen.add(schema);
  for (const k of ["anyOf", "oneOf", "allOf"]) for (const [i, s] of (schema[k] ?? []).entries()) unbounded(s, `${at}|${i}`, out, seen);
  if (schema.type === "string" || (Array.isArray(schema.type) && schema.type.includes("string"))) {
    const boundedPattern = typeof schema.pattern === "string" && !/[+*]|\{\d+,\}/.test(schema.pattern.replace(/\\[+*]/g, ""));
    const ok = schema.maxLength !== undefined || schema.enum || schema.const !== undefined || ["uuid", "date", "date-time"].includes(schema.format) || boundedPattern;
    if (!ok) out.push(`${at}: string without maxLength`);
  }
  if (schema.type === "array") {
    if (schema.maxItems === undefined) out.push(`${at}: array without maxItems`);
    unbounded(schema.items, `${at}[]`, out, seen);
  }
  for (const [k, v] of Object.entries<any>(schema.properties ?? {})) unbounded(v, `${at}.${k}`, out, seen);
  if (schema.additionalProperties && typeof schema.additionalProperties === "object") unbounded(schema.additionalProperties, `${at}.*`, out, seen);
  if (schema.propertyNames) unbounded(schema.propertyNames, `${at}.<key>`, out, seen);
}

describe("hostile input: bounded schemas", () => {
  let svc: TestService;
  before(async () => {
    svc = await startTestService();
  });
  after(() => svc.stop());

  it("bounds every string and list of every request (parameters and bodies)", async () => {
    const doc = await (await svc.request("GET", "/api/openapi.json")).json();
    const out: string[] = [];
    for (const [p, ops] of Object.entries<any>(doc.paths)) {
      for (const [method, op] of Object.entries<any>(ops)) {
        for (const prm of op.parameters ?? []) unbounded(prm.schema, `${method} ${p} ${prm.in}:${prm.name}`, out);
        // Text bodies (CSV uploads) are bounded by BODY_LIMIT and their parsers' row checks.
        for (const [type, c] of Object.entries<any>(op.requestBody?.content ?? {})) if (type.includes("json")) unbounded(c.schema, `${method} ${p} body(${type})`, out);
      }
    }
    expect(out, out.join("\n")).to.deep.equal([]);
  });
});
