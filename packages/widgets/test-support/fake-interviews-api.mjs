/**
 * A fake of the routes <schedule-interview> calls besides accounts and Zoom
 * hosts (those are fake-accounts-api.mjs's and fake-zoom-hosts-api.mjs's,
 * seeded for the same `org`), answering the contract's shapes exactly
 * (packages/contract/src/availability.ts and interviews.ts, ARCHITECTURE.md's
 * "interviews" row, server routes/templates.ts):
 *
 *   POST /v1/availability        {participants, start, end, durationMinutes, stepMinutes?, workingHours?, timeZone?,
 *                                 peopleBusy?, interviewId?}
 *                                → {timeZone, japaneseHolidays, slots:[{start, end, unconfirmedFor}], people:[…]}
 *        worked out as the server does: starts on the step marks of the viewer's clock inside the window, every
 *        participant free for the whole slot (half-open), none on a day off; `unconfirmedFor` the participants whose
 *        status is not `ok`; times written with the viewer's offset. `peopleBusy` as the server takes it: `all`
 *        (default), `working_hours` (busy time cut to `workingHours` on the viewer's clock), `none`. `interviewId`
 *        (a seeded interview, else 404 interview_not_found) leaves out the busy blocks seeded with that
 *        `interviewId`: the interview's own event, as the server leaves it out.
 *   POST /v1/interviews          (Idempotency-Key) → 201 InterviewView; the same key and body again → the first
 *                                answer; the same key with another body → 422 idempotency_key_reused
 *   GET|PATCH|DELETE /v1/interviews/:id          → InterviewView (DELETE: status cancelled); PATCH takes
 *                                                  {title?, start?, end?, interviewers?, zoom?: {hostZoomUserId}}
 *   POST /v1/interviews/:id/start-url            → {startUrl, expiresHint}, or 403 start_url_forbidden unless
 *                                                  the caller is one of `startAllowed`
 *   POST /v1/templates/render    {key | body, language?, timeZone?, values} → {language, timeZone, subject, body}
 *
 *   POST /fake-tsunagu/control/interviews/seed     {org, people, interviews?, templates?, startAllowed?, failures?,
 *                                                   holds?}
 *        people: [{id, name, email?, status?, calendars?, busy?: [{start, end, interviewId?}], daysOff?: [DayOffView],
 *                  timeZone?, workingHours?}]
 *        failures: {"METHOD /v1/path": [{status, code, message, settled?}, …]} answered in order, before the real
 *                  answer; `settled` (POST /v1/interviews): the booking's refusal the server settled the key on (its
 *                  saga refused: 424 provider_failed, 409 zoom_host_busy, …), answered again for that key and body
 *        holds: ["METHOD /v1/path"]: such requests wait until /control/interviews/release
 *   POST /fake-tsunagu/control/interviews/release?org=   lets every held request go on
 *   GET  /fake-tsunagu/control/interviews/requests?org=  [{route, body, idempotencyKey}]
 */
import { json, readClaims, readJson } from "./fake-http.mjs";

const tenants = new Map();
const minuteMs = 60_000;
const weekdays = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

export async function fakeInterviewsApi(context, next) {
  const path = context.path;
  if (path === "/fake-tsunagu/control/interviews/seed" && context.method === "POST") return seed(context);
  if (path === "/fake-tsunagu/control/interviews/requests")
    return json(context, 200, tenants.get(context.query.org)?.requests ?? []);
  if (path === "/fake-tsunagu/control/interviews/release" && context.method === "POST") {
    const tenant = tenants.get(context.query.org);
    for (const release of tenant?.waiting.splice(0) ?? []) release();
    if (tenant) tenant.holds = [];
    return json(context, 200, { released: true });
  }
  const api = /^\/fake-tsunagu(\/v1\/(?:availability|interviews.*|templates\/render))$/.exec(path);
  if (!api) return next();
  const claims = readClaims(context.get("authorization"));
  const tenant = claims && typeof claims.reject !== "string" ? tenants.get(claims.org) : undefined;
  if (!tenant) return next();

  const route = `${context.method} ${api[1]}`;
  const routeKey = `${context.method} ${api[1].replace(/\/v1\/interviews\/[^/]+/, "/v1/interviews/:id")}`;
  const body = context.method === "GET" || context.method === "DELETE" ? undefined : await readJson(context.req);
  tenant.requests.push({ route, body: body ?? null, idempotencyKey: context.get("idempotency-key") || null });
  if (tenant.holds.includes(routeKey)) await new Promise((resolve) => tenant.waiting.push(resolve));
  const failure = tenant.failures[routeKey]?.shift();
  if (failure) {
    const key = context.get("idempotency-key");
    if (failure.settled && key) tenant.keys.set(key, { body: JSON.stringify(body), failure });
    return json(context, failure.status, { error: { code: failure.code, message: failure.message } });
  }
  return answer(context, tenant, claims, route, body);
}

