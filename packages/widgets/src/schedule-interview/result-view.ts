/**
 * What `<schedule-interview>` shows once the server has answered: the
 * interview's state, the Zoom URL and the calendar link, the message to the
 * candidate rendered by the server's template route, each with a copy
 * button, and the actions the interview still allows.
 */
import { html, nothing, type TemplateResult } from "lit";
import type { InterviewView } from "@tsunagu/contract";
import { renderButton } from "../shared/button.ts";
import { renderBadge } from "../shared/card.ts";
import type { LocalizeController } from "../shared/localize-controller.ts";
import type { RenderedMessage } from "./interviews-api.ts";

export interface ResultView {
  localize: LocalizeController;
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
  const cancelled = interview.status === "cancelled";
  const zoom = interview.zoom;
  const joinUrl = zoom?.joinUrl ?? interview.joinUrl;
  return html`<section part="result" class="result" aria-labelledby="result-heading">
    <h3 id="result-heading" tabindex="-1">${localize.term("resultHeading", interview.status, view.outcome)}</h3>
    <p>
      ${renderBadge(localize.term("interviewStatus", interview.status), cancelled ? "muted" : "success", "interview-status")}
      <span part="result-when">${view.when}</span>
    </p>
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
          ${zoom?.passcode ? html`<p>${localize.term("passcodeLabel")}: <span part="passcode">${zoom.passcode}</span></p>` : nothing}`
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
      ${cancelled ? nothing : renderButton({ label: localize.term("editInterview"), data: { edit: true }, onClick: view.edit })}
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
    ${view.startRefused && zoom ? html`<p part="notice" class="muted">${localize.term("startMeetingRefused")}</p>` : nothing}
  </section>`;
}

function renderMessage(view: ResultView): TemplateResult {
  const { localize, message } = view;
  const heading = html`<h4 id="message-heading">${localize.term("candidateMessageHeading")}</h4>`;
  if (!message) return html`${heading}<p part="loading" role="status">${localize.term("candidateMessageLoading")}</p>`;
  if ("error" in message)
    return html`${heading}<p part="error" class="error" role="alert">${localize.term("candidateMessageFailed")} ${message.error}</p>`;
  const text = message.subject ? `${message.subject}\n\n${message.body}` : message.body;
  return html`${heading}
    <pre part="candidate-message" class="message" aria-labelledby="message-heading" tabindex="0">${text}</pre>
    ${renderButton({
      label: localize.term("copy", localize.term("candidateMessageHeading")),
      data: { "copy-message": true },
      onClick: () => view.copy(text),
    })}`;
}
