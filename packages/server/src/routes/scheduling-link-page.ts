/**
 * The candidate's page for a scheduling link: no host token, the link's
 * secret is the capability (scheduling-links/capability.ts).
 *
 * GET  /s/:secret               the offered slots still free (or the booked interview, or why the link is closed)
 * POST /s/:secret               form {slot, lang, tz}: books the slot, then 303 back to the page showing it
 * GET  /s/:secret/calendar.ics  the booked interview for the candidate's calendar
 * GET  /s-assets/page.js        the page's optional script
 *
 * An unknown or altered link, or one of a portal no longer in the hosts file,
 * is 404, an expired or withdrawn one 410, a slot taken meanwhile 409 with the
 * remaining choices: each a page in the candidate's language, never a stack
 * trace.
 */
import { Hono } from "hono";
import type { AppEnv } from "../auth/app-env.ts";
import type { HostRegistry } from "../auth/host-registry.ts";
import { hashOfSecret } from "../scheduling-links/capability.ts";
import { CalendarsUnreadableError, freeOfferedSlots } from "../scheduling-links/free-slots.ts";
import { interviewCalendar } from "../scheduling-links/ics.ts";
import {
  bookedPage,
  closedPage,
  type Notice,
  offerPage,
  pageHeaders,
  pageScript,
  pageScriptPath,
  type PageView,
  unavailablePage,
} from "../scheduling-links/page.ts";
import { type PickDeps, pickOutlivingExpiry, pickSlot, pickUnderWay } from "../scheduling-links/pick.ts";
import {
  claimLapsed,
  currentInterview,
  findLinkBySecretHash,
  linkStatus,
  type SchedulingLink,
} from "../scheduling-links/store.ts";
import { pageLanguage } from "../scheduling-links/words.ts";
import { databaseRetryAfterSeconds, isDatabaseBusy, isDatabaseUnavailable } from "../store/availability.ts";
import { canonicalTimeZone } from "../time-zone.ts";

type Choices = { lang?: string | undefined; tz?: string | undefined };

/** How long the page asks a browser to wait while an interviewer's calendar cannot be read. */
const calendarRetryAfterSeconds = 30;