async function seed(context) {
  const input = await readJson(context.req);
  if (!input?.org || !Array.isArray(input.people))
    return json(context, 400, { error: { code: "invalid_body", message: "seed needs an org and people" } });
  tenants.set(input.org, {
    people: input.people,
    interviews: new Map((input.interviews ?? []).map((interview) => [interview.id, interview])),
    templates: input.templates ?? {},
    startAllowed: input.startAllowed ?? [],
    failures: input.failures ?? {},
    holds: input.holds ?? [],
    waiting: [],
    keys: new Map(),
    requests: [],
    count: 0,
  });
  return json(context, 201, { org: input.org });
}

function answer(context, tenant, claims, route, body) {
  if (route === "POST /v1/availability") {
    if (body.interviewId !== undefined && !tenant.interviews.has(body.interviewId))
      return json(context, 404, { error: { code: "interview_not_found", message: "No such interview." } });
    return json(context, 200, availability(tenant, body));
  }
  if (route === "POST /v1/templates/render") return render(context, tenant, claims, body);
  if (route === "POST /v1/interviews") return book(context, tenant, claims, body);
  const match = /^(GET|PATCH|DELETE|POST) \/v1\/interviews\/([^/]+)(\/start-url)?$/.exec(route);
  const interview = match ? tenant.interviews.get(decodeURIComponent(match[2])) : undefined;
  if (!match || (match[3] && match[1] !== "POST") || (!match[3] && match[1] === "POST"))
    return json(context, 404, { error: { code: "not_found", message: `No fake route ${route}.` } });
  if (!interview) return json(context, 404, { error: { code: "interview_not_found", message: "No such interview." } });
  if (match[3]) {
    if (!tenant.startAllowed.includes(claims.sub))
      return json(context, 403, {
        error: { code: "start_url_forbidden", message: "Only the Zoom host's users may start this meeting." },
      });
    return json(context, 200, {
      startUrl: `https://zoom.example/s/${interview.zoom?.meetingId}?zak=fake`,
      expiresHint: "Zoom's start URL expires about two hours after it is issued.",
    });
  }
  if (match[1] === "GET") return json(context, 200, interview);
  if (interview.status === "cancelled")
    return json(context, 409, { error: { code: "interview_cancelled", message: "The interview was cancelled." } });
  const now = new Date().toISOString();
  if (match[1] === "DELETE") {
    const { event: _removed, ...rest } = interview;
    const cancelled = { ...rest, status: "cancelled", updatedAt: now };
    tenant.interviews.set(interview.id, cancelled);
    return json(context, 200, cancelled);
  }
  // The server's change schema (routes/interviews.ts): a Zoom host by id only, start and end moved together.
  const zoomInvalid = body.zoom !== undefined && typeof body.zoom?.hostZoomUserId !== "string";
  if (zoomInvalid || (body.start === undefined) !== (body.end === undefined))
    return json(context, 400, { error: { code: "invalid_body", message: "The body must hold what changes." } });
  const changed = {
    ...interview,
    title: body.title ?? interview.title,
    start: body.start ?? interview.start,
    end: body.end ?? interview.end,
    interviewers: body.interviewers ? body.interviewers.map((id) => person(tenant, id)) : interview.interviewers,
    updatedAt: now,
  };
  if (body.zoom) changed.zoom = { ...interview.zoom, hostZoomUserId: body.zoom.hostZoomUserId };
  tenant.interviews.set(interview.id, changed);
  return json(context, 200, changed);
}

