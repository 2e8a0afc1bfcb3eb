/** Google: who-am-I is the userinfo endpoint (`sub` is the account's external user id). */
import type { GoogleClient } from "../../providers/google.ts";
import type { AccountProbe } from "../probe.ts";

export function googleProbe(client: GoogleClient): AccountProbe {
  return {
    provider: "google",
    async whoAmI(accessToken) {
      const identity = await client.api(accessToken).whoAmI();
      return { externalUserId: identity.sub, email: identity.email };
    },
  };
}
