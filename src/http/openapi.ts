import { z } from "zod";
import type { RouteSpec } from "./route";

const toSchema = (s: z.ZodType) => {
  try {
    return z.toJSONSchema(s, { io: "input", unrepresentable: "any" });
  } catch {
    return {};
  }
};

const shapeOf = (s: z.ZodType | undefined, key: string): z.ZodType | undefined => {
  const shape = (s as unknown as { shape?: Record<string, z.ZodType> } | undefined)?.shape;
  return shape?.[key];
};

/** Builds the OpenAPI 3.1 document from the same zod schemas that validate the requests. */
export function openApiDocument(specs: RouteSpec[], version: string) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const spec of specs.filter((s) => s.docs !== false)) {
    const p = spec.path.replace(/:([A-Za-z0-9_]+)/g, "{$1}");
    const parameters: unknown[] = [];
    for (const where of ["params", "query"] as const) {
      const part = shapeOf(spec.input, where);
      const props = (part ? (toSchema(part) as { properties?: Record<string, unknown>; required?: string[] }) : {}) ?? {};
      for (const [name, schema] of Object.entries(props.properties ?? {})) {
        parameters.push({
          name,
          in: where === "params" ? "path" : "query",
          required: where === "params" || (props.required ?? []).includes(name),
          schema,
        });
      }
    }
    const body = shapeOf(spec.input, "body");
    const responses: Record<string, unknown> = {};
    for (const [status, r] of Object.entries(spec.responses ?? { 200: { description: "OK" } })) {
      responses[status] = {
        description: r.description,
        ...(r.schema || r.mediaType
          ? { content: { [r.mediaType ?? "application/json"]: { schema: r.schema ? toSchema(r.schema) : {} } } }
          : {}),
      };
    }
    if (spec.action) {
      responses["401"] = { $ref: "#/components/responses/Unauthenticated" };
      responses["403"] = { $ref: "#/components/responses/Forbidden" };
    }
    if (spec.input) responses["400"] = { $ref: "#/components/responses/Invalid" };
    (paths[p] ??= {})[spec.method] = {
      summary: spec.summary,
      tags: spec.tags,
      ...(spec.action ? { security: [{ bearer: [] }], "x-policy-action": spec.action } : { security: [] }),
      parameters,
      ...(body
        ? {
            requestBody: {
              required: !body.safeParse(undefined).success,
              content: {
                "application/json": { schema: toSchema(body) },
                ...(spec.bodyType ? { [spec.bodyType]: { schema: { type: "string" } } } : {}),
              },
            },
          }
        : {}),
      responses,
    };
  }
  const errorSchema = {
    type: "object",
    properties: {
      error: {
        type: "object",
        properties: { code: { type: "string" }, message: { type: "string" }, details: { type: "object" } },
        required: ["code", "message", "details"],
      },
    },
  };
  const errorResponse = (description: string) => ({ description, content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } } });
  return {
    openapi: "3.1.0",
    info: { title: "chungthu API", version, description: "API nội bộ của hệ thống chứng thực chữ ký số chuyên dùng công vụ." },
    paths,
    components: {
      securitySchemes: { bearer: { type: "http", scheme: "bearer" } },
      schemas: { Error: errorSchema },
      responses: {
        Unauthenticated: errorResponse("Chưa xác thực"),
        Forbidden: errorResponse("Không có quyền"),
        Invalid: errorResponse("Dữ liệu không hợp lệ"),
      },
    },
  };
}
