/**
 * The OpenAPI 3.1 document of the API, built from the app's own routes: each
 * route's `documented({...})` mark and the schemas its validators check the
 * request with (openapi/route-doc.ts), turned into JSON Schema by zod 4's own
 * `z.toJSONSchema` (draft 2020-12, OpenAPI 3.1's dialect). Nothing is written
 * twice: a route's body in the document is the schema that refuses a wrong one.
 *
 * Every /v1 route takes a bearer host token, and may answer, besides its own
 * codes, the token's refusals, `origin_not_allowed`, `forbidden_role` where a
 * role check stands in front, `invalid_request` (a NUL in the path or query),
 * `invalid_body` unless it is a GET, `payload_too_large` where it reads a body,
 * `host_keys_unavailable`, `database_unavailable`, `server_busy` and `internal_error`.
 */
import { type ErrorCode, hostTokenErrorCodes, type HostTokenErrorCode } from "@tsunagu/contract";
import { z } from "zod";
import {
  type ErrorStatus,
  type RequestPart,
  type RouteDoc,
  requestPartMark,
  rolesMark,
  routeDocMark,
} from "./route-doc.ts";

/** What `app.routes` holds: Hono's RouterRoute, reduced to what is read here. */
export interface AppRoute {
  method: string;
  path: string;
  handler: unknown;
}

export type JsonSchema = Record<string, unknown>;

export interface OpenApiDocument {
  openapi: "3.1.0";
  info: Record<string, unknown>;
  servers: Array<{ url: string }>;
  tags: Array<{ name: string; description: string }>;
  paths: Record<string, Record<string, Operation>>;
  webhooks: Record<string, { post: Record<string, unknown> }>;
  components: { securitySchemes: Record<string, unknown> };
}

export interface Operation {
  operationId: string;
  summary: string;
  description?: string;
  tags: string[];
  security: Array<Record<string, string[]>>;
  parameters?: Array<Record<string, unknown>>;
  requestBody?: { required: true; content: { "application/json": { schema: JsonSchema } } };
  responses: Record<string, { description: string; content?: { "application/json": { schema: JsonSchema } } }>;
}

/** A webhook Tsunagu sends to a portal: its event type, what it is, and the body's schema. */
export interface WebhookDoc {
  summary: string;
  body: z.ZodType;
}

export interface DocumentOptions {
  version: string;
  /** The server's public URL. */
  serverUrl: string;
  tags: Record<string, string>;
  webhooks: Record<string, WebhookDoc>;
}

const tokenRefusals = hostTokenErrorCodes.filter(
  (code): code is Exclude<HostTokenErrorCode, "host_keys_unavailable" | "origin_not_allowed" | "forbidden_role"> =>
    code !== "host_keys_unavailable" && code !== "origin_not_allowed" && code !== "forbidden_role",
);

const statusText: Record<number, string> = {
  200: "OK",
  201: "Created",
  202: "Accepted",
  204: "No content",
  400: "The request is malformed",
  401: "The token is missing or refused",
  403: "The caller may not do this",
  404: "Not found",
  409: "The current state does not allow it",
  413: "The body is too large",
  422: "The request cannot be processed",
  424: "A provider failed, or the database was lost part-way; the message says what was undone",
  500: "The server failed; the request id identifies it in the logs",
  501: "Not supported here",
  503: "Unavailable for now; try again (Retry-After)",
};

/** JSON Schema of what a schema accepts (`input`: a request) or gives (`output`: an answer). */
export function jsonSchemaOf(schema: z.ZodType, io: "input" | "output"): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, {
    target: "draft-2020-12",
    io,
    unrepresentable: "any",
  }) as JsonSchema;
  return rest;
}

/** The error envelope answering `codes`. */
export function errorSchema(codes?: readonly ErrorCode[]): JsonSchema {
  return {
    type: "object",
    required: ["error"],
    additionalProperties: false,
    properties: {
      error: {
        type: "object",
        required: ["code", "message"],
        additionalProperties: false,
        properties: {
          code: codes ? { type: "string", enum: [...new Set(codes)].sort() } : { type: "string" },
          message: { type: "string" },
          details: {},
        },
      },
    },
  };
}

/** `/v1/accounts/:id` → `/v1/accounts/{id}` (a Hono pattern `:id{regex}` loses its pattern). */
export const openApiPath = (path: string): string => path.replace(/:([A-Za-z0-9_]+)(\{[^}]*\})?/g, "{$1}");

