import type { Translation } from "../translation.ts";

const providerNames = { google: "Google", microsoft: "Microsoft 365", zoom: "Zoom", slack: "Slack" } as const;
const accountStatuses = { active: "Connected", needs_reauth: "Needs reconnecting", revoked: "Revoked" } as const;
const plural = new Intl.PluralRules("en");

/** "1 account", "2 accounts": English picks its form by CLDR plural category. */
function count(value: number, one: string, other: string): string {
  return `${value} ${plural.select(value) === "one" ? one : other}`;
}

export const en: Translation = {
  $language: "en",
  $name: "English",

  loading: "Loading…",
  retry: "Try again",
  close: "Close",
  cancel: "Cancel",
  save: "Save",
  connect: "Connect",
  disconnect: "Disconnect",
  reconnect: "Reconnect",
  errorHeading: "Something went wrong",
  requestId: (id) => `Request ID: ${id}`,

  providerName: (provider) => providerNames[provider],
  accountStatus: (status) => accountStatuses[status],
  accountCount: (value) => count(value, "account", "accounts"),
  minutes: (value) => count(value, "minute", "minutes"),

  errors: {
    network_error: "Could not reach the Tsunagu server. Check the network and try again.",
    timeout: "The Tsunagu server did not answer in time. Try again.",
    invalid_response: "The Tsunagu server sent an unexpected answer.",
    server_missing: "The Tsunagu server URL is not set (the server attribute).",
    token_missing: "No host token is set (token or tokenProvider).",
    token_unavailable: "Could not get a host token from the portal.",
    token_expired: "Your session has expired. Reload the page.",
    token_signature: "The host token's signature could not be verified.",
    forbidden: "You are not allowed to do this.",
    rate_limited: "Too many requests. Wait a moment and try again.",
    internal_error: "Something went wrong on the server.",
  },
};
