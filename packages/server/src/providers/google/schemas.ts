/**
 * The shapes Google answers in, for the fields we read. Every response goes
 * through one of these before the rest of the client touches it.
 */
import { z } from "zod";
import { optionalWebLink } from "../web-link.ts";

const rfc3339 = z.iso.datetime({ offset: true });

/**
 * Token endpoint answer (code exchange and refresh; a refresh has no `refresh_token`).
 * https://developers.google.com/identity/protocols/oauth2/web-server#exchange-authorization-code
 * https://cloud.google.com/nodejs/docs/reference/google-auth-library/latest/google-auth-library/credentialrequest
 */
export const tokenResponseSchema = z.object({
  access_token: z.string().min(1),
  expires_in: z.number().int().positive(),
  token_type: z.string(),
  scope: z.string().default(""),
  refresh_token: z.string().min(1).optional(),
  id_token: z.string().min(1).optional(),
});

/** RFC 6749 §5.2 error body of the token and revoke endpoints, e.g. `invalid_grant`.
 * https://datatracker.ietf.org/doc/html/rfc6749#section-5.2 */
export const tokenErrorSchema = z.object({ error: z.string(), error_description: z.string().optional() });

/**
 * The JSON error envelope of Google APIs (Calendar, userinfo).
 * https://developers.google.com/workspace/calendar/api/guides/errors
 */
export const apiErrorEnvelopeSchema = z.object({
  error: z.object({
    code: z.number().int(),
    message: z.string(),
    status: z.string().optional(),
    errors: z
      .array(z.object({ domain: z.string().optional(), reason: z.string(), message: z.string().optional() }))
      .optional(),
  }),
});

/**
 * OpenID Connect userinfo; `hd` is present only for Google Workspace accounts.
 * https://developers.google.com/identity/openid-connect/openid-connect#an-id-tokens-payload
 */
export const userinfoSchema = z.object({
  sub: z.string().min(1),
  email: z.email(),
  email_verified: z.boolean().optional(),
  hd: z.string().optional(),
  name: z.string().optional(),
});

/** The same claims as they arrive inside an id_token (same doc as above). */
export const idTokenClaimsSchema = userinfoSchema.extend({ aud: z.union([z.string(), z.array(z.string())]) });

/**
 * https://developers.google.com/workspace/calendar/api/v3/reference/freebusy/query#response
 * The reference for `freeBusyAnswer` (./freebusy.ts), the hand-written check requests are read with: the tests hold
 * the two to the same bodies.
 */
export const freeBusyResponseSchema = z.object({
  timeMin: rfc3339,
  timeMax: rfc3339,
  calendars: z.record(
    z.string(),
    z.object({
      busy: z.array(z.object({ start: rfc3339, end: rfc3339 })).default([]),
      // The library types `reason` as optional too: an error without one still makes the calendar unreadable.
      errors: z.array(z.object({ domain: z.string().optional(), reason: z.string().optional() })).optional(),
    }),
  ),
});

/** https://developers.google.com/workspace/calendar/api/v3/reference/events#resource */
export const eventSchema = z.object({
  id: z.string().min(1),
  status: z.string(),
  htmlLink: optionalWebLink,
  hangoutLink: optionalWebLink,
  // A timed event has `dateTime`; an all-day one `date` (someone turned ours into one).
  start: z.object({ dateTime: z.string().optional(), date: z.string().optional() }).optional(),
  end: z.object({ dateTime: z.string().optional(), date: z.string().optional() }).optional(),
  attendees: z.array(z.object({ email: z.string(), responseStatus: z.string().optional() })).optional(),
  conferenceData: z
    .object({
      createRequest: z.object({ status: z.object({ statusCode: z.string() }).optional() }).optional(),
      entryPoints: z.array(z.object({ entryPointType: z.string(), uri: z.string() })).optional(),
    })
    .optional(),
});
export type GoogleEventResource = z.infer<typeof eventSchema>;
