/**
 * The demo portal's backend, as Vite middleware:
 *   GET /portal-api/host-token?user=<id>[&locale=ja|en] → {token, expiresAt}
 * A real portal would take the user from its session; the demo lets the page
 * pick one, which is the point of a demo.
 *
 * As it starts, it also introduces every portal user to the Tsunagu server
 * (`GET /v1/me` with each one's token): the server learns an interviewer's
 * address from their host token, so someone who never opened a page with an
 * element could not yet be chosen as an interviewer (400
 * interviewer_unknown). A portal of its own would do the same when it adds a
 * user, or leave it to their first visit.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Plugin } from "vite";
import { findPortalUser, type PortalLanguage, portalUsers } from "../src/users.ts";
import { HostSecretMissingError, readHostSecret, signHostToken } from "./host-tokens.ts";

export interface PortalApiOptions {
  /** The file holding the host secret (base64url), written by scripts/demo.mjs. */
  hostSecretFile: string;
  /** The Tsunagu server, which every portal user is introduced to as the portal starts. */
  serverUrl: string;
}

export function portalApi(options: PortalApiOptions): Plugin {
  return {
    name: "sakura-portal-api",
    configureServer(server) {
      server.httpServer?.once("listening", () => {
        introduceUsers(options).catch((error: unknown) => {
          const reason = error instanceof Error ? error.message : String(error);
          server.config.logger.warn(
            `portal-api: the portal's users could not be introduced to Tsunagu (${reason}); each becomes known ` +
              "when they first open a page with an element",
          );
        });
      });
      server.middlewares.use("/portal-api/host-token", (request, response) => {
        hostToken(request, response, options).catch((error: unknown) => {
          server.config.logger.error(`portal-api: ${error instanceof Error ? error.message : String(error)}`);
          if (!response.headersSent)
            sendJson(response, 500, errorBody("internal_error", "The portal could not sign a host token."));
        });
      });
    },
  };
}

async function hostToken(request: IncomingMessage, response: ServerResponse, options: PortalApiOptions): Promise<void> {
  if (request.method !== "GET") {
    response.setHeader("Allow", "GET");
    return sendJson(response, 405, errorBody("method_not_allowed", `${request.method} is not allowed; use GET.`));
  }
  const query = new URL(request.url ?? "/", "http://portal.invalid").searchParams;
  const user = findPortalUser(query.get("user"));
  if (!user) return sendJson(response, 404, errorBody("unknown_user", `No portal user "${query.get("user") ?? ""}".`));
  const requested = query.get("locale");
  if (requested !== null && requested !== "ja" && requested !== "en") {
    return sendJson(response, 400, errorBody("invalid_locale", "locale must be ja or en."));
  }
  const locale: PortalLanguage = requested ?? user.locale;
  let secret: Uint8Array;
  try {
    secret = await readHostSecret(options.hostSecretFile);
  } catch (error) {
    if (error instanceof HostSecretMissingError)
      return sendJson(response, 503, errorBody("host_secret_missing", error.message));
    throw error;
  }
  sendJson(response, 200, await signHostToken(user, locale, secret));
}

/** `GET /v1/me` as each portal user, once the server answers (it starts beside the portal), for up to two minutes. */
async function introduceUsers(options: PortalApiOptions): Promise<void> {
  const deadline = Date.now() + 120_000;
  const secret = await readHostSecret(options.hostSecretFile);
  for (const user of portalUsers) {
    for (;;) {
      const { token } = await signHostToken(user, user.locale, secret);
      const answer = await fetch(`${options.serverUrl}/v1/me`, { headers: { Authorization: `Bearer ${token}` } }).catch(
        () => undefined,
      );
      if (answer?.ok) break;
      if (answer && answer.status !== 503) throw new Error(`GET /v1/me as ${user.id} answered ${answer.status}`);
      if (Date.now() > deadline) throw new Error("the server did not answer within two minutes");
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
}

function errorBody(code: string, message: string) {
  return { error: { code, message } };
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.statusCode = status;
  response.setHeader("Content-Type", "application/json; charset=utf-8");
  // A bearer token must not sit in any cache.
  response.setHeader("Cache-Control", "no-store");
  response.end(JSON.stringify(body));
}
