/**
 * Verifying Microsoft id_tokens the way Microsoft's docs ask: against the
 * signing keys the OpenID Connect discovery document names, for our client
 * id, from the issuer of the tenant the token names, with the nonce of the
 * sign-in that asked for it. What an id_token says is only worth trusting
 * once it is verified: the organisation connection decides on its `wids`.
 * https://learn.microsoft.com/entra/identity-platform/id-tokens#validate-id-tokens
 * https://learn.microsoft.com/entra/identity-platform/v2-protocols-oidc#find-your-apps-openid-configuration-document-uri
 *
 * One discovery document serves every tenant: the `organizations` one, whose
 * issuer is the template `https://login.microsoftonline.com/{tenantid}/v2.0`.
 * The token's `tid` fills the template, so a token is accepted only from the
 * issuer of the tenant it claims to be from.
 * https://learn.microsoft.com/entra/identity-platform/access-tokens#validate-the-issuer
 */
import { createRemoteJWKSet, customFetch, errors as joseErrors, type JWTVerifyGetKey, jwtVerify } from "jose";
import { z } from "zod";
import { ProviderError } from "../errors.ts";
import { type HttpDeps, providerRequest } from "../http.ts";

// https://learn.microsoft.com/entra/identity-platform/v2-protocols-oidc#sample-response
const discoveryDocument = z.object({
  issuer: z.string().min(1),
  jwks_uri: z.url(),
  id_token_signing_alg_values_supported: z.array(z.string()),
});

const tenantIdPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// The claims we read. https://learn.microsoft.com/entra/identity-platform/id-token-claims-reference
const idTokenClaims = z.object({
  iss: z.string(),
  tid: z.string().regex(tenantIdPattern),
  oid: z.string().min(1),
  nonce: z.string().optional(),
  preferred_username: z.string().optional(),
  email: z.string().optional(),
  name: z.string().optional(),
  /**
   * Template ids of the person's directory roles. Emitted for apps registered
   * with `groupMembershipClaims` "DirectoryRole" or "All".
   * https://learn.microsoft.com/entra/identity-platform/access-token-claims-reference#payload-claims
   */
  wids: z.array(z.string()).optional(),
});

/** Who signed in, from a verified id_token. `tenantId` is what personal links are checked against. */
export interface MicrosoftIdentity {
  tenantId: string;
  objectId: string;
  username: string | undefined;
  email: string | undefined;
  name: string | undefined;
  /** Directory role template ids (`wids`); empty when the token lists none. */
  directoryRoleIds: string[];
}

export interface MicrosoftIdTokenVerifier {
  /** Throws ProviderError `invalid_id_token` for a token that fails any check, `jwks_unavailable` when the keys cannot
   * be fetched. */
  verify(idToken: string, expected: { nonce: string }): Promise<MicrosoftIdentity>;
}

interface Metadata {
  issuerTemplate: string;
  keys: JWTVerifyGetKey;
}

/** Tokens whose `nbf`/`exp` are off by our clock's skew within this are still taken. */
const clockToleranceSeconds = 60;

export function createMicrosoftIdTokenVerifier(
  options: { authority: string; tenant: string; clientId: string },
  deps: HttpDeps,
): MicrosoftIdTokenVerifier {
  const tenantPath = `/${encodeURIComponent(options.tenant)}/v2.0`;
  const discoveryUrl = `${options.authority}${tenantPath}/.well-known/openid-configuration`;
  let metadata: Promise<Metadata> | undefined;

  const discover = async (): Promise<Metadata> => {
    const document = await providerRequest(deps, {
      provider: "microsoft",
      url: discoveryUrl,
      schema: discoveryDocument,
      toError: ({ status }) =>
        new ProviderError(
          "microsoft",
          status,
          `http_${status}`,
          `Microsoft's OpenID Connect discovery document answered ${status}`,
        ),
      kind: "safe",
    });
    if (!document.id_token_signing_alg_values_supported.includes("RS256")) {
      throw new ProviderError(
        "microsoft",
        200,
        "invalid_response",
        "Microsoft's discovery document no longer lists RS256 for id_tokens",
      );
    }
    // jose caches the key set and fetches it again when a token names a `kid` it does not hold (key rollover).
    return {
      issuerTemplate: document.issuer,
      keys: createRemoteJWKSet(new URL(document.jwks_uri), { [customFetch]: (url, init) => deps.fetch(url, init) }),
    };
  };

  const invalid = (message: string, cause?: unknown) =>
    new ProviderError("microsoft", 200, "invalid_id_token", `Microsoft's id_token did not verify: ${message}`, {
      cause,
    });

  return {
    async verify(idToken, expected) {
      // One discovery per process; a failed one is tried again by the next sign-in.
      metadata ??= discover().catch((error: unknown) => {
        metadata = undefined;
        throw error;
      });
      const { issuerTemplate, keys } = await metadata;
      let payload: unknown;
      try {
        ({ payload } = await jwtVerify(idToken, keys, {
          audience: options.clientId,
          algorithms: ["RS256"],
          requiredClaims: ["iss", "tid", "exp"],
          currentDate: deps.clock.now(),
          clockTolerance: clockToleranceSeconds,
        }));
      } catch (cause) {
        if (cause instanceof joseErrors.JWKSTimeout || !(cause instanceof joseErrors.JOSEError)) {
          throw new ProviderError("microsoft", 0, "jwks_unavailable", "Microsoft's signing keys could not be fetched", {
            cause,
          });
        }
        throw invalid((cause as Error).message, cause);
      }
      const parsed = idTokenClaims.safeParse(payload);
      if (!parsed.success) throw invalid("it lacks tid or oid", parsed.error);
      const claims = parsed.data;
      const issuer = issuerTemplate.replace("{tenantid}", claims.tid);
      if (claims.iss !== issuer) throw invalid(`issuer ${claims.iss} is not ${issuer}`);
      if (claims.nonce !== expected.nonce) throw invalid("it carries the nonce of another sign-in");
      return {
        tenantId: claims.tid.toLowerCase(),
        objectId: claims.oid,
        username: claims.preferred_username,
        email: claims.email,
        name: claims.name,
        directoryRoleIds: (claims.wids ?? []).map((id) => id.toLowerCase()),
      };
    },
  };
}
