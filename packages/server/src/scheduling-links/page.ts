/**
 * The candidate's page (hono/html, escaped by default). It works without
 * JavaScript: each slot is a form that POSTs its start, the language and the
 * zone are links and a GET form. The one script is a file of this server
 * (`/s-assets/page.js`, not inline) that only picks the browser's zone and
 * submits the zone form on change. The CSP allows that script, the one inline
 * style by its hash, and forms back to this server: nothing third-party.
 */
import { createHash } from "node:crypto";
import type { InterviewView, OfferedSlot, SchedulingLinkErrorCode } from "@tsunagu/contract";
import { html, raw } from "hono/html";
import type { HtmlBody } from "../oauth/outcome.ts";
import { readableDay, readableRange, withZone } from "../readable-time.ts";
import { type PageLanguage, pageWords, type PageWords } from "./words.ts";

/**
 * Path of the page's optional script, served by the page routes. Beside `/s/:secret` rather than under `/s/`: hono's
 * fastest router (RegExpRouter) refuses a fixed segment next to a parameter, and one such pair makes the whole app fall
 * back to the slower TrieRouter for every request (issue 15).
 */
export const pageScriptPath = "/s-assets/page.js";

const style =
  "body{font:16px/1.6 system-ui,sans-serif;margin:0;background:#f4f5f7;color:#1d1d1f}" +
  "main{max-width:560px;margin:0 auto;padding:16px}" +
  "section,.card{background:#fff;border-radius:12px;padding:16px 20px;margin:12px 0;box-shadow:0 1px 6px #0002}" +
  "h1{font-size:1.4rem}h2{font-size:1.05rem;margin:0 0 8px}" +
  "ul{list-style:none;padding:0;margin:0}li{margin:6px 0}" +
  "button,select,a{font:inherit}button{padding:10px 16px;border-radius:8px;border:1px solid #2456c5;" +
  "background:#2456c5;color:#fff;min-width:44px;min-height:44px;cursor:pointer;width:100%;text-align:left}" +
  "select{padding:8px;max-width:100%}.secondary{background:#fff;color:#2456c5;width:auto}" +
  "a{color:#1a47a8}:focus-visible{outline:3px solid #f2a900;outline-offset:2px}" +
  ".notice{border-left:4px solid #c5392b;padding:8px 12px;background:#fff4f2}" +
  ".visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}" +
  "dl{margin:0}dt{font-weight:600}dd{margin:0 0 8px;overflow-wrap:anywhere}" +
  "nav{display:flex;gap:12px;flex-wrap:wrap;align-items:end}label{display:block;font-size:.9rem}" +
  "code{font-size:.8rem;color:#555}";

const styleHash = createHash("sha256").update(style).digest("base64");

/** The headers every candidate page carries. */
export const pageHeaders: Record<string, string> = {
  "content-type": "text/html; charset=utf-8",
  "cache-control": "no-store",
  "x-robots-tag": "noindex",
  "referrer-policy": "no-referrer",
  "content-security-policy":
    `default-src 'none'; script-src 'self'; style-src 'sha256-${styleHash}'; ` +
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
};

/** What every page is rendered for: the language, the zone times are shown in, and whether the zone was chosen. */
export interface PageView {
  language: PageLanguage;
  timeZone: string;
  /**
   * True when `?tz=` asked for a zone, known or not: the script then leaves it as it is (asking again for a zone
   * this server does not know would reload the page forever).
   */
  zoneChosen: boolean;
}

export type Notice = "taken" | "notOffered" | "failed" | "inProgress";

/** The code each refusal carries on the page (`data-error-code`), as the OAuth refusal pages do. */
const noticeCodes: Record<Notice, SchedulingLinkErrorCode | undefined> = {
  taken: "scheduling_slot_taken",
  notOffered: "scheduling_slot_not_offered",
  failed: "scheduling_booking_failed",
  inProgress: undefined,
};
const closedCodes: Record<ClosedKind, SchedulingLinkErrorCode> = {
  expired: "scheduling_link_expired",
  revoked: "scheduling_link_revoked",
  unknown: "scheduling_link_not_found",
};

