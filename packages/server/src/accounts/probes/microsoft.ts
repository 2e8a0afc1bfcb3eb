/** Microsoft: who-am-I is Graph GET /me (the object id is the account's external user id). */
import type { MicrosoftClient } from "../../providers/microsoft.ts";
import type { AccountProbe } from "../probe.ts";

export function microsoftProbe(client: MicrosoftClient): AccountProbe {
  return {
    provider: "microsoft",
    async whoAmI(accessToken) {
      const me = await client.api(accessToken).me();
      return { externalUserId: me.id, email: me.email };
    },
  };
}
