/**
 * The widgets' one-file build served by the server (TSUNAGU_ELEMENTS_DIR):
 * long-cached, loadable as a module script from any origin, and nothing but
 * the version folders' .js files.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../support/test-app.ts";

let dir: string;
let t: TestApp;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "tsunagu-elements-"));
  mkdirSync(join(dir, "0.1.0"));
  writeFileSync(
    join(dir, "0.1.0", "integration-accounts.js"),
    'customElements.define("x-a", class extends HTMLElement {});\n',
  );
  writeFileSync(join(dir, "0.1.0", "notes.txt"), "not a module");
  writeFileSync(join(dir, "secret.js"), "outside any version");
  t = await createTestApp({ hosts: [], elementsDir: dir });
});

afterAll(async () => {
  await t.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("GET /elements/:version/:file", () => {
  it("serves a version's module as JavaScript, cached for a year, for any origin to load and embed", async () => {
    const response = await t.app.request("/elements/0.1.0/integration-accounts.js", {
      headers: { origin: "https://portal.example" },
    });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('customElements.define("x-a"');
    expect(Object.fromEntries(response.headers)).toMatchObject({
      "content-type": "text/javascript; charset=utf-8",
      "cache-control": "public, max-age=31536000, immutable",
      "access-control-allow-origin": "*",
      "cross-origin-resource-policy": "cross-origin",
    });
  });

  it.each([
    ["/elements/0.2.0/integration-accounts.js", "another version"],
    ["/elements/0.1.0/notes.txt", "a file that is not .js"],
    ["/elements/0.1.0/..%2Fsecret.js", "an escape from the version folder"],
    ["/elements/..%2F0.1.0/integration-accounts.js", "a version that is not one"],
    ["/elements/0.1.0/Integration-Accounts.js", "a name outside the pattern"],
  ])("answers 404 not_found for %s (%s)", async (path) => {
    const response = await t.app.request(path);
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: { code: "not_found" } });
  });
});
