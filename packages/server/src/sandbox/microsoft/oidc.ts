/**
 * OpenID Connect metadata of the fake identity platform, per tenant segment:
 * the discovery document and the signing keys it points to.
 * https://learn.microsoft.com/entra/identity-platform/v2-protocols-oidc#find-your-apps-openid-configuration-document-uri
 *
 * As at Microsoft, `common` and `organizations` cannot name one issuer: their
 * document says `{origin}/{tenantid}/v2.0`, a template the client fills with
 * the token's `tid`. A tenant's own document (by id or domain) names the
 * tenant id in every endpoint and in the issuer.
 * https://learn.microsoft.com/entra/identity-platform/access-tokens#validate-the-issuer
 */
import { type Context, Hono } from "hono";
import type { FakeContext } from "../fake.ts";
import { consumersTenantId, resolveTenant, type TenantSegment } from "./directory.ts";
import { aadError } from "./errors.ts";
import type { SigningKeys } from "./signing-keys.ts";

/** Microsoft serves both for a day. */
const cacheControl = "max-age=86400, private";

export function oidcRoutes(context: FakeContext, keys: SigningKeys): Hono {
  const app = new Hono();
  const origin = () => context.baseUrl();

  const tenantOf = (c: Context): { tenant: TenantSegment; path: string } | Response => {
    const segment = c.req.param("tenant") ?? "";
    const tenant = resolveTenant(segment);
    if (!tenant) {
      return aadError(
        c,
        context.clock,
        400,
        "invalid_tenant",
        90002,
        `Tenant '${segment}' not found. Check to make sure you have the correct tenant ID and are signing into the ` +
          `correct cloud.`,
      );
    }
    return {
      tenant,
      path: tenant.kind === "tenant" ? tenant.tenantId : tenant.kind === "multi" ? tenant.segment : "consumers",
    };
  };

  app.get("/:tenant/v2.0/.well-known/openid-configuration", (c) => {
    const resolved = tenantOf(c);
    if (resolved instanceof Response) return resolved;
    const { tenant, path } = resolved;
    const base = `${origin()}/${path}`;
    return c.json(
      {
        token_endpoint: `${base}/oauth2/v2.0/token`,
        token_endpoint_auth_methods_supported: ["client_secret_post", "private_key_jwt", "client_secret_basic"],
        jwks_uri: `${base}/discovery/v2.0/keys`,
        response_modes_supported: ["query", "fragment", "form_post"],
        subject_types_supported: ["pairwise"],
        id_token_signing_alg_values_supported: ["RS256"],
        response_types_supported: ["code", "id_token", "code id_token", "id_token token"],
        scopes_supported: ["openid", "profile", "email", "offline_access"],
        issuer: issuerOf(origin(), tenant),
        request_uri_parameter_supported: false,
        userinfo_endpoint: `${origin()}/oidc/userinfo`,
        authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
        claims_supported: [
          "sub",
          "iss",
          "cloud_instance_name",
          "cloud_instance_host_name",
          "cloud_graph_host_name",
          "msgraph_host",
          "aud",
          "exp",
          "iat",
          "auth_time",
          "acr",
          "nonce",
          "preferred_username",
          "name",
          "tid",
          "ver",
          "at_hash",
          "c_hash",
          "email",
        ],
        tenant_region_scope: tenant.kind === "tenant" ? "AS" : null,
        cloud_instance_name: "microsoftonline.com",
        cloud_graph_host_name: "graph.windows.net",
        msgraph_host: new URL(origin()).host,
      },
      200,
      { "cache-control": cacheControl },
    );
  });

  app.get("/:tenant/discovery/v2.0/keys", (c) => {
    const resolved = tenantOf(c);
    if (resolved instanceof Response) return resolved;
    return c.json(keys.published(issuerOf(origin(), resolved.tenant)), 200, { "cache-control": cacheControl });
  });

  return app;
}

/** The `iss` of this segment's tokens: the tenant's own, or the `{tenantid}` template of the multi-tenant segments. */
export function issuerOf(origin: string, tenant: TenantSegment): string {
  const tenantId =
    tenant.kind === "tenant" ? tenant.tenantId : tenant.kind === "consumers" ? consumersTenantId : "{tenantid}";
  return `${origin}/${tenantId}/v2.0`;
}