function book(context, tenant, claims, body) {
  const key = context.get("idempotency-key");
  const serialised = JSON.stringify(body);
  const earlier = key ? tenant.keys.get(key) : undefined;
  if (earlier && earlier.body !== serialised)
    return json(context, 422, {
      error: { code: "idempotency_key_reused", message: "This Idempotency-Key came with another body." },
    });
  if (earlier?.failure)
    return json(context, earlier.failure.status, {
      error: { code: earlier.failure.code, message: earlier.failure.message },
    });
  if (earlier) return json(context, 201, tenant.interviews.get(earlier.id));
  const id = `iv_${++tenant.count}`;
  const now = new Date().toISOString();
  const accountId = body.calendarAccountId ?? "acc_google_default";
  const interview = {
    id,
    status: "confirmed",
    title: body.title,
    start: body.start,
    end: body.end,
    description: body.description ?? null,
    organiser: { userId: claims.sub, name: claims.name ?? null, email: claims.email ?? null },
    interviewers: body.interviewers.map((userId) => person(tenant, userId)),
    candidate: body.candidate,
    timeZone: claims.tz ?? "Asia/Tokyo",
    conference: body.zoom ? "zoom" : null,
    ...(body.zoom ? { zoom: zoomOf(id, body.zoom, "zu_auto") } : {}),
    event: {
      provider: accountId.includes("microsoft") ? "microsoft" : "google",
      accountId,
      eventId: `ev_${id}`,
      webLink: `https://calendar.example/event/ev_${id}`,
    },
    drift: [],
    createdAt: now,
    updatedAt: now,
  };
  tenant.interviews.set(id, interview);
  if (key) tenant.keys.set(key, { id, body: serialised });
  return json(context, 201, interview);
}

function zoomOf(id, zoom, fallbackHost) {
  const meetingId = String(80000000000 + Number(id.replace(/\D/g, "")));
  return {
    meetingId,
    joinUrl: `https://zoom.example/j/${meetingId}?pwd=fake`,
    passcode: "482913",
    hostZoomUserId: zoom.hostZoomUserId ?? fallbackHost,
  };
}

function person(tenant, userId) {
  const seeded = tenant.people.find((candidate) => candidate.id === userId);
  return { userId, name: seeded?.name ?? null, email: seeded?.email ?? null };
}

function availability(tenant, question) {
  const zone = question.timeZone ?? "UTC";
  const start = Date.parse(question.start);
  const end = Date.parse(question.end);
  const duration = question.durationMinutes * minuteMs;
  const step = (question.stepMinutes ?? 30) * minuteMs;
  const window = question.workingHours;
  const people = question.participants.map((id) => {
    const seeded = tenant.people.find((candidate) => candidate.id === id) ?? { id, status: "no_calendar" };
    return {
      id,
      status: seeded.status ?? "ok",
      timeZone: seeded.timeZone ?? zone,
      workingHours: seeded.workingHours ?? { days: ["mon", "tue", "wed", "thu", "fri"], start: "09:00", end: "18:00" },
      calendars: seeded.calendars ?? [],
      busy: busyShown(
        (seeded.busy ?? []).filter(
          (block) =>
            Date.parse(block.start) < end &&
            start < Date.parse(block.end) &&
            (block.interviewId === undefined || block.interviewId !== question.interviewId),
        ),
        question.peopleBusy ?? "all",
        window,
        zone,
      ).map((block) => ({ start: inZone(block.start, zone), end: inZone(block.end, zone) })),
      daysOff: seeded.daysOff ?? [],
    };
  });
  const slots = [];
  for (let at = start; at + duration <= end; at += step) {
    const wall = wallClock(at, zone);
    const minutes = wall.hour * 60 + wall.minute;
    if (minutes % (step / minuteMs) !== 0) continue;
    if (window && (minutes < toMinutes(window.start) || minutes + duration / minuteMs > toMinutes(window.end)))
      continue;
    const date = wall.date;
    const weekday = weekdays[new Date(`${date}T00:00:00Z`).getUTCDay()];
    const free = people.every(
      (entry) =>
        entry.workingHours.days.includes(weekday) &&
        !entry.daysOff.some((day) => day.date === date) &&
        !entry.busy.some((block) => Date.parse(block.start) < at + duration && at < Date.parse(block.end)),
    );
    if (!free) continue;
    slots.push({
      start: inZone(at, zone),
      end: inZone(at + duration, zone),
      unconfirmedFor: people.filter((entry) => entry.status !== "ok").map((entry) => entry.id),
    });
  }
  return { timeZone: zone, japaneseHolidays: true, slots, people };
}

/**
 * A day and a time as the server's templates write them (packages/server/src/readable-time.ts):
 * 2027年1月12日（火）9:00 / Tue, Jan 12, 2027, 9:00 AM. The end is written the same way here (the server writes
 * the time alone on the same day): the tests read the start.
 */
