/**
 * The Google accounts of the sandbox: every seeded person has a Workspace
 * account at the organisation's domain (their id_token and userinfo carry
 * `hd`), plus one consumer account with no `hd`.
 */
import { createHash } from "node:crypto";
import { google, people, type SeedPerson } from "../seed.ts";

export interface GoogleAccount {
  /** Google's account id: a stable string of 21 digits. */
  sub: string;
  person: SeedPerson;
  email: string;
  /** The Workspace domain; absent for consumer accounts. */
  hd: string | undefined;
}

function subFor(email: string): string {
  const digits = BigInt(`0x${createHash("sha256").update(email).digest("hex").slice(0, 16)}`)
    .toString()
    .padStart(20, "0")
    .slice(0, 20);
  return `1${digits}`;
}

export const googleAccounts: GoogleAccount[] = [
  ...people.map((person) => ({ sub: subFor(person.email), person, email: person.email, hd: google.domain })),
  {
    sub: subFor(google.consumerAccount.email),
    person: google.consumerAccount,
    email: google.consumerAccount.email,
    hd: undefined,
  },
];

export function findAccount(emailOrSub: string): GoogleAccount | undefined {
  const wanted = emailOrSub.toLowerCase();
  return googleAccounts.find((account) => account.email === wanted || account.sub === emailOrSub);
}

/** Same-domain Workspace users see each other's free/busy (the Workspace default); everyone sees their own. */
export function canReadFreeBusy(reader: GoogleAccount, calendarOwner: GoogleAccount): boolean {
  return reader.email === calendarOwner.email || (reader.hd !== undefined && reader.hd === calendarOwner.hd);
}
