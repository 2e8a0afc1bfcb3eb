/**
 * The widgets' one-file build for pages without a bundler (README, "Without
 * a bundler"): `GET /elements/<version>/<name>.js` from TSUNAGU_ELEMENTS_DIR
 * (`packages/widgets/dist/browser`, laid out by version). A version's files
 * never change, so they are cached for a year as immutable; any origin may
 * load them as module scripts (CORS `*`, no credentials) and embed them
 * (`Cross-Origin-Resource-Policy: cross-origin`).
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { Hono } from "hono";
import { notFound } from "../errors.ts";
import type { AppEnv } from "../auth/app-env.ts";

const versionPattern = /^\d+\.\d+\.\d+(?:-[0-9a-z.-]+)?$/;
const filePattern = /^[a-z][a-z0-9-]*\.js$/;

export function elementRoutes(elementsDir: string) {
  return new Hono<AppEnv>().get("/elements/:version/:file", async (c) => {
    const { version, file } = c.req.param();
    const missing = () =>
      notFound("not_found", `There is no ${file.slice(0, 60)} in version ${version.slice(0, 20)} of the elements.`);
    // Names are checked before they reach the file system: no "..", no other folders, only .js files.
    if (!versionPattern.test(version) || !filePattern.test(file)) throw missing();
    const body = await readFile(join(elementsDir, version, file)).catch(() => undefined);
    if (!body) throw missing();
    return c.body(body, 200, {
      "content-type": "text/javascript; charset=utf-8",
      "cache-control": "public, max-age=31536000, immutable",
      "access-control-allow-origin": "*",
      "cross-origin-resource-policy": "cross-origin",
    });
  });
}