function readableMoment(iso, language, timeZone) {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-US", {
      timeZone,
      year: "numeric",
      month: "numeric",
      day: "numeric",
      weekday: "short",
      hour: "numeric",
      minute: "2-digit",
      hourCycle: "h23",
    })
      .formatToParts(new Date(iso))
      .map((part) => [part.type, part.value]),
  );
  const weekday = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"].indexOf(parts.weekday);
  const hour = Number(parts.hour) % 24;
  if (language === "ja") {
    return `${parts.year}年${parts.month}月${parts.day}日（${"日月火水木金土"[weekday]}）${hour}:${parts.minute}`;
  }
  const month = new Intl.DateTimeFormat("en-US", { timeZone, month: "short" }).format(new Date(iso));
  const clock = `${hour % 12 || 12}:${parts.minute} ${hour < 12 ? "AM" : "PM"}`;
  return `${parts.weekday}, ${month} ${parts.day}, ${parts.year}, ${clock}`;
}

/** The busy blocks the answer carries (epoch ms): all, none, or each cut to the window on `zone`'s clock. */
function busyShown(blocks, scope, window, zone) {
  const all = blocks.map((block) => ({ start: Date.parse(block.start), end: Date.parse(block.end) }));
  if (scope === "none") return [];
  if (scope !== "working_hours") return all;
  const inside = (at) => {
    const wall = wallClock(at, zone);
    const minutes = wall.hour * 60 + wall.minute;
    const weekday = weekdays[new Date(`${wall.date}T00:00:00Z`).getUTCDay()];
    return window.days.includes(weekday) && minutes >= toMinutes(window.start) && minutes < toMinutes(window.end);
  };
  const out = [];
  for (const block of all)
    for (let at = block.start; at < block.end; at += minuteMs) {
      if (!inside(at)) continue;
      const last = out.at(-1);
      if (last && last.end === at) last.end = at + minuteMs;
      else out.push({ start: at, end: at + minuteMs });
    }
  return out;
}

function render(context, tenant, claims, input) {
  const language = input.language ?? claims.locale ?? "ja";
  const timeZone = input.timeZone ?? claims.tz ?? "Asia/Tokyo";
  let body = input.body;
  let subject = input.subject ?? null;
  if (input.key !== undefined) {
    const stored = tenant.templates[`${input.key}/${language}`];
    if (!stored)
      return json(context, 404, {
        error: { code: "template_not_found", message: `The organisation has no template "${input.key}".` },
      });
    body = stored.body;
    subject = stored.subject ?? null;
  }
  const values = input.values ?? {};
  const tags = {
    title: values.title,
    start: values.start && readableMoment(values.start, language, timeZone),
    end: values.end && readableMoment(values.end, language, timeZone),
    time_zone: timeZone,
    candidate_name: values.candidateName,
    interviewers: values.interviewers?.join(language === "ja" ? "、" : ", "),
    zoom_url: values.zoom?.joinUrl,
    zoom_passcode: values.zoom?.passcode,
    zoom_meeting_id: values.zoom?.meetingId,
    calendar_link: values.calendarLink,
  };
  let missing;
  const fill = (text) =>
    text.replace(/\{\{\s*([^{}]*?)\s*\}\}/g, (_, tag) => {
      if (tags[tag] === undefined) missing ??= tag;
      return tags[tag] ?? "";
    });
  const rendered = { language, timeZone, subject: subject === null ? null : fill(subject), body: fill(body) };
  if (missing)
    return json(context, 422, {
      error: { code: "template_value_missing", message: `No value for {{${missing}}}.`, details: { tag: missing } },
    });
  return json(context, 200, rendered);
}

function toMinutes(time) {
  const [hour, minute] = time.split(":").map(Number);
  return hour * 60 + minute;
}

function wallClock(instant, zone) {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-US", {
      timeZone: zone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    })
      .formatToParts(instant)
      .map((part) => [part.type, part.value]),
  );
  return {
    date: `${parts.year}-${parts.month}-${parts.day}`,
    time: `${parts.hour}:${parts.minute}:${parts.second}`,
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    offset: Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second) - instant,
  };
}

/** An instant as the server writes it: the viewer's wall clock with its offset (2027-01-12T10:00:00+09:00). */
function inZone(instant, zone) {
  const wall = wallClock(instant, zone);
  const offset = Math.round(wall.offset / minuteMs);
  const sign = offset < 0 ? "-" : "+";
  const hours = String(Math.floor(Math.abs(offset) / 60)).padStart(2, "0");
  const minutes = String(Math.abs(offset) % 60).padStart(2, "0");
  return `${wall.date}T${wall.time}${offset === 0 ? "Z" : `${sign}${hours}:${minutes}`}`;
}
