/**
 * The fake Entra ID directory: Sakura Recruit's Microsoft 365 tenant (every
 * seeded person) and one account in another company's tenant, for the guard
 * that refuses a personal link from the wrong tenant.
 */
import { createHash } from "node:crypto";
import { microsoft, organisationDomain, outsiders, people, type SeedPerson } from "../seed.ts";

export interface DirectoryAccount {
  /** Entra object id (`oid`), a GUID. */
  oid: string;
  tenantId: string;
  person: SeedPerson;
  /** Sign-in name; for these accounts also the mailbox address. */
  userPrincipalName: string;
  isTenantAdmin: boolean;
}

export const otherTenantDomain = "other-company.example";

export const accounts: DirectoryAccount[] = [
  ...people.map((person) => account(person, microsoft.tenantId, microsoft.admins.includes(person.key))),
  account(outsiders.foreignZoomUser, microsoft.otherTenantId, false),
];

/** Windows time-zone name Outlook reports working hours in, for the seeded zone. */
export const workingHoursZoneName = "Tokyo Standard Time";

function account(person: SeedPerson, tenantId: string, isTenantAdmin: boolean): DirectoryAccount {
  return { oid: guid(`oid:${person.email}`), tenantId, person, userPrincipalName: person.email, isTenantAdmin };
}

/** A stable GUID per name, so a reset hands out the same ids. */
function guid(name: string): string {
  const hex = createHash("sha256").update(name).digest("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/**
 * Who may sign in under an authority's tenant segment
 * (https://learn.microsoft.com/entra/identity-platform/v2-protocols#endpoints):
 * `common` and `organizations` take any work account; a tenant id or domain
 * only its own people; `consumers` only personal accounts, of which the
 * sandbox has none. Unknown segments are not a tenant at all.
 */
export function accountsForTenant(segment: string): DirectoryAccount[] | undefined {
  const tenant = segment.toLowerCase();
  if (tenant === "common" || tenant === "organizations") return accounts;
  if (tenant === "consumers") return [];
  const tenantId = tenant === organisationDomain ? microsoft.tenantId : tenant === otherTenantDomain ? microsoft.otherTenantId : tenant;
  if (tenantId !== microsoft.tenantId && tenantId !== microsoft.otherTenantId) return undefined;
  return accounts.filter((candidate) => candidate.tenantId === tenantId);
}

export function findAccount(subject: string): DirectoryAccount | undefined {
  const wanted = subject.toLowerCase();
  return accounts.find((candidate) => candidate.oid === wanted || candidate.userPrincipalName.toLowerCase() === wanted);
}

const graphResource = "https://graph.microsoft.com/";
const oidcScopes = new Set(["openid", "profile", "email", "offline_access"]);
/** What `.default` stands for: the permissions registered for the app. */
const registeredPermissions = ["Calendars.ReadWrite", "User.Read"];

/**
 * Scopes as the token endpoint reports them: OIDC scopes bare, Graph
 * permissions as full URIs, whether asked as `User.Read` or
 * `https://graph.microsoft.com/User.Read`; `…/.default` means the app's
 * registered permissions. https://learn.microsoft.com/entra/identity-platform/scopes-oidc
 */
export function canonicalScopes(requested: string): string[] {
  const out = new Set<string>();
  for (const scope of requested.split(/\s+/).filter(Boolean)) {
    if (oidcScopes.has(scope.toLowerCase())) out.add(scope.toLowerCase());
    else if (/^(https:\/\/graph\.microsoft\.com\/)?\.default$/i.test(scope)) for (const permission of registeredPermissions) out.add(graphResource + permission);
    else out.add(scope.includes("://") ? scope : graphResource + scope);
  }
  return [...out];
}

/** Whether granted scopes include one of these Graph permissions. */
export function hasPermission(scopes: readonly string[], ...permissions: string[]): boolean {
  return permissions.some((permission) => scopes.some((scope) => scope.toLowerCase() === (graphResource + permission).toLowerCase()));
}