const markOf = <T>(handler: unknown, mark: symbol): T | undefined => {
  if (typeof handler !== "function") return undefined;
  const own = (handler as unknown as Record<symbol, T | undefined>)[mark];
  if (own !== undefined) return own;
  // A sub-app with an error handler of its own wraps each handler; Hono keeps the original here.
  const inner = (handler as unknown as Record<string, unknown>).__COMPOSED_HANDLER;
  return inner === undefined ? undefined : markOf<T>(inner, mark);
};

interface RouteMarks {
  method: string;
  path: string;
  doc?: RouteDoc;
  parts: RequestPart[];
  roles?: readonly string[];
}

/** Each method and path of the app with the marks of every handler in its chain (and of `use` in front of it). */
export function routeMarks(routes: readonly AppRoute[]): RouteMarks[] {
  const byRoute = new Map<string, RouteMarks>();
  const wildcardRoles = routes
    .filter((route) => route.path.endsWith("/*"))
    .map((route) => ({ prefix: route.path.slice(0, -1), roles: markOf<readonly string[]>(route.handler, rolesMark) }))
    .filter((entry) => entry.roles !== undefined);
  // `use(path, requireRole(...))` on one exact path: every method there takes the role check.
  const pathRoles = new Map(
    routes
      .filter((route) => route.method === "ALL" && !route.path.endsWith("*"))
      .map((route) => [route.path, markOf<readonly string[]>(route.handler, rolesMark)] as const)
      .filter((entry): entry is readonly [string, readonly string[]] => entry[1] !== undefined),
  );
  for (const route of routes) {
    if (route.method === "ALL") continue;
    const key = `${route.method} ${route.path}`;
    const marks = byRoute.get(key) ?? { method: route.method, path: route.path, parts: [] };
    byRoute.set(key, marks);
    marks.doc ??= markOf<RouteDoc>(route.handler, routeDocMark);
    const part = markOf<RequestPart>(route.handler, requestPartMark);
    if (part) marks.parts.push(part);
    marks.roles ??= markOf<readonly string[]>(route.handler, rolesMark);
    marks.roles ??= pathRoles.get(route.path);
    marks.roles ??= wildcardRoles.find((entry) => route.path.startsWith(entry.prefix))?.roles;
  }
  return [...byRoute.values()];
}

function parametersOf(marks: RouteMarks): Array<Record<string, unknown>> {
  const parameters: Array<Record<string, unknown>> = [];
  for (const [name, header] of Object.entries(marks.doc?.headers ?? {})) {
    const { description, ...schema } = jsonSchemaOf(header, "input");
    parameters.push({
      name,
      in: "header",
      required: false,
      ...(typeof description === "string" && { description }),
      schema,
    });
  }
  const described = (target: RequestPart["target"]) => marks.parts.find((part) => part.target === target);
  for (const [where, target] of [
    ["path", "param"],
    ["query", "query"],
  ] as const) {
    const part = described(target);
    if (!part) continue;
    const schema = jsonSchemaOf(part.schema, "input");
    const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
    const required = new Set((schema.required ?? []) as string[]);
    for (const [name, property] of Object.entries(properties)) {
      const { description, ...rest } = property;
      parameters.push({
        name,
        in: where,
        required: where === "path" || required.has(name),
        ...(typeof description === "string" && { description }),
        schema: rest,
      });
    }
  }
  // Path parameters no validator describes are plain strings.
  for (const [, name] of marks.path.matchAll(/:([A-Za-z0-9_]+)/g)) {
    if (!parameters.some((parameter) => parameter.in === "path" && parameter.name === name))
      parameters.push({ name, in: "path", required: true, schema: { type: "string" } });
  }
  return parameters;
}

