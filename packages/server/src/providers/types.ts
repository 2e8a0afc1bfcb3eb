/**
 * The domain interfaces the rest of the server programs against. Each is
 * small and complete: every method is required, and an extra capability is a
 * separate interface rather than an optional method.
 */

/** Tokens as our store keeps them. `expiresAt` is ISO 8601 UTC. */
export interface TokenSet {
  accessToken: string;
  refreshToken?: string | undefined;
  expiresAt?: string | undefined;
  /** Granted scopes as the provider reported them. */
  scopes: string[];
  idToken?: string | undefined;
}

/** Tokens that can be refreshed: the whole stored set, so a provider with several apps can tell whose grant it is. */
export type RefreshableTokens = TokenSet & { refreshToken: string };

export interface AuthorizationRequest {
  state: string;
  /** PKCE S256 challenge. */
  codeChallenge: string;
  redirectUri: string;
  scopes: string[];
  loginHint?: string | undefined;
  /** Ask for consent again (to get a fresh refresh token on relink). */
  forceConsent?: boolean | undefined;
}

export interface CodeExchange {
  code: string;
  codeVerifier: string;
  redirectUri: string;
}

export interface OAuthClient {
  authorizationUrl(request: AuthorizationRequest): URL;
  exchangeCode(exchange: CodeExchange): Promise<TokenSet>;
  /** Throws `InvalidGrantError` when the grant is dead. */
  refresh(refreshToken: string): Promise<TokenSet>;
  revoke(token: string): Promise<void>;
}

export interface TimeRange {
  start: Date;
  end: Date;
}

/**
 * Busy time as epoch milliseconds, half-open [start, end): read from the provider's answer straight to numbers and
 * handed to the slot computation as they are, with no Date per instant on the way (availability reads thousands).
 */
export interface BusyInterval {
  start: number;
  end: number;
}

/** A calendar whose busy times were read; an empty `busy` means free over the whole range. */
export interface CalendarRead {
  calendarId: string;
  busy: BusyInterval[];
  error?: undefined;
}

/**
 * A calendar the provider could not read (unknown, not shared with the caller,
 * over a per-call limit, or a failure on the provider's side). Nothing is
 * known of it: it is not free. `busy` is always empty; `error` says why, in
 * the provider's words.
 */
export interface CalendarUnreadable {
  calendarId: string;
  busy: never[];
  error: string;
}

/** One asked calendar's answer: check `error` before reading `busy`. */
export type CalendarBusy = CalendarRead | CalendarUnreadable;

export interface Attendee {
  email: string;
  name?: string | undefined;
  optional?: boolean | undefined;
}

export interface CalendarEventInput {
  summary: string;
  description?: string | undefined;
  location?: string | undefined;
  start: Date;
  end: Date;
  /** IANA zone the organiser works in; sent to the provider with the times. */
  timeZone: string;
  attendees: Attendee[];
}

export interface CalendarEvent {
  id: string;
  webLink?: string | undefined;
  status: string;
}

/** Google Calendar or Outlook, for one signed-in account. */
export interface CalendarProvider {
  freeBusy(calendarIds: string[], range: TimeRange, timeZone: string): Promise<CalendarBusy[]>;
  createEvent(event: CalendarEventInput): Promise<CalendarEvent>;
  updateEvent(eventId: string, changes: Partial<CalendarEventInput>): Promise<CalendarEvent>;
  /** Deleting an event that is already gone is not an error. */
  deleteEvent(eventId: string): Promise<void>;
}

export interface MeetingInput {
  topic: string;
  agenda?: string | undefined;
  start: Date;
  durationMinutes: number;
  timeZone: string;
  /** Candidates wait until the host admits them; the provider's default for interviews when absent. */
  waitingRoom?: boolean | undefined;
}

export interface Meeting {
  id: string;
  hostId: string;
  joinUrl: string;
  startUrl: string;
  password?: string | undefined;
  start: Date;
  durationMinutes: number;
}

export interface MeetingProvider {
  createMeeting(zoomUserId: string, meeting: MeetingInput): Promise<Meeting>;
  updateMeeting(meetingId: string, changes: Partial<MeetingInput>): Promise<void>;
  /** Deleting a meeting that is already gone is not an error. */
  deleteMeeting(meetingId: string): Promise<void>;
  listUpcoming(
    zoomUserId: string,
  ): Promise<Array<Pick<Meeting, "id" | "hostId" | "joinUrl" | "start" | "durationMinutes">>>;
}

export interface ChatProvider {
  openDirectMessage(slackUserId: string): Promise<{ channelId: string }>;
  postMessage(channelId: string, text: string, blocks?: unknown[]): Promise<{ ts: string }>;
}
