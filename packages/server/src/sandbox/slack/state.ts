/**
 * The Slack fake's memory: tokens (bot and user, rotating or not), refresh
 * tokens, open DMs and posted messages. Time comes from the sandbox clock.
 */
import { z } from "zod";
import type { Clock } from "../../clock.ts";
import { randomToken } from "../oauth-kit.ts";

/** 12 h, as Slack's token rotation gives: https://docs.slack.dev/authentication/using-token-rotation */
export const rotatingTokenLifetimeSeconds = 43_200;

export interface TokenGrant {
  kind: "bot" | "user";
  teamId: string;
  /** The person, or the bot user for bot tokens. */
  userId: string;
  scopes: string[];
}

interface TokenRecord extends TokenGrant {
  grantId: string;
  expiresAt: number | undefined;
  revoked: boolean;
}

export interface IssuedToken {
  accessToken: string;
  expiresIn: number | undefined;
  refreshToken: string | undefined;
}

export interface PostedMessage {
  teamId: string;
  channel: string;
  ts: string;
  text: string | undefined;
  blocks: unknown[] | undefined;
  threadTs: string | undefined;
  /** The bot (or person) who posted. */
  postedBy: string;
  /** For a DM, the member it went to. */
  recipient: string | undefined;
}

export type Authentication =
  | { ok: true; token: TokenRecord & { accessToken: string } }
  | { ok: false; error: "not_authed" | "invalid_auth" | "token_revoked" | "token_expired" };

const savedGrant = {
  kind: z.enum(["bot", "user"]),
  teamId: z.string(),
  userId: z.string(),
  scopes: z.array(z.string()),
};

/**
 * What `save` gives: the rotation setting, tokens, refresh tokens and open conversations, and the sequence that
 * numbers channel ids and message timestamps. Posted messages are left out: nothing but the control API's listing
 * reads them.
 */
export const savedSlackState = z.object({
  rotation: z.boolean(),
  tokens: z.array(
    z.object({
      token: z.string(),
      ...savedGrant,
      grantId: z.string(),
      expiresAt: z.number().optional(),
      revoked: z.boolean(),
    }),
  ),
  refreshTokens: z.array(z.object({ token: z.string(), grantId: z.string(), grant: z.object(savedGrant) })),
  conversations: z.array(z.object({ key: z.string(), id: z.string(), members: z.array(z.string()) })),
  sequence: z.number().int().min(0),
});

export class SlackFakeState {
  rotation = false;
  private readonly tokens = new Map<string, TokenRecord>();
  private readonly refreshTokens = new Map<string, { grantId: string; grant: TokenGrant }>();
  /** `${teamId}:${sorted user ids}` → channel id. */
  private readonly conversations = new Map<string, { id: string; members: string[] }>();
  readonly messages: PostedMessage[] = [];
  private sequence = 0;

  constructor(private readonly clock: Clock) {}

  issue(grant: TokenGrant, options: { grantId?: string; rotating?: boolean } = {}): IssuedToken {
    const rotating = options.rotating ?? this.rotation;
    const grantId = options.grantId ?? randomToken("grant-", 9);
    const prefix = grant.kind === "bot" ? "xoxb-" : "xoxp-";
    const accessToken = randomToken(rotating ? `xoxe.${prefix}1-` : prefix);
    const now = this.clock.now().getTime();
    this.tokens.set(accessToken, {
      ...grant,
      grantId,
      expiresAt: rotating ? now + rotatingTokenLifetimeSeconds * 1000 : undefined,
      revoked: false,
    });
    if (!rotating) return { accessToken, expiresIn: undefined, refreshToken: undefined };
    const refreshToken = randomToken("xoxe-1-");
    this.refreshTokens.set(refreshToken, { grantId, grant });
    return { accessToken, expiresIn: rotatingTokenLifetimeSeconds, refreshToken };
  }

  /** Spends the refresh token (single use) and issues a new pair; undefined when it is unknown, spent or revoked. */
  refresh(refreshToken: string): { grant: TokenGrant; issued: IssuedToken } | undefined {
    const entry = this.refreshTokens.get(refreshToken);
    if (!entry) return undefined;
    this.refreshTokens.delete(refreshToken);
    // A rotating grant keeps rotating even if the app setting changed since.
    return { grant: entry.grant, issued: this.issue(entry.grant, { grantId: entry.grantId, rotating: true }) };
  }

