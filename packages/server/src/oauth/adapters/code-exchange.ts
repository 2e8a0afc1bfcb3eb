/**
 * The one "exchange the code or refuse" step every link adapter takes. A
 * callback that carries no code and a code the provider no longer accepts
 * (used already, expired, issued for another organisation) end the same way
 * for every provider: the refusals `code_missing` and `code_invalid`, whose
 * messages name the provider. Anything else the provider answers throws, and
 * the engine reports it as `provider_error`. How each provider says "this code
 * is spent" is its own (Google and Microsoft `invalid_grant`, Slack
 * `invalid_code`, Zoom a 400): each adapter passes that as `isSpentCode`.
 */
import { ProviderError, type ProviderId } from "../../providers/errors.ts";
import type { LinkOutcome } from "../provider-link.ts";

export type Refused = Extract<LinkOutcome, { kind: "refused" }>;

const providerNames: Record<ProviderId, string> = {
  google: "Google",
  microsoft: "Microsoft",
  zoom: "Zoom",
  slack: "Slack",
};

/** Codes the widget translates: keep them stable. */
export const codeRefusals = {
  code_missing: (provider: ProviderId) =>
    `${providerNames[provider]} sent no authorization code back. Start linking again.`,
  code_invalid: (provider: ProviderId) =>
    `${providerNames[provider]} did not accept this sign-in any more (it was used already, has expired, or belongs ` +
    `to another organisation). Start linking again.`,
} as const;

export function codeRefusal(code: keyof typeof codeRefusals, provider: ProviderId): Refused {
  return { kind: "refused", code, message: codeRefusals[code](provider) };
}

/** What the exchange gave, or the refusal to return as the outcome. */
export type Exchanged<T> = { kind: "exchanged"; value: T } | Refused;

export async function exchangeCodeOrRefuse<T>(
  provider: ProviderId,
  callback: URLSearchParams,
  isSpentCode: (error: ProviderError) => boolean,
  exchange: (code: string) => Promise<T>,
): Promise<Exchanged<T>> {
  const code = callback.get("code");
  if (!code) return codeRefusal("code_missing", provider);
  try {
    return { kind: "exchanged", value: await exchange(code) };
  } catch (error) {
    if (error instanceof ProviderError && isSpentCode(error)) return codeRefusal("code_invalid", provider);
    throw error;
  }
}
