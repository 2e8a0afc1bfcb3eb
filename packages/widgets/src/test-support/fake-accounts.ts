/**
 * Browser side of test-support/fake-accounts-api.mjs: seeds a tenant of the
 * fake accounts API and makes host tokens for it. Production code never
 * imports this folder.
 */
import type { Account, Connection, ProviderOffer } from "../integration-accounts/accounts-api.ts";
import { type FakeClaims, fakeHostToken } from "./fake-host-token.ts";

export type SeedConnection = Partial<Omit<Connection, "canManage">> & Pick<Connection, "provider">;
export type SeedAccount = Partial<Account> & Pick<Account, "provider">;

/** What the next OAuth flow ends with. */
export type SeedOutcome =
  | { account: Partial<Account> }
  | { connection: Partial<Connection>; adminAccount?: Partial<Account> }
  | { error: { code: string; message: string } };

export interface TenantSeed {
  role?: "admin" | "recruiter" | "assistant" | "guest";
  providers?: ProviderOffer[];
  connections?: SeedConnection[];
  accounts?: SeedAccount[];
  outcomes?: SeedOutcome[];
  /** "METHOD /v1/path" → an error answered once. */
  failures?: Record<string, { status: number; code: string; message: string; details?: unknown }>;
  /** How long a flow lives before it reports `expired` (default ten minutes, as on the server). */
  flowLifetimeMs?: number;
}

export interface FakeTenant {
  org: string;
  /** A token for this tenant's user (`sub` "ken" unless `claims` says otherwise). */
  token(claims?: Partial<FakeClaims>): string;
  /** What the element sent to the fake, in order. */
  requests(): Promise<Array<{ route: string; body: unknown }>>;
}

export async function seedFakeTenant(seed: TenantSeed = {}): Promise<FakeTenant> {
  const org = `org-${crypto.randomUUID()}`;
  const response = await fetch("/fake-tsunagu/control/seed", {
    method: "POST",
    body: JSON.stringify({ org, ...seed }),
  });
  if (!response.ok) throw new Error(`seeding the fake failed: ${response.status} ${await response.text()}`);
  const now = Math.floor(Date.now() / 1000);
  return {
    org,
    token: (claims = {}) =>
      fakeHostToken({
        iss: "fake-host",
        sub: "ken",
        org,
        role: seed.role ?? "recruiter",
        iat: now,
        exp: now + 900,
        ...claims,
      }),
    requests: async () =>
      (await (await fetch(`/fake-tsunagu/control/requests?org=${encodeURIComponent(org)}`)).json()) as Array<{
        route: string;
        body: unknown;
      }>,
  };
}
