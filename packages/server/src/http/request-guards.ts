/**
 * The checks every request passes before a route looks at it, in one
 * middleware: a body larger than 256 KB is refused (413), then a NUL
 * character in the path, the query string or the body (400,
 * nul-characters.ts), and a body sent compressed (400): the server decodes
 * no Content-Encoding, and a gzipped body read as it came would be refused
 * as holding a NUL, which would send its sender looking in the wrong place.
 *
 * A GET or HEAD has no body (the fetch Request forbids one, and
 * @hono/node-server attaches none), yet merely asking `c.req.raw.body` makes
 * the Node adapter build a full Request object: for them only the URL is
 * looked at, synchronously, without a frame or an await of its own (issue 15).
 */
import type { MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { AppEnv } from "../auth/app-env.ts";
import { ApiError, badRequest } from "../errors.ts";
import { refuseNulInBody, refuseNulInUrl } from "./nul-characters.ts";

export const maxBodyBytes = 256 * 1024;

export function requestGuards(): MiddlewareHandler<AppEnv> {
  const limitBody = bodyLimit({
    maxSize: maxBodyBytes,
    onError: () => {
      // Answered before the body was read to its end: the connection is closed after this answer, and says so, so
      // that a keep-alive client does not send its next request on a socket the server is done with.
      throw new ApiError(413, "payload_too_large", "The request body is larger than 256 KB.", {
        headers: { Connection: "close" },
      });
    },
  });
  return function requestGuardsMiddleware(c, next) {
    const method = c.req.method;
    if (method === "GET" || method === "HEAD") {
      refuseNulInUrl(c.req.url);
      return next();
    }
    return limitBody(c, async () => {
      refuseNulInUrl(c.req.url);
      refuseEncodedBody(c.req.header("Content-Encoding"));
      await refuseNulInBody(c);
      await next();
    });
  };
}

function refuseEncodedBody(encoding: string | undefined): void {
  if (encoding === undefined || /^\s*identity\s*$/i.test(encoding)) return;
  throw badRequest(
    "invalid_body",
    `The body is sent with Content-Encoding ${encoding.slice(0, 40)}, which this server does not decode: send it ` +
      "uncompressed.",
  );
}
