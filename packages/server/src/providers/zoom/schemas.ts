/**
 * The shapes of the Zoom answers we read. Zoom adds fields freely, so the
 * objects are loose: only what we use is required.
 */
import { z } from "zod";
import { webLink } from "../web-link.ts";

/**
 * https://developers.zoom.us/docs/integrations/oauth/ (request an access token, refresh it)
 * `scope` is space-separated; `api_url` is the API origin for this user's data centre.
 */
export const tokenSchema = z.looseObject({
  access_token: z.string().min(1),
  token_type: z.string(),
  refresh_token: z.string().min(1),
  expires_in: z.number(),
  scope: z.string().default(""),
  api_url: z.string().optional(),
});

/**
 * https://developers.zoom.us/docs/api/users/#tag/users/GET/users/{userId}
 * `type`: 1 Basic, 2 Licensed, 99 None (other values exist). `role_id` "0"
 * owner, "1" admin, "2" member by default; accounts can add roles.
 */
export const userSchema = z.looseObject({
  id: z.string(),
  account_id: z.string().optional(),
  email: z.string(),
  type: z.number(),
  role_name: z.string().optional(),
  role_id: z.string().optional(),
  first_name: z.string().optional(),
  last_name: z.string().optional(),
  display_name: z.string().optional(),
  /**
   * The user's company, as the account's admin set it in the profile: the
   * only name of the Zoom account an ordinary app can read (GET
   * /accounts/{accountId} is a Master-account API for partners). May be "".
   */
  company: z.string().optional(),
  timezone: z.string().optional(),
  status: z.string().optional(),
});
export type ZoomUserAnswer = z.infer<typeof userSchema>;

/** https://developers.zoom.us/docs/api/users/#tag/users/GET/users (paginated by next_page_token). */
export const userListSchema = z.looseObject({
  next_page_token: z.string().optional(),
  users: z.array(userSchema),
});

/**
 * https://developers.zoom.us/docs/api/meetings/#tag/meetings/POST/users/{userId}/meetings (201)
 * and GET /meetings/{meetingId}. `start_time` is UTC with `Z`; `id` is a number.
 */
export const meetingSchema = z.looseObject({
  id: z.number(),
  uuid: z.string(),
  host_id: z.string(),
  topic: z.string().optional(),
  agenda: z.string().optional(),
  type: z.number(),
  start_time: z.string(),
  duration: z.number(),
  timezone: z.string().optional(),
  start_url: webLink,
  join_url: webLink,
  password: z.string().optional(),
});
export type ZoomMeetingAnswer = z.infer<typeof meetingSchema>;

/**
 * https://developers.zoom.us/docs/api/meetings/#tag/meetings/GET/users/{userId}/meetings
 * Recurring meetings with no fixed time (type 3) come without `start_time`.
 */
export const meetingListSchema = z.looseObject({
  next_page_token: z.string().optional(),
  meetings: z.array(
    z.looseObject({
      id: z.number(),
      uuid: z.string(),
      host_id: z.string(),
      topic: z.string().optional(),
      type: z.number(),
      start_time: z.string().optional(),
      duration: z.number().optional(),
      join_url: webLink,
    }),
  ),
});
