/**
 * `GET /v1/zoom/hosts` as the element reads it (the contract's
 * `ZoomHostsAnswer`, a fixed name of ARCHITECTURE.md), and the check that
 * turns an unexpected answer into a typed error instead of a broken render.
 * Fields a newer server adds pass through untouched; a reason this version
 * does not know stays as it came, and the element words it generically.
 */
import {
  type ZoomHostCandidate,
  type ZoomHostPick,
  type ZoomHostReason,
  type ZoomHostsAnswer,
  zoomHostReasons,
} from "@tsunagu/contract";
import { clientErrorCodes, isRecord, TsunaguApiError } from "../shared/api-error.ts";

export type { ZoomHostCandidate, ZoomHostPick, ZoomHostsAnswer };

export interface ZoomHostsQuery {
  /** ISO 8601 instants; the range is half-open. */
  start: string;
  end: string;
  /** Portal user ids of the interview's participants, whose own Zoom users come first. */
  participants: readonly string[];
  /** The interview being changed: its own meeting and hold do not count against its host. */
  interviewId?: string;
}

export function zoomHostsPath(query: ZoomHostsQuery): string {
  const search = new URLSearchParams({
    start: query.start,
    end: query.end,
    participants: query.participants.join(","),
    ...(query.interviewId ? { interviewId: query.interviewId } : {}),
  });
  return `/v1/zoom/hosts?${search}`;
}

/** A reason this version has words for, or undefined for a newer server's. */
export function knownReason(reason: string | undefined): ZoomHostReason | undefined {
  return zoomHostReasons.find((known) => known === reason);
}

/**
 * Checks the shape the element relies on. A candidate without an id is left
 * out; a pick that names no listed candidate is dropped (nothing to select).
 */
export function readZoomHostsAnswer(body: unknown): ZoomHostsAnswer {
  if (!isRecord(body) || !Array.isArray(body.candidates) || !("pick" in body)) {
    throw new TsunaguApiError(
      200,
      clientErrorCodes.invalidResponse,
      "GET /v1/zoom/hosts answered without candidates and pick.",
    );
  }
  const seen = new Set<string>();
  const candidates = body.candidates.filter(isRecord).flatMap((row): ZoomHostCandidate[] => {
    if (typeof row.zoomUserId !== "string" || row.zoomUserId === "" || seen.has(row.zoomUserId)) return [];
    seen.add(row.zoomUserId);
    const reason = typeof row.reason === "string" && row.reason !== "" ? row.reason : undefined;
    return [
      {
        ...(row as unknown as ZoomHostCandidate),
        displayName: typeof row.displayName === "string" && row.displayName !== "" ? row.displayName : row.zoomUserId,
        limit: count(row.limit),
        load: count(row.load),
        // Whatever else it says, a candidate with a reason cannot host.
        canHost: row.canHost === true && reason === undefined,
        ...(reason ? { reason } : {}),
      },
    ];
  });
  const pick =
    isRecord(body.pick) && typeof body.pick.zoomUserId === "string" && seen.has(body.pick.zoomUserId)
      ? body.pick
      : null;
  return {
    candidates,
    pick: pick
      ? { zoomUserId: pick.zoomUserId as string, reason: typeof pick.reason === "string" ? pick.reason : "" }
      : null,
  };
}

function count(value: unknown): number {
  return typeof value === "number" && Number.isFinite(value) && value >= 0 ? Math.floor(value) : 0;
}