  authenticate(accessToken: string | undefined): Authentication {
    if (!accessToken) return { ok: false, error: "not_authed" };
    const token = this.tokens.get(accessToken);
    if (!token) return { ok: false, error: "invalid_auth" };
    if (token.revoked) return { ok: false, error: "token_revoked" };
    if (token.expiresAt !== undefined && token.expiresAt <= this.clock.now().getTime())
      return { ok: false, error: "token_expired" };
    return { ok: true, token: { ...token, accessToken } };
  }

  /** Revokes the token and everything issued from the same grant (its refresh token too). */
  revokeToken(accessToken: string): void {
    const grantId = this.tokens.get(accessToken)?.grantId;
    if (grantId) this.revokeWhere((grant) => grant.grantId === grantId);
  }

  /** Returns how many live access tokens died. */
  revokeWhere(matches: (grant: TokenGrant & { grantId: string }) => boolean): number {
    let count = 0;
    const grantIds = new Set<string>();
    for (const token of this.tokens.values()) {
      if (token.revoked || !matches(token)) continue;
      token.revoked = true;
      grantIds.add(token.grantId);
      count += 1;
    }
    for (const [refreshToken, entry] of this.refreshTokens) {
      if (grantIds.has(entry.grantId) || matches({ ...entry.grant, grantId: entry.grantId }))
        this.refreshTokens.delete(refreshToken);
    }
    return count;
  }

  /** The live grants of a workspace, for tokens_revoked events. */
  liveGrants(teamId: string): TokenGrant[] {
    return [...this.tokens.values()].filter((token) => token.teamId === teamId && !token.revoked);
  }

  expireAccessTokens(): void {
    const now = this.clock.now().getTime();
    for (const token of this.tokens.values()) token.expiresAt = now;
  }

  /** Opens (or finds) the conversation between these members; `created` is false when it was already open. */
  openConversation(teamId: string, members: string[]): { id: string; created: boolean } {
    const key = `${teamId}:${[...members].sort().join(",")}`;
    const existing = this.conversations.get(key);
    if (existing) return { id: existing.id, created: false };
    const id = `${members.length === 1 ? "D" : "G"}0${(++this.sequence).toString(36).toUpperCase().padStart(8, "0")}`;
    this.conversations.set(key, { id, members });
    return { id, created: true };
  }

  conversation(teamId: string, channelId: string): { id: string; members: string[] } | undefined {
    for (const [key, conversation] of this.conversations)
      if (key.startsWith(`${teamId}:`) && conversation.id === channelId) return conversation;
    return undefined;
  }

  /** Slack message timestamps: seconds and a per-channel unique suffix. */
  nextTs(): string {
    return `${Math.floor(this.clock.now().getTime() / 1000)}.${String(++this.sequence).padStart(6, "0")}`;
  }

  save(): z.input<typeof savedSlackState> {
    return {
      rotation: this.rotation,
      tokens: [...this.tokens].map(([token, record]) => ({ token, ...record })),
      refreshTokens: [...this.refreshTokens].map(([token, entry]) => ({ token, ...entry })),
      conversations: [...this.conversations].map(([key, conversation]) => ({ key, ...conversation })),
      sequence: this.sequence,
    };
  }

  load(saved: z.output<typeof savedSlackState>): void {
    this.reset();
    this.rotation = saved.rotation;
    for (const { token, expiresAt, ...record } of saved.tokens) this.tokens.set(token, { ...record, expiresAt });
    for (const { token, ...entry } of saved.refreshTokens) this.refreshTokens.set(token, entry);
    for (const { key, ...conversation } of saved.conversations) this.conversations.set(key, conversation);
    this.sequence = saved.sequence;
  }

  reset(): void {
    this.rotation = false;
    this.tokens.clear();
    this.refreshTokens.clear();
    this.conversations.clear();
    this.messages.length = 0;
    this.sequence = 0;
  }
}