function operationOf(marks: RouteMarks, doc: RouteDoc): Operation {
  const body = marks.parts.find((part) => part.target === "json");
  const errors = new Map<ErrorStatus, ErrorCode[]>();
  const add = (status: ErrorStatus, codes: readonly ErrorCode[]) =>
    errors.set(status, [...(errors.get(status) ?? []), ...codes]);
  add(401, tokenRefusals);
  add(403, ["origin_not_allowed"]);
  if (marks.roles) add(403, ["forbidden_role"]);
  // A NUL character is refused in any path, query or body before a route runs (http/nul-characters.ts).
  add(400, ["invalid_request"]);
  if (marks.method !== "GET") add(400, ["invalid_body"]);
  if (body) {
    add(400, ["invalid_body"]);
    add(413, ["payload_too_large"]);
  }
  add(503, ["host_keys_unavailable", "database_unavailable", "server_busy"]);
  add(500, ["internal_error"]);
  for (const [status, codes] of Object.entries(doc.errors ?? {})) add(Number(status) as ErrorStatus, codes ?? []);

  const responses: Operation["responses"] = {};
  for (const [status, schema] of Object.entries(doc.answers)) {
    responses[status] =
      status === "204" || !schema
        ? { description: statusText[Number(status)] ?? "Done" }
        : {
            description: statusText[Number(status)] ?? "Done",
            content: { "application/json": { schema: jsonSchemaOf(schema, "output") } },
          };
  }
  for (const [status, codes] of [...errors].sort(([a], [b]) => a - b)) {
    responses[String(status)] = {
      description: `${statusText[status] ?? "Error"}: ${[...new Set(codes)].join(", ")}`,
      content: { "application/json": { schema: errorSchema(codes) } },
    };
  }
  const parameters = parametersOf(marks);
  const roles = marks.roles ? ` Roles: ${marks.roles.join(", ")}.` : "";
  const description = `${doc.description ?? ""}${roles}`.trim();
  return {
    operationId: operationIdOf(marks.method, marks.path),
    summary: doc.summary,
    ...(description && { description }),
    tags: [doc.tag],
    security: doc.tokens === "host_or_signin" ? [{ hostToken: [] }, { signInToken: [] }] : [{ hostToken: [] }],
    ...(parameters.length > 0 && { parameters }),
    ...(body && {
      requestBody: {
        required: true as const,
        content: { "application/json": { schema: jsonSchemaOf(body.schema, "input") } },
      },
    }),
    responses,
  };
}

/** `POST /v1/zoom/holds/:id/confirm` → `postZoomHoldsIdConfirm`; webhook `account.linked` → `webhookAccountLinked`. */
function operationIdOf(method: string, path: string): string {
  const words = path
    .replace(/^\/v1\//, "/")
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean);
  return method.toLowerCase() + words.map((word) => word[0]?.toUpperCase() + word.slice(1)).join("");
}

/** The document of every route that carries a `documented` mark. */
export function buildOpenApiDocument(routes: readonly AppRoute[], options: DocumentOptions): OpenApiDocument {
  const paths: OpenApiDocument["paths"] = {};
  for (const marks of routeMarks(routes)) {
    if (!marks.doc) continue;
    const path = openApiPath(marks.path);
    paths[path] = { ...paths[path], [marks.method.toLowerCase()]: operationOf(marks, marks.doc) };
  }
  const webhooks: OpenApiDocument["webhooks"] = {};
  for (const [type, hook] of Object.entries(options.webhooks)) {
    webhooks[type] = {
      post: {
        operationId: operationIdOf("webhook", type),
        summary: hook.summary,
        tags: ["webhooks"],
        security: [],
        parameters: [
          { name: "Tsunagu-Signature", in: "header", required: true, schema: { type: "string" } },
          { name: "Tsunagu-Event-Id", in: "header", required: true, schema: { type: "string" } },
          { name: "Tsunagu-Event-Type", in: "header", required: true, schema: { type: "string" } },
        ],
        requestBody: { required: true, content: { "application/json": { schema: jsonSchemaOf(hook.body, "output") } } },
        responses: { "200": { description: "Any 2xx: delivered. Anything else is retried with backoff." } },
      },
    };
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "Tsunagu API",
      version: options.version,
      description:
        "Slack, Google Calendar, Microsoft 365 and Zoom integrations for HR portals. Every non-2xx JSON body is " +
        '{"error":{"code","message"}}; the codes are those of @tsunagu/contract.',
      license: { name: "MIT", identifier: "MIT" },
    },
    servers: [{ url: options.serverUrl }],
    tags: Object.entries(options.tags).map(([name, description]) => ({ name, description })),
    paths,
    webhooks,
    components: {
      securitySchemes: {
        hostToken: {
          type: "http",
          scheme: "bearer",
          bearerFormat: "JWT",
          description:
            "A host token: a JWT the portal's backend signs for the signed-in user (iss = host id, aud, sub, org, " +
            "role, email, exp at most an hour away).",
        },
        signInToken: {
          type: "http",
          scheme: "bearer",
          bearerFormat: "JWT",
          description: "A sign-in token (Sign in with Slack): only for POST /v1/oauth/{provider}/start.",
        },
      },
    },
  };
}