export function offerPage(
  view: PageView,
  offer: { title: string; candidateName: string; durationMinutes: number; slots: OfferedSlot[] },
  notice?: Notice,
  pending?: string,
): HtmlBody {
  const words = pageWords[view.language];
  const days = groupByDay(offer.slots, view);
  const slotList =
    offer.slots.length === 0
      ? html`<p>${words.noSlots}</p>`
      : days.map(
          (day, index) => html`<section aria-labelledby="day-${index}">
<h2 id="day-${index}">${day.label}</h2>
<ul>
${day.slots.map((slot) => slotForm(view, words, slot, day.label))}
</ul>
</section>`,
        );
  return layout(
    view,
    words.pageTitle,
    html`<h1>${offer.title}</h1>
<p>${words.intro(offer.candidateName)}</p>
<p>${words.duration(offer.durationMinutes)}</p>
${notice ? html`<p class="notice" role="alert" data-notice="${notice}">${words[notice]}</p>` : ""}
${notice ? errorCode(noticeCodes[notice]) : ""}
${pending ? slotForm(view, words, { start: pending, end: pending }, "", words.checkAgain) : ""}
${pending ? "" : slotList}`,
  );
}

export function bookedPage(view: PageView, interview: InterviewView, calendarHref: string): HtmlBody {
  const words = pageWords[view.language];
  const cancelled = interview.status === "cancelled";
  const joinUrl = interview.zoom?.joinUrl ?? interview.joinUrl;
  return layout(
    view,
    cancelled ? words.cancelledTitle : words.bookedTitle,
    html`<h1>${cancelled ? words.cancelledTitle : words.bookedTitle}</h1>
<p>${cancelled ? words.cancelledLead : words.bookedLead}</p>
<div class="card" data-interview="${interview.id}">
<h2>${interview.title}</h2>
<dl>
<dt>${words.when}</dt>
<dd><time datetime="${interview.start}">${range(view, interview.start, interview.end)}</time></dd>
${
  joinUrl && !cancelled
    ? html`<dt>${words.joinUrl}</dt>
<dd><a href="${joinUrl}" data-join-url>${joinUrl}</a></dd>`
    : ""
}
${interview.zoom && !cancelled ? html`<dt>${words.passcode}</dt><dd>${interview.zoom.passcode}</dd>` : ""}
</dl>
${cancelled ? "" : html`<p><a href="${calendarHref}" download>${words.addToCalendar}</a></p>`}
</div>`,
  );
}

export type ClosedKind = "expired" | "revoked" | "unknown";

export function closedPage(view: PageView, kind: ClosedKind): HtmlBody {
  const words = pageWords[view.language];
  const title = words[`${kind}Title`];
  return layout(
    view,
    title,
    html`<h1>${title}</h1>
<p data-closed="${kind}">${words[`${kind}Lead`]}</p>
${errorCode(closedCodes[kind])}`,
  );
}

/**
 * Why the page cannot be served now: the database is out of reach, every connection to it busy, or an interviewer's
 * calendar cannot be read (no slot is offered as free unchecked).
 */
export type UnavailableCode = "database_unavailable" | "server_busy" | "calendar_unavailable";

/**
 * The page while the database cannot answer (503): the link cannot even be looked up, so it says so without naming
 * it, and leads back to the page (a GET: a pick's form is not sent again by reloading this).
 */
export function unavailablePage(view: PageView, code: UnavailableCode): HtmlBody {
  const words = pageWords[view.language];
  const again = `?${new URLSearchParams({ lang: view.language, tz: view.timeZone })}`;
  return layout(
    view,
    words.unavailableTitle,
    html`<h1>${words.unavailableTitle}</h1>
<p data-closed="unavailable">${words.unavailableLead}</p>
<p><a href="${again}">${words.tryAgain}</a></p>
${errorCode(code)}`,
  );
}

