/**
 * How the one request path (http.ts) puts a call on the wire. In production
 * it is `keepAliveSend`: node:http / node:https with one keep-alive agent per
 * scheme for the whole process (each agent keeps its own socket pool per
 * origin, so every call to a provider reuses a warm connection), the answer
 * read whole into a string. Node's fetch cost about four times the CPU per
 * call for the same exchange (its WHATWG streams, Request and Response
 * objects, an AbortSignal each), which is what dominated availability, one
 * call per calendar account (bench/profile-availability.ts).
 *
 * `fetchSend` keeps the same shape over any `fetch`, for dependencies that
 * bring only a fetch (the provider tests' recording fetches).
 *
 * Like fetch, `keepAliveSend` rejects only when no answer came (network
 * failure, timeout); any status is an answer. It asks for no compression
 * (provider answers here are small JSON), and undoes one if a server sends
 * it anyway.
 */
import { Agent as HttpAgent, type IncomingMessage, request as httpRequest } from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";
import { brotliDecompressSync, gunzipSync, inflateSync } from "node:zlib";

export interface RawRequest {
  method: string;
  headers: Record<string, string>;
  body: string | URLSearchParams | undefined;
  /** The whole exchange, connection included, must end within this. */
  timeoutMs: number;
}

export interface RawResponse {
  status: number;
  /** One header, as `Headers.get` reads it (repeated fields joined with ", "). */
  header(name: string): string | null;
  /** All of them as `Headers`, built when asked (error paths read provider-specific fields). */
  headers(): Headers;
  text: string;
}

export type Send = (url: string | URL, request: RawRequest) => Promise<RawResponse>;

// Free sockets are dropped before the server's own keep-alive timeout would close them under a request (Node's
// http server closes idle connections after 5 s; Node's agent also honours a `Keep-Alive: timeout=` hint).
//
// At most `connectionsPerOrigin` connections to one origin, and as many kept when free: every connection the agent
// opens can then wait in its pool for the next call instead of being closed for want of room. Node's default is no
// limit on connections and 256 free ones, so a burst beyond 256 calls opened connections only to close them: 50
// concurrent availability questions of 50 people over 60 days (one question sends up to 100 Graph calls at once:
// 50 accounts, two 41-day windows) opened about 3,800 connections to the calendar fakes in 15 s, 585 with this
// limit. In one such run the fakes' listen queue overflowed under that churn and the SYN retries put the slowest
// answers at 11 to 16 s against about 5 s (bench/HISTORY.md). 256 keeps one question's largest fan-out (100 calls)
// a single round trip.
export const connectionsPerOrigin = 256;
const agentOptions = {
  keepAlive: true,
  timeout: 4_000,
  maxSockets: connectionsPerOrigin,
  maxFreeSockets: connectionsPerOrigin,
};
const agents = { "http:": new HttpAgent(agentOptions), "https:": new HttpsAgent(agentOptions) };

export const keepAliveSend: Send = (url, request) => {
  const target = typeof url === "string" ? new URL(url) : url;
  const scheme = target.protocol;
  if (scheme !== "http:" && scheme !== "https:") return Promise.reject(new TypeError(`cannot send to ${scheme} URLs`));
  const headers: Record<string, string> = { ...request.headers };
  let body: string | undefined;
  if (request.body instanceof URLSearchParams) {
    body = request.body.toString();
    headers["content-type"] ??= "application/x-www-form-urlencoded;charset=UTF-8";
  } else {
    body = request.body;
  }
  if (body !== undefined) headers["content-length"] = String(Buffer.byteLength(body));
  return new Promise<RawResponse>((resolve, reject) => {
    const send = scheme === "https:" ? httpsRequest : httpRequest;
    const outgoing = send(target, { method: request.method, headers, agent: agents[scheme] }, (incoming) => {
      const chunks: Buffer[] = [];
      incoming.on("data", (chunk: Buffer) => chunks.push(chunk));
      incoming.on("error", fail);
      incoming.on("end", () => {
        clearTimeout(timer);
        try {
          // An answer that came in one piece is read from that piece: Buffer.concat copies even a single one (~1 MB
          // of free/busy answers per 50-people question).
          const whole = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks);
          resolve(rawResponse(incoming, decode(incoming.headers["content-encoding"], whole)));
        } catch (error) {
          reject(error);
        }
      });
    });
    // Rejected here, not on the request's 'error': a call still waiting for one of the origin's connections has no
    // socket yet, and Node emits its 'error' only once a connection comes free for it.
    const timer = setTimeout(() => {
      const error = new Error(`no answer within ${request.timeoutMs} ms`);
      fail(error);
      outgoing.destroy(error);
    }, request.timeoutMs);
    function fail(error: Error) {
      clearTimeout(timer);
      reject(error);
    }
    outgoing.on("error", fail);
    outgoing.end(body);
  });
};

/** The same shape over a `fetch`. */
export function fetchSend(fetchImplementation: typeof fetch): Send {
  return async (url, request) => {
    const response = await fetchImplementation(url, {
      method: request.method,
      headers: request.headers,
      body: request.body,
      signal: AbortSignal.timeout(request.timeoutMs),
    });
    const text = await response.text();
    return {
      status: response.status,
      header: (name) => response.headers.get(name),
      headers: () => response.headers,
      text,
    };
  };
}

function rawResponse(incoming: IncomingMessage, body: Buffer): RawResponse {
  let all: Headers | undefined;
  const headers = () => {
    if (!all) {
      all = new Headers();
      const raw = incoming.rawHeaders;
      for (let index = 0; index + 1 < raw.length; index += 2) all.append(raw[index]!, raw[index + 1]!);
    }
    return all;
  };
  return {
    status: incoming.statusCode ?? 0,
    header: (name) => {
      const value = incoming.headers[name.toLowerCase()];
      if (value === undefined) return null;
      return Array.isArray(value) ? value.join(", ") : value;
    },
    headers,
    text: body.toString("utf8"),
  };
}

function decode(encoding: string | undefined, body: Buffer): Buffer {
  switch (encoding?.trim().toLowerCase()) {
    case undefined:
    case "":
    case "identity":
      return body;
    case "gzip":
    case "x-gzip":
      return gunzipSync(body);
    case "br":
      return brotliDecompressSync(body);
    case "deflate":
      return inflateSync(body);
    default:
      throw new Error(`the answer is encoded as ${encoding}, which this client does not read`);
  }
}
