/**
 * What Hono carries through a request once the host token is verified: in
 * auth/, beside the claims it holds, so that auth imports nothing from http/.
 */
import type { HostTokenClaims } from "./host-token.ts";

/**
 * What the request front and CORS put on this request's answer, gathered before the route runs
 * (http/answer-headers.ts).
 */
export interface AnswerHeaders {
  readonly requestId: string;
  /**
   * Set by CORS: the origin it allows (`Access-Control-Allow-Origin`), or `null` when it allows none (then only `Vary:
   * Origin`). Undefined where CORS does not run (outside /v1).
   */
  corsOrigin: string | null | undefined;
  /** False once the route set a header or a status through the context: its answer is completed afterwards. */
  plain: boolean;
  /** The JSON answer built with every header already in it, if the route's answer is one. */
  complete: Response | undefined;
}

/** Variables Hono carries through a request. */
export interface AppEnv {
  Variables: {
    requestId: string;
    /** Set by the request front (http/request-front.ts). */
    answerHeaders: AnswerHeaders;
    /** Set by the host-token middleware once the caller is verified. */
    caller: HostTokenClaims;
  };
}