function errorCode(code: SchedulingLinkErrorCode | UnavailableCode | undefined): HtmlBody | string {
  return code ? html`<p><code data-error-code="${code}">${code}</code></p>` : "";
}

function slotForm(view: PageView, words: PageWords, slot: OfferedSlot, dayLabel: string, label?: string): HtmlBody {
  return html`<li><form method="post">
<input type="hidden" name="slot" value="${slot.start}">
<input type="hidden" name="lang" value="${view.language}">
<input type="hidden" name="tz" value="${view.timeZone}">
<button type="submit" data-slot="${slot.start}">${
    label ?? html`<span class="visually-hidden">${dayLabel} </span>${range(view, slot.start, slot.end, false)}`
  }<span class="visually-hidden"> ${label ? "" : words.choose}</span></button>
</form></li>`;
}

function layout(view: PageView, title: string, body: HtmlBody): HtmlBody {
  const words = pageWords[view.language];
  const other: PageLanguage = view.language === "ja" ? "en" : "ja";
  const switchHref = `?${new URLSearchParams({ lang: other, tz: view.timeZone })}`;
  return html`<!doctype html>
<html lang="${view.language}" data-time-zone="${view.timeZone}" data-zone-chosen="${view.zoneChosen ? "1" : "0"}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${title} · Tsunagu</title>
<style>${raw(style)}</style>
<script type="module" src="${pageScriptPath}"></script>
</head>
<body>
<main>
<nav aria-label="${words.settings}">
<form method="get" id="zone-form">
<label for="tz">${words.zoneLabel}</label>
<select id="tz" name="tz">${zoneOptions(view.timeZone)}</select>
<input type="hidden" name="lang" value="${view.language}">
<button type="submit" class="secondary">${words.zoneApply}</button>
</form>
<a href="${switchHref}" lang="${other}" hreflang="${other}">${words.languageSwitch}</a>
</nav>
${body}
</main>
</body>
</html>`;
}

const allZones = Intl.supportedValuesOf("timeZone");

function zoneOptions(selected: string): HtmlBody[] {
  const zones = allZones.includes(selected) ? allZones : [selected, ...allZones];
  return zones.map((zone) =>
    zone === selected
      ? html`<option value="${zone}" selected>${zone}</option>`
      : html`<option value="${zone}">${zone}</option>`,
  );
}

/** The day as a heading: 2026年12月3日（木） / Thu, Dec 3, 2026. */
function dayLabelOf(view: PageView, instant: string): string {
  return readableDay(new Date(instant), view);
}

/** "2026年12月3日（木）10:00〜11:00（Asia/Tokyo）", without the day when `withDate` is false (a slot under its day). */
function range(view: PageView, start: string, end: string, withDate = true): string {
  return withZone(readableRange(new Date(start), new Date(end), { ...view, withDay: withDate }), view);
}

function groupByDay(slots: OfferedSlot[], view: PageView): Array<{ label: string; slots: OfferedSlot[] }> {
  const days: Array<{ label: string; slots: OfferedSlot[] }> = [];
  for (const slot of slots) {
    const label = dayLabelOf(view, slot.start);
    const last = days.at(-1);
    if (last?.label === label) last.slots.push(slot);
    else days.push({ label, slots: [slot] });
  }
  return days;
}

/**
 * The optional script: the browser's zone when none was chosen, and the zone form sent on change. A page the back
 * button brings back from the back/forward cache (Chromium keeps even a no-store page there) is asked for anew: it
 * would otherwise offer the choices of before the booking.
 */
export const pageScript = `addEventListener("pageshow", (event) => {
  if (event.persisted) location.reload();
});
const root = document.documentElement;
const form = document.getElementById("zone-form");
const select = document.getElementById("tz");
if (form && select) select.addEventListener("change", () => form.requestSubmit());
const browserZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
if (root.dataset.zoneChosen !== "1" && browserZone && browserZone !== root.dataset.timeZone) {
  const url = new URL(location.href);
  url.searchParams.set("tz", browserZone);
  url.searchParams.set("lang", root.lang);
  location.replace(url.href);
}
`;
