/**
 * Slack: a personal account holds a Sign in with Slack token, whose who-am-I
 * is openid.connect.userInfo. Slack refuses a dead token inside a 200
 * (`invalid_auth`, `token_revoked`…), which our client raises as
 * InvalidGrantError; here that is the probe's `unauthorized`.
 */
import { InvalidGrantError, ProviderError } from "../../providers/errors.ts";
import type { SlackClient } from "../../providers/slack.ts";
import type { AccountProbe } from "../probe.ts";

export function slackProbe(client: SlackClient): AccountProbe {
  return {
    provider: "slack",
    async whoAmI(accessToken) {
      try {
        const identity = await client.signIn.userInfo(accessToken);
        return { externalUserId: identity.userId, email: identity.email };
      } catch (error) {
        if (error instanceof InvalidGrantError)
          throw new ProviderError("slack", error.status, "unauthorized", error.message, { cause: error });
        throw error;
      }
    },
  };
}
