import type { HostTokenClaims } from "../auth/host-token.ts";

/** Variables Hono carries through a request. */
export interface AppEnv {
  Variables: {
    requestId: string;
    /** Set by the host-token middleware once the caller is verified. */
    caller: HostTokenClaims;
  };
}
