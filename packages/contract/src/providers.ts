/** The four vendors Tsunagu connects to, as the API names them, and what a link to one is for. */

export const providerIds = ["google", "microsoft", "zoom", "slack"] as const;
export type ProviderId = (typeof providerIds)[number];

/** org: an admin connects the organisation; personal: anyone links an account of their own; signin: Sign in with Slack.
 * */
export const linkPurposes = ["org", "personal", "signin"] as const;
export type LinkPurpose = (typeof linkPurposes)[number];
