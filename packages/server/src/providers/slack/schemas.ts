/**
 * The shapes of the Slack answers we read. Slack adds fields freely, so the
 * objects are loose: only what we use is required.
 */
import { z } from "zod";

const team = z.looseObject({ id: z.string(), name: z.string().optional() });
const enterprise = z.looseObject({ id: z.string(), name: z.string().optional() });

/**
 * https://docs.slack.dev/reference/methods/oauth.v2.access and, for
 * `expires_in` / `refresh_token`, https://docs.slack.dev/authentication/using-token-rotation
 * The top-level token is the bot's; it is absent when only `user_scope` was asked.
 * A refresh answers with the same top-level fields for whichever token it renewed.
 */
export const oauthV2AccessSchema = z.looseObject({
  ok: z.literal(true),
  app_id: z.string().optional(),
  access_token: z.string().optional(),
  token_type: z.string().optional(),
  scope: z.string().optional(),
  bot_user_id: z.string().optional(),
  expires_in: z.number().optional(),
  refresh_token: z.string().optional(),
  team: team.nullable().optional(),
  enterprise: enterprise.nullable().optional(),
  is_enterprise_install: z.boolean().optional(),
  authed_user: z
    .looseObject({
      id: z.string(),
      scope: z.string().optional(),
      access_token: z.string().optional(),
      token_type: z.string().optional(),
      expires_in: z.number().optional(),
      refresh_token: z.string().optional(),
    })
    .optional(),
});
export type OAuthV2Access = z.infer<typeof oauthV2AccessSchema>;

/** A refresh through `oauth.v2.access`: the new token of a bot or a user
 * (https://docs.slack.dev/authentication/using-token-rotation). */
export const refreshAnswerSchema = z.looseObject({
  ok: z.literal(true),
  access_token: z.string().min(1),
  scope: z.string().optional(),
  expires_in: z.number().optional(),
  refresh_token: z.string().optional(),
});

/** https://docs.slack.dev/reference/methods/openid.connect.token */
export const openidTokenSchema = z.looseObject({
  ok: z.literal(true),
  access_token: z.string(),
  token_type: z.string().optional(),
  id_token: z.string().optional(),
  expires_in: z.number().optional(),
  refresh_token: z.string().optional(),
});

/** Slack's user image sizes, smallest first (`https://slack.com/user_image_<size>`). */
export const slackUserImageSizes = [24, 32, 48, 72, 192, 512, 1024] as const;

/**
 * id_token claims and `openid.connect.userInfo` share these names; the
 * samples of both pages show `date_email_verified` (Unix seconds),
 * `given_name` / `family_name` (empty strings when unset), the user and team
 * images (read by name, see `slackUserImageSizes`), and, in userInfo,
 * `picture`. Enterprise Grid adds
 * `https://slack.com/enterprise_*` claims (read loosely, not used).
 * https://docs.slack.dev/reference/methods/openid.connect.token
 * https://docs.slack.dev/reference/methods/openid.connect.userInfo
 */
export const identityClaimsSchema = z.looseObject({
  sub: z.string(),
  "https://slack.com/user_id": z.string(),
  "https://slack.com/team_id": z.string(),
  "https://slack.com/team_name": z.string().optional(),
  "https://slack.com/team_domain": z.string().optional(),
  email: z.string().optional(),
  email_verified: z.boolean().optional(),
  date_email_verified: z.number().optional(),
  name: z.string().optional(),
  given_name: z.string().optional(),
  family_name: z.string().optional(),
  picture: z.string().optional(),
  locale: z.string().optional(),
});
export const userInfoSchema = identityClaimsSchema.extend({ ok: z.literal(true) });

/** https://docs.slack.dev/reference/methods/users.info */
export const usersInfoSchema = z.looseObject({
  ok: z.literal(true),
  user: z.looseObject({
    id: z.string(),
    team_id: z.string().optional(),
    name: z.string().optional(),
    real_name: z.string().optional(),
    deleted: z.boolean().default(false),
    tz: z.string().optional(),
    locale: z.string().optional(),
    is_admin: z.boolean().default(false),
    is_owner: z.boolean().default(false),
    is_bot: z.boolean().default(false),
    // "multi-channel guest" and "single channel guest":
    // https://docs.slack.dev/reference/methods/admin.users.invite
    is_restricted: z.boolean().default(false),
    is_ultra_restricted: z.boolean().default(false),
    profile: z
      .looseObject({
        email: z.string().optional(),
        display_name: z.string().optional(),
        real_name: z.string().optional(),
      })
      .optional(),
  }),
});

/** https://docs.slack.dev/reference/methods/conversations.open */
export const conversationsOpenSchema = z.looseObject({
  ok: z.literal(true),
  channel: z.looseObject({ id: z.string() }),
  no_op: z.boolean().optional(),
  already_open: z.boolean().optional(),
});

/** https://docs.slack.dev/reference/methods/chat.postMessage */
export const postMessageSchema = z.looseObject({ ok: z.literal(true), channel: z.string(), ts: z.string() });

/** https://docs.slack.dev/reference/methods/auth.revoke */
export const authRevokeSchema = z.looseObject({ ok: z.literal(true), revoked: z.boolean() });

/** https://docs.slack.dev/reference/methods/auth.test */
export const authTestSchema = z.looseObject({
  ok: z.literal(true),
  url: z.string().optional(),
  team: z.string().optional(),
  user: z.string().optional(),
  team_id: z.string(),
  user_id: z.string(),
  bot_id: z.string().optional(),
  enterprise_id: z.string().optional(),
  is_enterprise_install: z.boolean().optional(),
});
