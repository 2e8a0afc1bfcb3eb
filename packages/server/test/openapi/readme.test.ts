/**
 * The README is where an integrator looks up a code or a header: it must name every code the contract says the
 * server answers, and say of each route that takes an Idempotency-Key that it does, with what it answers to one.
 */
import { readFileSync } from "node:fs";
import * as contract from "@tsunagu/contract";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { OpenApiDocument } from "../../src/openapi/document.ts";
import { createTestApp, type TestApp } from "../support/test-app.ts";

const readme = readFileSync(new URL("../../../../README.md", import.meta.url), "utf8");

/** Every list of codes the contract exports (`…Codes`). */
const contractCodes = Object.entries(contract)
  .filter(([name, value]) => name.endsWith("Codes") && Array.isArray(value))
  .flatMap(([, value]) => value as readonly string[]);

/** The README's table row of a route, as it begins: `| \`POST /v1/zoom/holds\``. */
const rowOf = (method: string, path: string): string | undefined =>
  readme.split("\n").find((line) => line.startsWith(`| \`${method} ${path.replace(/\{([^}]+)\}/g, ":$1")}\``));

describe("the README", () => {
  let t: TestApp<"zoom" | "slack">;
  let document: OpenApiDocument;
  beforeAll(async () => {
    t = await createTestApp({ providers: ["zoom", "slack"] });
    document = (await (await t.app.request("/openapi.json")).json()) as OpenApiDocument;
  });
  afterAll(() => t.close());

  it("names every error code the contract lists", () => {
    expect(contractCodes.length).toBeGreaterThan(100);
    expect(contractCodes).toContain("database_connection_lost");
    expect(contractCodes.filter((code) => !readme.includes(`\`${code}\``))).toEqual([]);
  });

  it("says in the route's row which routes take an Idempotency-Key, and what a reused or malformed key answers", () => {
    const keyed = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.entries(methods)
        .filter(([, operation]) => operation.parameters?.some((parameter) => parameter.name === "Idempotency-Key"))
        .map(([method]) => ({ method: method.toUpperCase(), path })),
    );
    expect(keyed.map(({ method, path }) => `${method} ${path}`).sort()).toEqual([
      "POST /v1/interviews",
      "POST /v1/notifications",
      "POST /v1/zoom/holds",
    ]);
    for (const { method, path } of keyed) {
      const row = rowOf(method, path);
      expect(row, `${method} ${path}`).toMatch(/^\| `[A-Z]+ [^`]+` \(header `Idempotency-Key`\)/);
      const codes = (status: string) => {
        const schema = document.paths[path]?.[method.toLowerCase()]?.responses[status]?.content?.["application/json"]
          .schema as { properties: { error: { properties: { code: { enum: string[] } } } } } | undefined;
        return schema?.properties.error.properties.code.enum ?? [];
      };
      expect(codes("422"), `${method} ${path}`).toContain("idempotency_key_reused");
      expect(codes("400"), `${method} ${path}`).toContain("invalid_request");
    }
    // POST /v1/interviews says it below its table, with the rest of its refusals; the others in their rows.
    for (const path of ["/v1/notifications", "/v1/zoom/holds"]) {
      expect(rowOf("POST", path)).toContain("`idempotency_key_reused`");
      expect(rowOf("POST", path)).toMatch(/`invalid_request` \(a malformed `Idempotency-Key`\)/);
    }
  });
});
