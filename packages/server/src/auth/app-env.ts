/**
 * What Hono carries through a request once the host token is verified: in
 * auth/, beside the claims it holds, so that auth imports nothing from http/.
 */
import type { HostTokenClaims } from "./host-token.ts";

/** Variables Hono carries through a request. */
export interface AppEnv {
  Variables: {
    requestId: string;
    /** Set by the host-token middleware once the caller is verified. */
    caller: HostTokenClaims;
  };
}
