/**
 * The portal's own user directory: who can sign in to さくら採用. Shared by the
 * page (the user switcher) and the portal backend (the host-token claims).
 */
export type PortalRole = "admin" | "recruiter" | "assistant" | "guest";
export type PortalLanguage = "ja" | "en";

export interface PortalUser {
  /** The portal's user id: the host token's `sub`. */
  id: string;
  /** As the portal stores it: the token's `name` claim. */
  name: string;
  /** For the English interface. */
  nameLatin: string;
  role: PortalRole;
  email: string;
  /** The user's preferred language: the token's `locale` claim unless they switch. */
  locale: PortalLanguage;
}

export const portalOrganisation = "sakura";
export const portalTimeZone = "Asia/Tokyo";

export const portalUsers: readonly PortalUser[] = [
  {
    id: "hanako",
    name: "山田 花子",
    nameLatin: "Hanako Yamada",
    role: "admin",
    email: "hanako.yamada@sakura-recruit.example",
    locale: "ja",
  },
  {
    id: "ken",
    name: "佐藤 健",
    nameLatin: "Ken Sato",
    role: "recruiter",
    email: "ken.sato@sakura-recruit.example",
    locale: "ja",
  },
  {
    id: "misaki",
    name: "鈴木 美咲",
    nameLatin: "Misaki Suzuki",
    role: "recruiter",
    email: "misaki.suzuki@sakura-recruit.example",
    locale: "ja",
  },
  {
    id: "sho",
    name: "高橋 翔",
    nameLatin: "Sho Takahashi",
    role: "recruiter",
    email: "sho.takahashi@sakura-recruit.example",
    locale: "ja",
  },
  {
    id: "daisuke",
    name: "伊藤 大輔",
    nameLatin: "Daisuke Ito",
    role: "assistant",
    email: "daisuke.ito@sakura-recruit.example",
    locale: "ja",
  },
  {
    id: "emily",
    name: "Emily Carter",
    nameLatin: "Emily Carter",
    role: "recruiter",
    email: "emily.carter@sakura-recruit.example",
    locale: "en",
  },
  {
    id: "ren",
    name: "中村 蓮",
    nameLatin: "Ren Nakamura",
    role: "guest",
    email: "ren.nakamura@sakura-recruit.example",
    locale: "ja",
  },
];

export function findPortalUser(id: string | null | undefined): PortalUser | undefined {
  return portalUsers.find((user) => user.id === id);
}

/** A user's name as the page's language writes it: 佐藤 健 in Japanese, Ken Sato in English. */
export function userName(user: PortalUser, language: PortalLanguage): string {
  return language === "ja" ? user.name : user.nameLatin;
}

/**
 * An interviewer of an interview the server answered, named as the page's language writes them: the server keeps
 * the name of their host token (the Japanese one), so the portal's directory names its own users; anyone else keeps
 * the server's name.
 */
export function interviewerName(person: { userId: string; name: string | null }, language: PortalLanguage): string {
  const user = findPortalUser(person.userId);
  return user ? userName(user, language) : (person.name ?? person.userId);
}
