/**
 * The sandbox's made-up organisation: Sakura Recruit Inc., a Tokyo company
 * with about ten people, their Google Workspace, Microsoft 365 tenant, Zoom
 * account and Slack workspace, plus the outsiders that the guards must refuse.
 * Every fake builds its state from this, so the demo tells one story.
 */

export interface SeedPerson {
  key: string;
  name: string;
  nameJa?: string;
  email: string;
  title: string;
  timeZone: string;
}

export const organisationDomain = "sakura-recruit.example";

export const people: SeedPerson[] = [
  {
    key: "hanako",
    nameJa: "山田 花子",
    name: "Hanako Yamada",
    email: "hanako.yamada@sakura-recruit.example",
    title: "人事部長 / Head of People",
    timeZone: "Asia/Tokyo",
  },
  {
    key: "ken",
    nameJa: "佐藤 健",
    name: "Ken Sato",
    email: "ken.sato@sakura-recruit.example",
    title: "リクルーター / Recruiter",
    timeZone: "Asia/Tokyo",
  },
  {
    key: "misaki",
    nameJa: "鈴木 美咲",
    name: "Misaki Suzuki",
    email: "misaki.suzuki@sakura-recruit.example",
    title: "リクルーター / Recruiter",
    timeZone: "Asia/Tokyo",
  },
  {
    key: "sho",
    nameJa: "高橋 翔",
    name: "Sho Takahashi",
    email: "sho.takahashi@sakura-recruit.example",
    title: "エンジニアリングマネージャー / Engineering Manager",
    timeZone: "Asia/Tokyo",
  },
  {
    key: "ai",
    nameJa: "田中 愛",
    name: "Ai Tanaka",
    email: "ai.tanaka@sakura-recruit.example",
    title: "プロダクトマネージャー / Product Manager",
    timeZone: "Asia/Tokyo",
  },
  {
    key: "daisuke",
    nameJa: "伊藤 大輔",
    name: "Daisuke Ito",
    email: "daisuke.ito@sakura-recruit.example",
    title: "採用アシスタント / Recruiting Assistant",
    timeZone: "Asia/Tokyo",
  },
  {
    key: "yui",
    nameJa: "渡辺 結衣",
    name: "Yui Watanabe",
    email: "yui.watanabe@sakura-recruit.example",
    title: "デザイナー / Designer",
    timeZone: "Asia/Tokyo",
  },
  {
    key: "emily",
    name: "Emily Carter",
    email: "emily.carter@sakura-recruit.example",
    title: "Senior Engineer",
    timeZone: "Asia/Tokyo",
  },
  {
    key: "james",
    name: "James Wilson",
    email: "james.wilson@sakura-recruit.example",
    title: "Talent Partner",
    timeZone: "Asia/Tokyo",
  },
  {
    key: "ren",
    nameJa: "中村 蓮",
    name: "Ren Nakamura",
    email: "ren.nakamura@sakura-recruit.example",
    title: "外部面接官 / Guest interviewer",
    timeZone: "Asia/Tokyo",
  },
];

/** Identities outside the organisation, for the guards. */
export const outsiders = {
  /** A Zoom user on another company's Zoom account. */
  foreignZoomUser: {
    key: "taro",
    nameJa: "外山 太郎",
    name: "Taro Toyama",
    email: "taro.toyama@other-company.example",
    title: "Recruiter at another company",
    timeZone: "Asia/Tokyo",
  },
  /** Slack multi-channel guest (is_restricted). */
  slackMultiChannelGuest: {
    key: "olivia",
    name: "Olivia Brown",
    email: "olivia.brown@talent-agency.example",
    title: "Agency recruiter",
    timeZone: "Asia/Tokyo",
  },
  /** Slack single-channel guest (is_restricted and is_ultra_restricted). */
  slackSingleChannelGuest: {
    key: "kenta",
    nameJa: "小林 健太",
    name: "Kenta Kobayashi",
    email: "kenta.kobayashi@partner.example",
    title: "Partner interviewer",
    timeZone: "Asia/Tokyo",
  },
} satisfies Record<string, SeedPerson>;

