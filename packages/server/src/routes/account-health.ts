/**
 * POST /v1/accounts/:id/check (mounted under /v1, after tokenAuth): checks one
 * of the caller's own accounts at its provider.
 *
 * 200 {status:"active", checkedAt}; 404 `account_not_found`; 409 `needs_reauth`
 * (the account must be linked again; details {status, reason}); 503
 * `provider_unavailable` (the provider could not answer; nothing changed);
 * 501 `check_not_supported` (the provider is not configured here).
 */
import { Hono } from "hono";
import { z } from "zod";
import { type HealthCheckDeps, checkAccount } from "../accounts/health-check.ts";
import { ReauthRequiredError, TokenRefreshError } from "../accounts/refresh.ts";
import { ApiError } from "../errors.ts";
import type { AppEnv } from "../auth/app-env.ts";
import { documented } from "../openapi/route-doc.ts";
import { ProviderError } from "../providers/errors.ts";
import { userScopeOf } from "../store/tenancy.ts";

export function accountHealthRoutes(deps: HealthCheckDeps) {
  return new Hono<AppEnv>().post(
    "/accounts/:id/check",
    documented({
      summary: "Checks one of the caller's accounts at its provider",
      tag: "accounts",
      answers: { 200: z.object({ status: z.literal("active"), checkedAt: z.string() }) },
      errors: {
        404: ["account_not_found"],
        409: ["needs_reauth"],
        501: ["check_not_supported"],
        503: ["provider_unavailable"],
      },
    }),
    async (c) => {
      try {
        return c.json(await checkAccount(deps, userScopeOf(c.get("caller")), c.req.param("id")));
      } catch (error) {
        throw tokenFailureAsApiError(error);
      }
    },
  );
}

/** The refresher's and providers' failures as the API answers them; anything else unchanged. */
export function tokenFailureAsApiError(error: unknown): unknown {
  if (error instanceof ReauthRequiredError) {
    return new ApiError(
      409,
      "needs_reauth",
      `This ${error.owner.provider} account must be linked again (${error.reason}).`,
      {
        cause: error,
        details: { status: "needs_reauth", reason: error.reason },
      },
    );
  }
  if (error instanceof TokenRefreshError || error instanceof ProviderError) {
    const retryAfter = error instanceof TokenRefreshError ? error.retryAfterSeconds : undefined;
    return new ApiError(
      503,
      "provider_unavailable",
      `${error.provider} could not be reached or refused to answer for now (${error.code}); try again in a moment.`,
      {
        cause: error,
        ...(retryAfter !== undefined ? { headers: { "Retry-After": String(retryAfter) } } : {}),
      },
    );
  }
  return error;
}
