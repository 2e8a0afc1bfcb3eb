/**
 * The fake Entra ID directory: Sakura Recruit's Microsoft 365 tenant (every
 * seeded person) and one account in another company's tenant, for the guard
 * that refuses a personal link from the wrong tenant.
 */
import { createHash } from "node:crypto";
import {
  microsoft,
  type MicrosoftDirectoryRole,
  organisationDomain,
  outsiders,
  people,
  type SeedPerson,
} from "../seed.ts";

export interface DirectoryAccount {
  /** Entra object id (`oid`), a GUID. */
  oid: string;
  tenantId: string;
  person: SeedPerson;
  /** Sign-in name; for these accounts also the mailbox address. */
  userPrincipalName: string;
  /**
   * Template ids of the directory roles the account holds, as the `wids`
   * claim lists them: every member holds the "User" role, administrators
   * their admin roles too.
   */
  roleTemplateIds: string[];
}

/**
 * Built-in role template ids.
 * https://learn.microsoft.com/entra/identity/role-based-access-control/permissions-reference
 */
const roleTemplateIds: Record<MicrosoftDirectoryRole | "User", string> = {
  User: "b79fbf4d-3ef9-4689-8143-76b194e85509",
  "Global Administrator": "62e90394-69f5-4237-9190-012177145e10",
  "Privileged Role Administrator": "e8611ab8-c189-46e8-94e1-60213ab1f814",
  "Application Administrator": "9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3",
  "Cloud Application Administrator": "158c047a-c907-4556-b7ef-446551a6b5f7",
};

/**
 * The roles that may grant tenant-wide admin consent to delegated permissions
 * (all that Tsunagu asks for): Global and Privileged Role Administrators for
 * any permission, Application and Cloud Application Administrators for any
 * but Graph app roles. https://learn.microsoft.com/entra/identity/enterprise-apps/grant-admin-consent#prerequisites
 */
const consentingRoles = new Set(
  (
    [
      "Global Administrator",
      "Privileged Role Administrator",
      "Application Administrator",
      "Cloud Application Administrator",
    ] as const
  ).map((role) => roleTemplateIds[role]),
);

export function canGrantAdminConsent(account: DirectoryAccount): boolean {
  return account.roleTemplateIds.some((id) => consentingRoles.has(id));
}

export const otherTenantDomain = "other-company.example";

export const accounts: DirectoryAccount[] = [
  ...people.map((person) => account(person, microsoft.tenantId, microsoft.directoryRoles[person.key] ?? [])),
  account(outsiders.foreignZoomUser, microsoft.otherTenantId, []),
];

/** Windows time-zone name Outlook reports working hours in, for the seeded zone. */
export const workingHoursZoneName = "Tokyo Standard Time";

function account(person: SeedPerson, tenantId: string, roles: MicrosoftDirectoryRole[]): DirectoryAccount {
  return {
    oid: guid(`oid:${person.email}`),
    tenantId,
    person,
    userPrincipalName: person.email,
    roleTemplateIds: [roleTemplateIds.User, ...roles.map((role) => roleTemplateIds[role])],
  };
}

/** A stable GUID per name, so a reset hands out the same ids. */
function guid(name: string): string {
  const hex = createHash("sha256").update(name).digest("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** The tenant of personal Microsoft accounts.
 * https://learn.microsoft.com/entra/identity-platform/id-token-claims-reference */
export const consumersTenantId = "9188040d-6c67-4c5b-b112-36a304b66dad";

/**
 * What an authority's tenant segment names
 * (https://learn.microsoft.com/entra/identity-platform/v2-protocols#endpoints):
 * `common` and `organizations` any work account's tenant, `consumers` the
 * personal accounts' tenant, a tenant id or domain that one tenant.
 * Unknown segments are not a tenant at all.
 */
export type TenantSegment =
  | { kind: "multi"; segment: "common" | "organizations" }
  | { kind: "consumers" }
  | { kind: "tenant"; tenantId: string };

export function resolveTenant(segment: string): TenantSegment | undefined {
  const tenant = segment.toLowerCase();
  if (tenant === "common" || tenant === "organizations") return { kind: "multi", segment: tenant };
  if (tenant === "consumers") return { kind: "consumers" };
  const tenantId =
    tenant === organisationDomain
      ? microsoft.tenantId
      : tenant === otherTenantDomain
        ? microsoft.otherTenantId
        : tenant;
  return tenantId === microsoft.tenantId || tenantId === microsoft.otherTenantId
    ? { kind: "tenant", tenantId }
    : undefined;
}

/**
 * Who may sign in under a tenant segment: `common` and `organizations` take
 * any work account; a tenant only its own people; `consumers` only personal
 * accounts, of which the sandbox has none.
 */
export function accountsForTenant(segment: string): DirectoryAccount[] | undefined {
  const tenant = resolveTenant(segment);
  if (!tenant) return undefined;
  if (tenant.kind === "multi") return accounts;
  if (tenant.kind === "consumers") return [];
  return accounts.filter((candidate) => candidate.tenantId === tenant.tenantId);
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
    else if (/^(https:\/\/graph\.microsoft\.com\/)?\.default$/i.test(scope))
      for (const permission of registeredPermissions) out.add(graphResource + permission);
    else out.add(scope.includes("://") ? scope : graphResource + scope);
  }
  return [...out];
}

/** Whether granted scopes include one of these Graph permissions. */
export function hasPermission(scopes: readonly string[], ...permissions: string[]): boolean {
  return permissions.some((permission) =>
    scopes.some((scope) => scope.toLowerCase() === (graphResource + permission).toLowerCase()),
  );
}