export const google = {
  customerId: "C03sakura",
  domain: organisationDomain,
  /** Everyone in `people` has a Workspace account; this one is a consumer account. */
  consumerAccount: {
    key: "hanako-personal",
    name: "Hanako Yamada",
    email: "hanako.yamada.home@gmail.example",
    title: "Personal",
    timeZone: "Asia/Tokyo",
  } satisfies SeedPerson,
};

export const microsoft = {
  tenantId: "6f1c2a9e-4b7d-4c3e-9a51-2d8e7f3b1c04",
  tenantDomain: organisationDomain,
  otherTenantId: "0b3d5e7f-1a2c-4e6f-8a9b-c0d1e2f3a4b5",
  /**
   * Directory roles held in the tenant, by person; everyone else is a plain
   * member. Hanako and Ai may grant tenant-wide admin consent; Ken, like most
   * people, signs in fine but may not.
   */
  directoryRoles: { hanako: ["Global Administrator"], ai: ["Cloud Application Administrator"] } as Record<
    string,
    MicrosoftDirectoryRole[]
  >,
};

export type MicrosoftDirectoryRole =
  | "Global Administrator"
  | "Privileged Role Administrator"
  | "Application Administrator"
  | "Cloud Application Administrator";

export type ZoomUserType = 1 | 2;

export interface SeedZoomUser {
  id: string;
  person: SeedPerson;
  accountId: string;
  /** 1 Basic, 2 Licensed. */
  type: ZoomUserType;
  role: "owner" | "admin" | "member";
  /**
   * The account lets users add only apps its Marketplace admin pre-approved, and Tsunagu is not
   * pre-approved for this user: their own (user-managed) authorisation is refused.
   * https://developers.zoom.us/docs/integrations/end-user-auth/ ("Pre-approval request flow for users")
   */
  awaitsAppPreApproval?: true;
  /**
   * Zoom users given scheduling privilege for this user: they may schedule meetings for it, and make it the
   * host of a meeting (PATCH /meetings/{id} `schedule_for`); anyone else gets 400 code 3000.
   * https://devforum.zoom.us/t/changing-meeting-hosts/88501
   */
  schedulers?: string[];
}

const recruitingZoomUser: SeedPerson = {
  key: "recruiting",
  nameJa: "採用面接用アカウント",
  name: "Recruiting Interviews",
  email: "recruiting@sakura-recruit.example",
  title: "Shared recruiting Zoom user",
  timeZone: "Asia/Tokyo",
};

const byKey = (key: string): SeedPerson => {
  const person = people.find((candidate) => candidate.key === key);
  if (!person) throw new Error(`seed has no person ${key}`);
  return person;
};

export const zoom = {
  accountId: "zAcSakura0001",
  /** Business plan: licensed users may host two meetings at once. */
  plan: "business" as const,
  otherAccountId: "zAcOther00042",
  /** The `company` of each account's user profiles, as its admin set it; the other company left it empty, as many do.
   * */
  companies: { zAcSakura0001: "Sakura Recruit Inc.", zAcOther00042: "" } as Record<string, string>,
  users: [
    { id: "zU_hanako", person: byKey("hanako"), accountId: "zAcSakura0001", type: 2, role: "owner" },
    { id: "zU_ken", person: byKey("ken"), accountId: "zAcSakura0001", type: 2, role: "admin" },
    { id: "zU_misaki", person: byKey("misaki"), accountId: "zAcSakura0001", type: 1, role: "member" },
    { id: "zU_sho", person: byKey("sho"), accountId: "zAcSakura0001", type: 2, role: "member" },
    { id: "zU_emily", person: byKey("emily"), accountId: "zAcSakura0001", type: 1, role: "member" },
    { id: "zU_james", person: byKey("james"), accountId: "zAcSakura0001", type: 2, role: "member" },
    {
      id: "zU_recruiting",
      person: recruitingZoomUser,
      accountId: "zAcSakura0001",
      type: 2,
      role: "member",
      schedulers: ["zU_hanako"],
    },
    {
      id: "zU_yui",
      person: byKey("yui"),
      accountId: "zAcSakura0001",
      type: 1,
      role: "member",
      awaitsAppPreApproval: true,
    },
    { id: "zU_taro", person: outsiders.foreignZoomUser, accountId: "zAcOther00042", type: 2, role: "owner" },
  ] satisfies SeedZoomUser[],
};

