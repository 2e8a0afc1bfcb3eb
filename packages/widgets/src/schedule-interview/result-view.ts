/**
 * What `<schedule-interview>` shows once the server has answered: the
 * interview's state, the Zoom URL and the calendar link, the message to the
 * candidate rendered by the server's template route, each with a copy
 * button, and the actions the interview still allows.
 */
import { html, nothing, type TemplateResult } from "lit";
import type { InterviewView } from "@tsunagu/contract";
import { renderButton } from "../shared/button.ts";
import { type BadgeTone, renderBadge } from "../shared/card.ts";
import { below, type HeadingLevel, heading } from "../shared/heading.ts";
import type { LocalizeController } from "../shared/localize-controller.ts";
import { TsunaguApiError } from "../shared/api-error.ts";
import type { RenderedMessage } from "./interviews-api.ts";

export interface ResultView {
  localize: LocalizeController;
  /** The result's heading level; the message's is one below. */
  level: HeadingLevel;
  interview: InterviewView;
  /** What led here: a booking, a change (or cancellation), or opening an existing interview. */
  outcome: "booked" | "changed" | "loaded";
  /** The message, its failure, or undefined while it is written. */
  message: RenderedMessage | { error: string } | undefined;
  /** The server refused the start URL to this caller (403): the action goes. */
  startRefused: boolean;
  starting: boolean;
  when: string;
  copy: (text: string) => void;
  start: () => void;
  edit: () => void;
  cancel: (trigger: HTMLElement) => void;
}

export function renderResult(view: ResultView): TemplateResult {
  const { localize, interview } = view;
  // Cancelled, or failed to book: nothing exists to join, start, change or cancel.
  const cancelled = interview.status === "cancelled" || interview.status === "failed";
  const zoom = interview.zoom;
  const joinUrl = zoom?.joinUrl ?? interview.joinUrl;
  const status = localize.term("interviewStatus", interview.status);
  const resultTitle = localize.term("resultHeading", interview.status, view.outcome);
  const passcodeLabel = localize.term("labelOf", localize.term("passcodeLabel"));
  const passcode = zoom?.passcode
    ? html`<p>${passcodeLabel}<span part="passcode">${zoom.passcode}</span></p>`
    : nothing;
  return html`<section part="result" class="result" aria-labelledby="result-heading">
    ${heading(view.level, "result-heading", resultTitle, "section-heading")}
    <p>
      ${renderBadge(status, badgeTones[interview.status], "interview-status")}
      <span part="result-when">${view.when}</span>
    </p>
    ${
      interview.failure
        ? html`<p part="error" class="error" role="alert">${localize.errorMessage(failureError(interview.failure))}</p>`
        : nothing
    }
    ${
      joinUrl && !cancelled
        ? html`<div class="copy-row">
            <span class="label" id="zoom-url-label">${localize.term("zoomUrlLabel")}</span>
            <a part="zoom-url" href=${joinUrl} target="_blank" rel="noopener">${joinUrl}</a>
            ${renderButton({
              label: localize.term("copy", localize.term("zoomUrlLabel")),
              data: { "copy-url": true },
              onClick: () => view.copy(joinUrl),
            })}
          </div>
          ${passcode}`
        : nothing
    }
    ${
      interview.event?.webLink && !cancelled
        ? html`<p><a part="calendar-link" href=${interview.event.webLink} target="_blank" rel="noopener"
            >${localize.term("calendarLink")}</a></p>`
        : nothing
    }
    ${cancelled ? nothing : renderMessage(view)}
    <div class="actions">
      ${
        zoom && !cancelled && !view.startRefused
          ? renderButton({
              label: localize.term("startMeeting"),
              tone: "primary",
              waiting: view.starting,
              data: { "start-meeting": true },
              onClick: () => view.start(),
            })
          : nothing
      }
      ${
        cancelled
          ? nothing
          : renderButton({ label: localize.term("editInterview"), data: { edit: true }, onClick: view.edit })
      }
      ${
        cancelled
          ? nothing
          : renderButton({
              label: localize.term("cancelInterview"),
              tone: "danger",
              data: { "cancel-interview": true },
              onClick: (trigger) => view.cancel(trigger),
            })
      }
    </div>
    ${
      // A live region from the start (one that arrives with its words is not heard), for why Start went.
      zoom && !cancelled
        ? html`<p part="notice" role="status" class=${view.startRefused ? "muted" : "visually-hidden"}>${
            view.startRefused ? localize.term("startMeetingRefused") : ""
          }</p>`
        : nothing
    }
  </section>`;
}

function renderMessage(view: ResultView): TemplateResult {
  const { localize, message } = view;
  const title = heading(
    below(view.level),
    "message-heading",
    localize.term("candidateMessageHeading"),
    "section-heading",
  );
  if (!message) return html`${title}<p part="loading" role="status">${localize.term("candidateMessageLoading")}</p>`;
  if ("error" in message)
    return html`${title}<p part="error" class="error" role="alert">
      ${localize.term("sentences", [localize.term("candidateMessageFailed"), message.error])}
    </p>`;
  const text = message.subject ? `${message.subject}\n\n${message.body}` : message.body;
  return html`${title}
    <pre part="candidate-message" class="message" aria-labelledby="message-heading" tabindex="0">${text}</pre>
    <div class="actions">
      ${renderButton({
        label: localize.term("copy", localize.term("candidateMessageHeading")),
        data: { "copy-message": true },
        onClick: () => view.copy(text),
      })}
    </div>`;
}

const badgeTones: Record<InterviewView["status"], BadgeTone> = {
  booking: "muted",
  confirmed: "success",
  updating: "muted",
  cancelling: "muted",
  cancelled: "muted",
  failed: "danger",
};

/** Why booking failed (or the last change could not be made), as an error the tables word by its code. */
function failureError(failure: { code: string; message: string }): TsunaguApiError {
  return new TsunaguApiError(0, failure.code, failure.message);
}
