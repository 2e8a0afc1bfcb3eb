// Widget tests in Debian's Chromium (never a downloaded browser), TypeScript
// through esbuild, and a small fake Tsunagu API served by the test server
// itself under /fake-tsunagu, so the tests exercise real fetch and CORS-free
// HTTP without a running backend. The *.sandbox.test.ts files drive the real
// server instead (test-support/real-server.mjs): it starts with the sandbox on
// first use and stops with the run.
import { writeFileSync } from "node:fs";
import { esbuildPlugin } from "@web/dev-server-esbuild";
import { defaultReporter, summaryReporter } from "@web/test-runner";
import { chromeLauncher } from "@web/test-runner-chrome";
import { fakeAccountsApi } from "./test-support/fake-accounts-api.mjs";
import { fakeInterviewsApi } from "./test-support/fake-interviews-api.mjs";
import { fakeZoomHostsApi } from "./test-support/fake-zoom-hosts-api.mjs";
import { json, readClaims, readText } from "./test-support/fake-http.mjs";
import { realTsunaguServer } from "./test-support/real-server.mjs";

const chromePath = process.env.CHROME_PATH || "/usr/bin/chromium";
// The real server with the sandbox, for *.sandbox.test.ts: started on first use, stopped with the run.
const realServer = realTsunaguServer();

export default {
  files: ["src/**/*.test.ts"],
  nodeResolve: true,
  concurrency: 1,
  watch: false,
  // The sandbox file links a dozen accounts through real popups against the real server; on a loaded
  // two-core machine it needs more than the default two minutes to finish (a limit, not a timed assertion).
  testsFinishTimeout: 300_000,
  browsers: [
    chromeLauncher({
      launchOptions: {
        executablePath: chromePath,
        headless: true,
        args: [
          "--headless=new",
          "--no-sandbox",
          "--disable-gpu",
          "--disable-background-networking",
          "--disable-component-update",
          "--disable-sync",
          "--no-first-run",
        ],
      },
    }),
  ],
  plugins: [
    esbuildPlugin({ ts: true, target: "auto", tsconfig: new URL("./tsconfig.json", import.meta.url).pathname }),
    realServer.plugin,
  ],
  middleware: [realServer.middleware, fakeAccountsApi, fakeZoomHostsApi, fakeInterviewsApi, fakeTsunaguApi],
  reporters: [
    defaultReporter(),
    summaryReporter({ flatten: false }),
    countsFileReporter(process.env.TSUNAGU_TEST_REPORT),
  ],
  testFramework: { config: { timeout: 5000 } },
  // Lit's one-line dev-mode notice would otherwise repeat for every file.
  filterBrowserLogs: ({ args }) => !String(args[0]).includes("Lit is in dev mode"),
};

/**
 * The fake API. Tokens are compact JWTs whose payload the fake reads without
 * verifying: `{"reject":"token_expired"}` makes it answer 401 with that code.
 *   ANY  /fake-tsunagu/v1/echo            → 200 with what the request carried
 *   GET  /fake-tsunagu/v1/fail/:status/:code → the error envelope
 *   GET  /fake-tsunagu/v1/html-error      → 502 with an HTML page
 *   GET  /fake-tsunagu/v1/not-json        → 200 text/plain
 *   GET  /fake-tsunagu/v1/no-content      → 204
 *   GET  /fake-tsunagu/v1/hang            → never answers before the client aborts
 *   GET  /fake-tsunagu/v1/drop            → the connection is dropped without an answer (a request without a
 *                                           token is refused 401 first, as every route's)
 */
async function fakeTsunaguApi(context, next) {
  const prefix = "/fake-tsunagu/v1/";
  if (!context.path.startsWith(prefix)) return next();
  const route = context.path.slice(prefix.length);
  const claims = readClaims(context.get("authorization"));
  if (!claims) return json(context, 401, { error: { code: "token_missing", message: "Bearer token required." } });
  if (typeof claims.reject === "string")
    return json(context, 401, { error: { code: claims.reject, message: `Token refused: ${claims.reject}.` } });

  if (route === "echo") {
    const body = await readText(context.req);
    return json(context, 200, {
      method: context.method,
      sub: claims.sub ?? null,
      authorization: context.get("authorization"),
      requestId: context.get("x-request-id"),
      contentType: context.get("content-type") || null,
      idempotencyKey: context.get("idempotency-key") || null,
      body: body ? JSON.parse(body) : null,
    });
  }
  const failure = /^fail\/(\d{3})\/([a-z_]+)$/.exec(route);
  if (failure) {
    return json(context, Number(failure[1]), {
      error: { code: failure[2], message: `Fake failure ${failure[2]}.`, details: { route } },
    });
  }
  if (route === "html-error") {
    context.status = 502;
    context.type = "text/html";
    context.body = "<html><body>Bad gateway</body></html>";
    return;
  }
  if (route === "not-json") {
    context.status = 200;
    context.type = "text/plain";
    context.body = "ok";
    return;
  }
  if (route === "no-content") {
    context.status = 204;
    return;
  }
  if (route === "drop") {
    context.req.socket.destroy();
    return;
  }
  if (route === "hang") {
    // Answers only when the browser gives up: lets tests abort a request in flight.
    await new Promise((resolve) => context.req.once("close", resolve));
    return json(context, 499, { error: { code: "client_closed", message: "The client went away." } });
  }
  return json(context, 404, { error: { code: "not_found", message: `No fake route ${context.path}.` } });
}

/**
 * Writes `{passed, failed, skipped, failures}` for scripts/test.mjs when TSUNAGU_TEST_REPORT names a file; `failures`
 * names each failed test (file and title) so the run's last lines say what failed.
 */
function countsFileReporter(file) {
  return {
    onTestRunFinished({ sessions }) {
      if (!file) return;
      const counts = { passed: 0, failed: 0, skipped: 0, failures: [] };
      for (const session of sessions) {
        const before = counts.failed + counts.passed;
        if (session.testResults) countSuite(session.testResults, counts, session.testFile, []);
        // A file that failed to load, or errored outside any test, counts as one failure.
        if ((!session.passed && counts.failed + counts.passed === before) || session.errors.length > 0) {
          counts.failed += 1;
          counts.failures.push(`${session.testFile}: ${session.errors[0]?.message ?? "failed outside any test"}`);
        }
      }
      writeFileSync(file, JSON.stringify(counts));
    },
  };
}

function countSuite(suite, counts, file, titles) {
  for (const test of suite.tests) {
    if (test.skipped) counts.skipped += 1;
    else if (test.passed) counts.passed += 1;
    else {
      counts.failed += 1;
      counts.failures.push(`${file}: ${[...titles, test.name].join(" › ")}`);
    }
  }
  for (const child of suite.suites) countSuite(child, counts, file, [...titles, child.name]);
}