export interface SeedSlackMember {
  id: string;
  person: SeedPerson;
  teamId: string;
  isAdmin: boolean;
  isOwner: boolean;
  /** Multi-channel guest (and single-channel guests too, to be safe). */
  isRestricted: boolean;
  /** Single-channel guest. */
  isUltraRestricted: boolean;
}

export const slack = {
  team: { id: "T0SAKURA01", name: "Sakura Recruit", domain: "sakura-recruit" },
  otherTeam: { id: "T0LABS0002", name: "Sakura Labs", domain: "sakura-labs" },
  members: [
    ...people.map(
      (person, index): SeedSlackMember => ({
        id: `U0S${String(index + 1).padStart(3, "0")}${person.key.toUpperCase().slice(0, 4)}`,
        person,
        teamId: "T0SAKURA01",
        isAdmin: person.key === "hanako",
        isOwner: person.key === "hanako",
        isRestricted: false,
        isUltraRestricted: false,
      }),
    ),
    {
      id: "U0G001OLIV",
      person: outsiders.slackMultiChannelGuest,
      teamId: "T0SAKURA01",
      isAdmin: false,
      isOwner: false,
      isRestricted: true,
      isUltraRestricted: false,
    },
    {
      id: "U0G002KENT",
      person: outsiders.slackSingleChannelGuest,
      teamId: "T0SAKURA01",
      isAdmin: false,
      isOwner: false,
      isRestricted: true,
      isUltraRestricted: true,
    },
    {
      id: "U0L001HANA",
      person: byKey("hanako"),
      teamId: "T0LABS0002",
      isAdmin: true,
      isOwner: true,
      isRestricted: false,
      isUltraRestricted: false,
    },
    {
      id: "U0L002KEN",
      person: byKey("ken"),
      teamId: "T0LABS0002",
      isAdmin: false,
      isOwner: false,
      isRestricted: false,
      isUltraRestricted: false,
    },
  ] satisfies SeedSlackMember[],
};

export interface SeedBusy {
  start: Date;
  end: Date;
  summary: string;
}

const meetingTitles = [
  "定例ミーティング",
  "1on1",
  "採用面接",
  "Design review",
  "部門会議",
  "顧客打ち合わせ",
  "Sprint planning",
  "ランチ会",
];

/**
 * Realistic busy times for one person over `days` from `from`: two to four
 * meetings a weekday between 09:00 and 18:00 Tokyo time, on 30-minute marks.
 * Deterministic per person and day, so a reset gives the same calendar.
 */
export function busyTimesFor(email: string, from: Date, days = 42): SeedBusy[] {
  const tokyoOffsetMs = 9 * 3600_000;
  const startOfTokyoDay = Math.floor((from.getTime() + tokyoOffsetMs) / 86_400_000) * 86_400_000 - tokyoOffsetMs;
  const out: SeedBusy[] = [];
  for (let day = 0; day < days; day++) {
    const dayStart = startOfTokyoDay + day * 86_400_000;
    const weekday = new Date(dayStart + tokyoOffsetMs).getUTCDay();
    if (weekday === 0 || weekday === 6) continue;
    const random = mulberry32(hash(`${email}:${Math.round(dayStart / 86_400_000)}`));
    const count = 2 + Math.floor(random() * 3);
    const used = new Set<number>();
    for (let index = 0; index < count; index++) {
      const slot = Math.floor(random() * 17); // 09:00 … 17:00 in half hours
      const length = 1 + Math.floor(random() * 3);
      if ([...Array(length).keys()].some((offset) => used.has(slot + offset))) continue;
      for (let offset = 0; offset < length; offset++) used.add(slot + offset);
      const start = dayStart + 9 * 3600_000 + slot * 1800_000;
      out.push({
        start: new Date(start),
        end: new Date(Math.min(start + length * 1800_000, dayStart + 18 * 3600_000)),
        summary: meetingTitles[Math.floor(random() * meetingTitles.length)] ?? "予定",
      });
    }
  }
  return out.sort((a, b) => a.start.getTime() - b.start.getTime());
}

function hash(text: string): number {
  let value = 2166136261;
  for (let index = 0; index < text.length; index++) value = Math.imul(value ^ text.charCodeAt(index), 16777619);
  return value >>> 0;
}

function mulberry32(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
