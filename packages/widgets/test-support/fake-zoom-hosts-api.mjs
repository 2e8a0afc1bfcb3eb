/**
 * A fake of `GET /v1/zoom/hosts` for <zoom-host-picker>'s tests, answering
 * the fixed shape of ARCHITECTURE.md exactly:
 *   {candidates:[{zoomUserId, displayName, limit, load, canHost, reason?}], pick:{zoomUserId, reason} | null}
 * It works the answer out from what it was seeded with, the way the server's
 * host picking does: the participants' own Zoom users first, then the
 * organisation's others; the load is the seeded meetings overlapping the
 * half-open range; `needs_reauth`, `basic_user_time_limit` (a Basic user and
 * more than 40 minutes) and `busy` (load at the limit) stop a user from
 * hosting; the pick is the first participant-owned user that can host, else
 * the least-loaded other one. One state per `org` claim, so every test seeds
 * its own tenant.
 *
 *   POST /fake-tsunagu/control/zoom-hosts/seed       {org, hosts, failures?, stallStarts?}
 *        hosts: [{zoomUserId, displayName, owners?: [portal user id], limit?, type?: "basic"|"licensed",
 *                 status?: "active"|"needs_reauth", meetings?: [{start, end, interviewId?}], reason?, extra?}]
 *               (a meeting with `interviewId` is that interview's own: a query naming it leaves it out)
 *               (`reason` forces that reason, for codes this version does not know; `extra` adds fields)
 *        failures: a queue of {status, code, message, start?}: the next requests answer these envelopes (one with
 *                  `start` only a request for that start: a page changing its inputs to a time that fails)
 *        stallStarts: requests whose `start` is one of these answer only when the browser gives up
 *   GET  /fake-tsunagu/control/zoom-hosts/requests?org=  [{start, end, participants, interviewId, language, outcome}]
 *        outcome: "answered", "failed" or "aborted" (the browser closed the request first)
 *   GET  /fake-tsunagu/v1/zoom/hosts?start&end&participants[&interviewId]
 *
 * A token with a `reject` claim is left to the generic fake, which answers 401 with that code.
 */
import { json, readClaims, readJson } from "./fake-http.mjs";

const tenants = new Map();
const basicUserMinutes = 40;

export async function fakeZoomHostsApi(context, next) {
  const path = context.path;
  if (path === "/fake-tsunagu/control/zoom-hosts/seed" && context.method === "POST") return seed(context);
  if (path === "/fake-tsunagu/control/zoom-hosts/requests")
    return json(context, 200, tenants.get(context.query.org)?.requests ?? []);
  if (path !== "/fake-tsunagu/v1/zoom/hosts") return next();

  const claims = readClaims(context.get("authorization"));
  const tenant = claims && typeof claims.reject !== "string" ? tenants.get(claims.org) : undefined;
  if (!tenant) return next();
  if (context.method !== "GET")
    return json(context, 405, { error: { code: "method_not_allowed", message: "Only GET is allowed here." } });

  const query = {
    start: String(context.query.start ?? ""),
    end: String(context.query.end ?? ""),
    participants: String(context.query.participants ?? "")
      .split(",")
      .filter(Boolean),
    interviewId: context.query.interviewId === undefined ? null : String(context.query.interviewId),
  };
  const language =
    /^ja\b/i.test(context.get("accept-language")) || (!context.get("accept-language") && claims.locale === "ja")
      ? "ja"
      : "en";
  const request = { ...query, language, outcome: "pending" };
  tenant.requests.push(request);

  if (tenant.stallStarts.includes(query.start)) {
    // Answers only when the browser gives up: lets a test see a superseded request aborted.
    await new Promise((resolve) => context.req.once("close", resolve));
    request.outcome = "aborted";
    return json(context, 499, { error: { code: "client_closed", message: "The client went away." } });
  }
  const failing = tenant.failures.findIndex((entry) => entry.start === undefined || entry.start === query.start);
  const [failure] = failing < 0 ? [] : tenant.failures.splice(failing, 1);
  if (failure) {
    request.outcome = "failed";
    return json(context, failure.status, { error: { code: failure.code, message: failure.message } });
  }
  const start = Date.parse(query.start);
  const end = Date.parse(query.end);
  if (!Number.isFinite(start) || !Number.isFinite(end) || end <= start) {
    request.outcome = "failed";
    return json(context, 400, {
      error: { code: "invalid_request", message: "start and end must be ISO times, start before end." },
    });
  }
  request.outcome = "answered";
  return json(context, 200, answer(tenant.hosts, query.participants, start, end, language, query.interviewId));
}

async function seed(context) {
  const input = await readJson(context.req);
  if (!input?.org || !Array.isArray(input.hosts))
    return json(context, 400, { error: { code: "invalid_body", message: "seed needs an org and hosts" } });
  tenants.set(input.org, {
    hosts: input.hosts,
    failures: input.failures ?? [],
    stallStarts: input.stallStarts ?? [],
    requests: [],
  });
  return json(context, 201, { org: input.org });
}

function answer(hosts, participants, start, end, language, interviewId) {
  const owned = participants.flatMap((participant) =>
    hosts.filter((host) => (host.owners ?? []).includes(participant)),
  );
  const ordered = [...new Set([...owned, ...hosts])];
  const candidates = ordered.map((host) => candidate(host, start, end, interviewId));
  const ownCount = new Set(owned).size;
  const ownPick = candidates.slice(0, ownCount).find((entry) => entry.canHost);
  const sharedPick = candidates
    .slice(ownCount)
    .filter((entry) => entry.canHost)
    .sort((a, b) => a.load / a.limit - b.load / b.limit)[0];
  const picked = ownPick ?? sharedPick;
  const reason = !picked
    ? undefined
    : ownPick
      ? language === "ja"
        ? `参加者の Zoom ユーザー「${picked.displayName}」がこの時間帯に空いているため、主催者に選びました。`
        : `${picked.displayName} is one of the interviewers and is free at this time.`
      : language === "ja"
        ? `参加者の Zoom ユーザーが空いていないため、共有の Zoom ユーザーのうち最も空いている「${picked.displayName}」` +
          `（この時間帯のミーティング${picked.load}件、上限${picked.limit}件）を主催者に選びました。`
        : `No interviewer's own Zoom user is free, so the least busy shared user ${picked.displayName} was picked.`;
  return { candidates, pick: picked ? { zoomUserId: picked.zoomUserId, reason } : null };
}

function candidate(host, start, end, interviewId) {
  const limit = host.limit ?? 1;
  const load = (host.meetings ?? []).filter(
    (meeting) =>
      Date.parse(meeting.start) < end &&
      start < Date.parse(meeting.end) &&
      (meeting.interviewId === undefined || meeting.interviewId !== interviewId),
  ).length;
  const reason =
    host.reason ??
    (host.status === "needs_reauth"
      ? "needs_reauth"
      : host.type === "basic" && end - start > basicUserMinutes * 60_000
        ? "basic_user_time_limit"
        : load >= limit
          ? "busy"
          : undefined);
  return {
    ...(host.extra ?? {}),
    zoomUserId: host.zoomUserId,
    displayName: host.displayName,
    limit,
    load,
    canHost: reason === undefined,
    ...(reason ? { reason } : {}),
  };
}
