/**
 * What the Slack fake adds to the shared seed: a deactivated member (for the
 * `deleted` flag), the app's bot user in each workspace, and lookups.
 */
import { type SeedPerson, type SeedSlackMember, slack } from "../seed.ts";

export interface FakeSlackMember extends SeedSlackMember {
  deleted: boolean;
}

export interface FakeSlackTeam {
  id: string;
  name: string;
  domain: string;
  /** The app's bot user there (a `U…` id, as Slack gives bots) and its bot id. */
  botUserId: string;
  botId: string;
}

export const slackAppId = "A0TSUNAGU01";

export const slackTeams: FakeSlackTeam[] = [
  { ...slack.team, botUserId: "U0BOTSAKUR", botId: "B0BOTSAKUR" },
  { ...slack.otherTeam, botUserId: "U0BOTLABS0", botId: "B0BOTLABS0" },
];

const formerEmployee: SeedPerson = {
  key: "mai",
  nameJa: "小川 舞",
  name: "Mai Ogawa",
  email: "mai.ogawa@sakura-recruit.example",
  title: "元リクルーター / Former recruiter (deactivated)",
  timeZone: "Asia/Tokyo",
};

export const slackMembers: FakeSlackMember[] = [
  ...slack.members.map((member) => ({ ...member, deleted: false })),
  {
    id: "U0D001MAIO",
    person: formerEmployee,
    teamId: slack.team.id,
    isAdmin: false,
    isOwner: false,
    isRestricted: false,
    isUltraRestricted: false,
    deleted: true,
  },
];

export function findTeam(teamId: string): FakeSlackTeam | undefined {
  return slackTeams.find((team) => team.id === teamId);
}

export function findMember(userId: string): FakeSlackMember | undefined {
  return slackMembers.find((member) => member.id === userId);
}

/** Slack reports locales as BCP 47 tags; people with a Japanese name use Slack in Japanese here. */
export function localeOf(member: FakeSlackMember): string {
  return member.person.nameJa ? "ja-JP" : "en-US";
}

export function displayName(member: FakeSlackMember): string {
  return member.person.nameJa ?? member.person.name;
}