export function schedulingLinkPageRoutes(deps: PickDeps & { hosts: HostRegistry }) {
  const { db, clock, hosts } = deps;

  /** The page's language and zone: the switches, else the browser's language (or the candidate's) and zone. */
  const viewOf = (link: SchedulingLink | undefined, choices: Choices, acceptLanguage: string | undefined): PageView => {
    const chosenZone = choices.tz ? canonicalTimeZone(choices.tz) : undefined;
    return {
      language: pageLanguage(choices.lang, acceptLanguage, link?.offer.candidate.language),
      timeZone: chosenZone ?? link?.offer.candidate.timeZone ?? link?.offer.timeZone ?? "Asia/Tokyo",
      // Asked for, even a zone this server does not know (a browser may say Etc/Unknown): the script asked once.
      zoneChosen: Boolean(choices.tz),
    };
  };

  /**
   * The link of this secret, while its portal is registered: a host removed from the hosts file stops its links as it
   * stops its tokens (README, "Hosts"), rather than booking on with its organisation's calendars and Zoom.
   */
  const findBySecret = async (secret: string) => {
    const hash = hashOfSecret(secret);
    const link = hash === undefined ? undefined : await findLinkBySecretHash(db, hash);
    return link && hosts.get(link.tenant.hostId) ? link : undefined;
  };

  return new Hono<AppEnv>()
    .onError((error, c) => {
      // An interviewer's calendar that cannot be read: no slot is shown or booked as free unchecked (README,
      // "Candidate scheduling links"); the page says to try again, as while the database is away.
      if (error instanceof CalendarsUnreadableError) {
        deps.logger.warn("scheduling link page: calendars unreadable", { requestId: c.get("requestId"), error });
        const view = viewOf(undefined, c.req.query(), c.req.header("accept-language"));
        return c.html(unavailablePage(view, "calendar_unavailable"), 503, {
          ...pageHeaders,
          "retry-after": String(calendarRetryAfterSeconds),
        });
      }
      // The database out of reach (or every connection busy): a page in the candidate's language, not the API's
      // JSON envelope. Anything else is the app's to answer.
      if (!isDatabaseUnavailable(error)) throw error;
      deps.logger.warn("database unavailable", { requestId: c.get("requestId"), path: c.req.path, error });
      const view = viewOf(undefined, c.req.query(), c.req.header("accept-language"));
      const code = isDatabaseBusy(error) ? "server_busy" : "database_unavailable";
      return c.html(unavailablePage(view, code), 503, {
        ...pageHeaders,
        "retry-after": String(databaseRetryAfterSeconds),
      });
    })
    .get(pageScriptPath, (c) =>
      c.body(pageScript, 200, {
        "content-type": "text/javascript; charset=utf-8",
        "cache-control": "public, max-age=3600",
      }),
    )
    .get("/s/:secret", async (c) => {
      const secret = c.req.param("secret");
      const link = await findBySecret(secret);
      const view = viewOf(link, c.req.query(), c.req.header("accept-language"));
      const closed = closedAnswer(link, view);
      if (closed) {
        const outlived = await outlivingExpiry(link, closed);
        if (outlived?.kind === "booked")
          return c.html(bookedPage(view, outlived.interview, calendarHref(secret)), 200, pageHeaders);
        if (outlived) return c.html(inProgressPage(view, link as SchedulingLink, outlived.pending), 200, pageHeaders);
        return c.html(closed.body, closed.status, pageHeaders);
      }
      const open = link as SchedulingLink;
      const interview = await currentInterview(db, open);
      if (interview) return c.html(bookedPage(view, interview, calendarHref(secret)), 200, pageHeaders);
      if (open.claimedStart && !claimLapsed(open, clock.now())) {
        const underWay = await pickUnderWay(deps, { ...open, claimedStart: open.claimedStart });
        if (underWay.kind === "booked") {
          const booked = await currentInterview(db, { ...open, interview: underWay.interview });
          return c.html(bookedPage(view, booked ?? underWay.interview, calendarHref(secret)), 200, pageHeaders);
        }
        if (underWay.kind === "refused")
          return c.html(offerPageOf(view, open, underWay.free, underWay.reason), 200, pageHeaders);
        return c.html(inProgressPage(view, open, underWay.pending), 200, pageHeaders);
      }
      return c.html(offerPageOf(view, open, await freeOfferedSlots(deps, open)), 200, pageHeaders);
    })
    .get("/s/:secret/", (c) => {
      // A link with a slash after it (a mail client or a hand that added one): sent to the page itself, whose
      // relative addresses (its script, its form, its calendar file) hold only without the slash; relative, so that
      // a server behind a path prefix sends the candidate back under it. What is no link's secret is the unknown page.
      const secret = c.req.param("secret");
      if (hashOfSecret(secret) === undefined) {
        const view = viewOf(undefined, c.req.query(), c.req.header("accept-language"));
        return c.html(closedPage(view, "unknown"), 404, pageHeaders);
      }
      return c.redirect(`../${secret}${new URL(c.req.url).search}`, 301);
    })
    .post("/s/:secret", async (c) => {
      const secret = c.req.param("secret");
      const link = await findBySecret(secret);
      const form = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
      const field = (name: string) => (typeof form[name] === "string" ? (form[name] as string) : undefined);
      const choices = { lang: field("lang"), tz: field("tz") };
      const view = viewOf(link, choices, c.req.header("accept-language"));
      const backHere = `?${new URLSearchParams({ lang: view.language, tz: view.timeZone })}`;
      const closed = closedAnswer(link, view);
      if (closed) {
        // The "check again" form of a pick the expiry overtook: how that pick stands, no new one.
        const outlived = await outlivingExpiry(link, closed);
        if (outlived?.kind === "booked") return c.redirect(backHere, 303);
        if (outlived) return c.html(inProgressPage(view, link as SchedulingLink, outlived.pending), 202, pageHeaders);
        return c.html(closed.body, closed.status, pageHeaders);
      }
      const open = link as SchedulingLink;
      if (open.interview) return c.redirect(backHere, 303);
      const outcome = await pickSlot(deps, open, normalisedStart(field("slot")));
      switch (outcome.kind) {
        case "booked":
          return c.redirect(backHere, 303);
        case "pending": {
          // Withdrawn between the check above and the claim (which then refused): say so, not "in progress".
          const closedNow = closedAnswer(await findBySecret(secret), view);
          if (closedNow) return c.html(closedNow.body, closedNow.status, pageHeaders);
          return c.html(inProgressPage(view, open, outcome.pending), 202, pageHeaders);
        }
        case "refused": {
          const status = outcome.reason === "notOffered" ? 400 : 409;
          return c.html(offerPageOf(view, open, outcome.free, outcome.reason), status, pageHeaders);
        }
      }
    })
    .get("/s/:secret/calendar.ics", async (c) => {
      const link = await findBySecret(c.req.param("secret"));
      const view = viewOf(link, c.req.query(), c.req.header("accept-language"));
      const closed = closedAnswer(link, view);
      const outlived = closed && (await outlivingExpiry(link, closed));
      if (closed && outlived?.kind !== "booked") return c.html(closed.body, closed.status, pageHeaders);
      const interview =
        outlived?.kind === "booked" ? outlived.interview : await currentInterview(db, link as SchedulingLink);
      if (!interview) return c.html(closedPage(view, "unknown"), 404, pageHeaders);
      return c.body(interviewCalendar(interview, clock.now()), 200, {
        "content-type": "text/calendar; charset=utf-8",
        "content-disposition": 'attachment; filename="interview.ics"',
        "cache-control": "no-store",
        "referrer-policy": "no-referrer",
      });
    });

  /**
   * The pick of a link that expired (410) while it was being booked: the pick as it stands, not the expiry. A
   * withdrawal waits for a pick (409 scheduling_link_busy), so a withdrawn link has none.
   */
  async function outlivingExpiry(link: SchedulingLink | undefined, closed: { status: 404 | 410 }) {
    if (!link || closed.status !== 410 || link.revokedAt) return undefined;
    return pickOutlivingExpiry(deps, link);
  }

  /** The page of a link that cannot be used: unknown (404), withdrawn or expired without a booking (410). */
  function closedAnswer(link: SchedulingLink | undefined, view: PageView) {
    if (!link) return { status: 404 as const, body: closedPage(view, "unknown") };
    const status = linkStatus(link, clock.now());
    if (status === "revoked" || status === "expired") return { status: 410 as const, body: closedPage(view, status) };
    return undefined;
  }
}

function offerPageOf(
  view: PageView,
  link: SchedulingLink,
  free: Array<{ start: string; end: string }>,
  notice?: Notice,
  pending?: string,
) {
  return offerPage(
    view,
    {
      title: link.offer.title,
      candidateName: link.offer.candidate.name,
      durationMinutes: link.offer.durationMinutes,
      slots: free,
    },
    notice,
    pending,
  );
}

/** The page while `pending`, the slot of a submit still booking, is being booked: no other choice meanwhile. */
function inProgressPage(view: PageView, link: SchedulingLink, pending: string) {
  return offerPageOf(view, link, [], "inProgress", pending);
}

/** The slot's start as the link stores it (ISO UTC); anything unreadable matches no slot. */
function normalisedStart(value: string | undefined): string {
  const at = value === undefined ? Number.NaN : Date.parse(value);
  return Number.isNaN(at) ? "" : new Date(at).toISOString();
}

function calendarHref(secret: string): string {
  return `${secret}/calendar.ics`;
}
