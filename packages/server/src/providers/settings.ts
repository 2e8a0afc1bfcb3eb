/**
 * Where each provider lives and which OAuth app we are. The production
 * endpoints are below; the sandbox hands over the same shape pointing at its
 * local fakes. Provider clients read nothing else: that is the whole
 * difference between the sandbox and the real thing.
 */

export interface GoogleEndpoints {
  authorizeUrl: string;
  tokenUrl: string;
  revokeUrl: string;
  /** googleapis keeps only scheme, host and port of a rootUrl. */
  apiRootUrl: string;
  userinfoUrl: string;
  issuer: string;
  jwksUrl: string;
}

export interface MicrosoftEndpoints {
  /** `{authority}/{tenant}/oauth2/v2.0/authorize` and friends. */
  authority: string;
  /** Graph base; the version segment is added by the client. */
  graphBaseUrl: string;
}

export interface ZoomEndpoints {
  authorizeUrl: string;
  tokenUrl: string;
  revokeUrl: string;
  apiBaseUrl: string;
}

export interface SlackEndpoints {
  authorizeUrl: string;
  oidcAuthorizeUrl: string;
  /** Web API base ending in `/api/`. */
  apiBaseUrl: string;
  oidcIssuer: string;
  jwksUrl: string;
}

export interface OAuthApp<E> {
  clientId: string;
  clientSecret: string;
  endpoints: E;
}

export interface ProviderSettings {
  google?: OAuthApp<GoogleEndpoints>;
  microsoft?: OAuthApp<MicrosoftEndpoints>;
  /**
   * `clientId`/`clientSecret` is the user-managed app (personal links). Zoom
   * lets no app mix user-level and `:admin` scopes, so the organisation
   * connection (an admin-managed install) uses `adminApp` when given.
   */
  zoom?: OAuthApp<ZoomEndpoints> & {
    webhookSecret?: string | undefined;
    adminApp?: { clientId: string; clientSecret: string } | undefined;
  };
  slack?: OAuthApp<SlackEndpoints> & { signingSecret?: string | undefined };
}

export const productionEndpoints = {
  google: {
    authorizeUrl: "https://accounts.google.com/o/oauth2/v2/auth",
    tokenUrl: "https://oauth2.googleapis.com/token",
    revokeUrl: "https://oauth2.googleapis.com/revoke",
    apiRootUrl: "https://www.googleapis.com/",
    userinfoUrl: "https://openidconnect.googleapis.com/v1/userinfo",
    issuer: "https://accounts.google.com",
    jwksUrl: "https://www.googleapis.com/oauth2/v3/certs",
  },
  microsoft: {
    authority: "https://login.microsoftonline.com",
    graphBaseUrl: "https://graph.microsoft.com/",
  },
  zoom: {
    authorizeUrl: "https://zoom.us/oauth/authorize",
    tokenUrl: "https://zoom.us/oauth/token",
    revokeUrl: "https://zoom.us/oauth/revoke",
    apiBaseUrl: "https://api.zoom.us/v2",
  },
  slack: {
    authorizeUrl: "https://slack.com/oauth/v2/authorize",
    oidcAuthorizeUrl: "https://slack.com/openid/connect/authorize",
    apiBaseUrl: "https://slack.com/api/",
    oidcIssuer: "https://slack.com",
    jwksUrl: "https://slack.com/openid/connect/keys",
  },
} as const satisfies {
  google: GoogleEndpoints;
  microsoft: MicrosoftEndpoints;
  zoom: ZoomEndpoints;
  slack: SlackEndpoints;
};

/** Endpoints that replace the production ones, per provider (TSUNAGU_PROVIDER_ENDPOINTS: a proxy, a regional host). */
export interface ProviderEndpointOverrides {
  google?: Partial<GoogleEndpoints>;
  microsoft?: Partial<MicrosoftEndpoints>;
  zoom?: Partial<ZoomEndpoints>;
  slack?: Partial<SlackEndpoints>;
}

type WithoutEndpoints<App> = Omit<NonNullable<App>, "endpoints"> | undefined;

/** The OAuth apps as configured (src/config.ts reads them from the environment): each provider's settings but its
 * endpoints. */
export interface ConfiguredProviders {
  providers: {
    google: WithoutEndpoints<ProviderSettings["google"]>;
    microsoft: WithoutEndpoints<ProviderSettings["microsoft"]>;
    zoom: WithoutEndpoints<ProviderSettings["zoom"]>;
    slack: WithoutEndpoints<ProviderSettings["slack"]>;
  };
  providerEndpoints?: ProviderEndpointOverrides | undefined;
}

/** The real providers, for the OAuth apps configured in the environment, with any endpoints TSUNAGU_PROVIDER_ENDPOINTS
 * replaces. */
export function providerSettingsFromConfig(config: ConfiguredProviders): ProviderSettings {
  const { google, microsoft, zoom, slack } = config.providers;
  const overrides = config.providerEndpoints ?? {};
  return {
    ...(google && { google: { ...google, endpoints: { ...productionEndpoints.google, ...overrides.google } } }),
    ...(microsoft && {
      microsoft: { ...microsoft, endpoints: { ...productionEndpoints.microsoft, ...overrides.microsoft } },
    }),
    ...(zoom && { zoom: { ...zoom, endpoints: { ...productionEndpoints.zoom, ...overrides.zoom } } }),
    ...(slack && { slack: { ...slack, endpoints: { ...productionEndpoints.slack, ...overrides.slack } } }),
  };
}
