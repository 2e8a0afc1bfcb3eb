/**
 * The contract between the API's answers and its OpenAPI document: every
 * JSON answer the app gives in a test is checked against the document's
 * schema for its route and status (ajv, JSON Schema 2020-12). The test app
 * builder (test-app.ts) puts this in front of every app it builds, so each
 * route test is also a contract test: an answer of a shape, a status or an
 * error code the document does not list fails the test that received it.
 *
 * A /v1 error no documented route gave (an unknown path's 404, a wrong
 * method's 405, a token refused before any route ran) must still be the
 * error envelope. A /v1 route of the app missing from the document fails
 * every test app as it is built (`undocumentedRoutes`); a route a test adds
 * to the app afterwards (a probe of the middleware) is not the API's.
 */
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import ajvFormats from "ajv-formats";
import {
  type AppRoute,
  errorSchema,
  type JsonSchema,
  type OpenApiDocument,
  type Operation,
  openApiPath,
} from "../../src/openapi/document.ts";

const ajv = new Ajv2020({ allErrors: true, strict: true });
// ajv-formats is CommonJS: its module object is what a default import gets, and it carries the plugin as `default`.
ajvFormats.default(ajv);
/** Compiled once per distinct schema, across every app the suite builds. */
const compiled = new Map<string, ValidateFunction>();
const validatorOf = (schema: JsonSchema): ValidateFunction => {
  const key = JSON.stringify(schema);
  let validate = compiled.get(key);
  if (!validate) {
    validate = ajv.compile(schema);
    compiled.set(key, validate);
  }
  return validate;
};

interface DocumentedOperation {
  method: string;
  template: string;
  pattern: RegExp;
  parameters: number;
  operation: Operation;
}

export interface AnswerContract {
  /** Why the answer breaks the document, or undefined when it keeps it (or is not JSON). */
  check(request: Request, response: Response): Promise<string | undefined>;
}

export function answerContract(document: OpenApiDocument): AnswerContract {
  const operations: DocumentedOperation[] = [];
  for (const [template, methods] of Object.entries(document.paths)) {
    const source = template.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\{[^}]+\}/g, "[^/]+");
    for (const [method, operation] of Object.entries(methods)) {
      operations.push({
        method: method.toUpperCase(),
        template,
        pattern: new RegExp(`^${source}$`),
        parameters: (template.match(/\{/g) ?? []).length,
        operation,
      });
    }
  }
  // A literal segment wins over a parameter: the fewest parameters first.
  operations.sort((a, b) => a.parameters - b.parameters);
  const envelope = errorSchema();

  return {
    async check(request, response) {
      const method = request.method.toUpperCase();
      if (method === "HEAD" || method === "OPTIONS") return undefined;
      if (!(response.headers.get("content-type") ?? "").startsWith("application/json")) return undefined;
      const path = new URL(request.url).pathname;
      const body: unknown = await response.clone().json();
      const found = operations.find((candidate) => candidate.method === method && candidate.pattern.test(path));
      const where = `${method} ${path} → ${response.status}`;
      if (!found) {
        if (!path.startsWith("/v1/") || response.status < 400) return undefined;
        return problems(validatorOf(envelope), body, where);
      }
      const answer = found.operation.responses[String(response.status)];
      const schema = answer?.content?.["application/json"].schema;
      if (!schema)
        return `${where}: the document lists no JSON answer with this status for ${method} ${found.template}`;
      return problems(validatorOf(schema), body, `${where} (${method} ${found.template})`);
    },
  };
}

function problems(validate: ValidateFunction, body: unknown, where: string): string | undefined {
  if (validate(body)) return undefined;
  const errors = (validate.errors ?? []).map((error) => `${error.instancePath || "/"} ${error.message}`).join("; ");
  return `${where}: the answer breaks the OpenAPI document: ${errors}; body ${JSON.stringify(body).slice(0, 600)}`;
}

/** The app's /v1 routes (method and path) that the document does not list. */
export function undocumentedRoutes(routes: readonly AppRoute[], document: OpenApiDocument): string[] {
  const missing = new Set<string>();
  for (const route of routes) {
    if (route.method === "ALL" || !route.path.startsWith("/v1/")) continue;
    if (!document.paths[openApiPath(route.path)]?.[route.method.toLowerCase()])
      missing.add(`${route.method} ${route.path}`);
  }
  return [...missing];
}

/** Why a webhook body breaks the document's `webhooks` entry for its event type, or undefined. */
export function webhookProblem(document: OpenApiDocument, type: string, body: string): string | undefined {
  const hook = document.webhooks[type]?.post.requestBody as
    | { content: { "application/json": { schema: JsonSchema } } }
    | undefined;
  if (!hook) return `webhook ${type}: the OpenAPI document lists no such webhook`;
  return problems(validatorOf(hook.content["application/json"].schema), JSON.parse(body), `webhook ${type}`);
}
