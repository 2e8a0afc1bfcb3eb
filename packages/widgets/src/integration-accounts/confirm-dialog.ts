/**
 * The confirmation before unlinking an account or disconnecting the
 * organisation, in the shared modal dialog (`src/shared/dialog.ts`: focus
 * moves in and stays there, Escape cancels except while the server works),
 * titled and described for screen readers, that says what stops working.
 * Cancel has the initial focus: the destructive choice is never one stray
 * Enter away.
 */
import { html, nothing, type TemplateResult } from "lit";
import { TsunaguApiError } from "../shared/api-error.ts";
import { renderButton } from "../shared/button.ts";
import type { DialogController } from "../shared/dialog.ts";
import type { LocalizeController } from "../shared/localize-controller.ts";
import { isRecord } from "../shared/is-record.ts";
import type { UnlinkTarget } from "./cards.ts";
import { accountImpact, connectionImpact } from "./impact.ts";

export interface Confirmation {
  target: UnlinkTarget;
  /** Other accounts of the same provider that stay linked. */
  otherAccounts: number;
  /** The account that becomes the default when this default one goes (the server's choice: the oldest active one). */
  successor?: string | undefined;
  busy: boolean;
  error?: unknown;
}

export interface DialogContext {
  localize: LocalizeController;
  dialog: DialogController;
  confirmation: Confirmation | undefined;
  confirm(): void;
  cancel(): void;
}

export function renderConfirmDialog(context: DialogContext): TemplateResult {
  const { confirmation, localize } = context;
  return context.dialog.render({
    lang: localize.language,
    labelledBy: "confirm-title",
    describedBy: "confirm-body",
    busy: confirmation?.busy === true,
    content: confirmation ? dialogContent(localize, confirmation, context) : nothing,
  });
}

function dialogContent(
  localize: LocalizeController,
  confirmation: Confirmation,
  context: DialogContext,
): TemplateResult {
  const { target } = confirmation;
  const personal = target.kind === "personal";
  const provider = target.provider;
  const features = personal ? accountImpact[provider] : connectionImpact[provider];
  const subject = personal
    ? `${target.account.displayName}` +
      `${
        target.account.email && target.account.email !== target.account.displayName ? ` (${target.account.email})` : ""
      }`
    : target.connection.displayName;
  const action = personal ? localize.term("unlink") : localize.term("disconnect");
  return html`
    <h2 id="confirm-title"
      part="dialog-title">${
        personal ? localize.term("unlinkTitle", provider) : localize.term("disconnectTitle", provider)
      }</h2>
    <div id="confirm-body" class="dialog-body">
      <p class="subject">${localize.term(
        "labelOf",
        localize.term(personal ? "providerName" : "connectionKind", provider),
      )}<strong>${subject}</strong></p>
      <p>${personal ? localize.term("unlinkLead") : localize.term("disconnectLead")}</p>
      <ul class="impact" part="impact">
        ${features.map(
          (feature) =>
            html`<li>${localize.term("lostFeature", feature, provider, personal ? "personal" : "organization")}</li>`,
        )}
      </ul>
      ${
        personal && target.account.isDefault && confirmation.otherAccounts > 0
          ? html`<p data-default-moves>${localize.term("defaultMoves", confirmation.successor)}</p>`
          : nothing
      }
      ${provider === "microsoft" ? html`<p class="muted">${localize.term("microsoftRevocation")}</p>` : nothing}
    </div>
    ${confirmation.error !== undefined ? failure(localize, confirmation.error) : nothing}
    <div class="dialog-actions">
      ${renderButton({
        label: localize.term("cancel"),
        waiting: confirmation.busy,
        autofocus: true,
        data: { "dialog-cancel": true },
        onClick: () => context.cancel(),
      })}
      ${renderButton({
        label: confirmation.busy ? localize.term("working") : action,
        tone: "danger-solid",
        waiting: confirmation.busy,
        data: { "dialog-confirm": true },
        onClick: () => context.confirm(),
      })}
    </div>
  `;
}

/** The refusal, and the meetings in the way when Zoom says the user still hosts some. */
function failure(localize: LocalizeController, error: unknown): TemplateResult {
  const meetings = hostedMeetings(error);
  return html`<div class="error" part="error" role="alert">
    <p>${localize.errorMessage(error)}</p>
    ${
      meetings.length > 0
        ? html`<p>${localize.term("hostedMeetings")}</p>
          <ul part="meetings">
            ${meetings.map(
              (meeting) =>
                html`<li>
                  ${localize.moment(meeting.start, { withYear: true })}
                  ${meeting.topic || localize.term("untitledMeeting")}
                </li>`,
            )}
          </ul>`
        : nothing
    }
  </div>`;
}

/** `details.meetings` of a `zoom_user_hosts_meetings` refusal: `[{id, topic, start}]`. */
function hostedMeetings(error: unknown): Array<{ topic: string | null; start: string }> {
  if (
    !(error instanceof TsunaguApiError) ||
    error.code !== "zoom_user_hosts_meetings" ||
    !isRecord(error.details) ||
    !Array.isArray(error.details.meetings)
  )
    return [];
  return error.details.meetings
    .filter(isRecord)
    .filter((meeting) => typeof meeting.start === "string" && !Number.isNaN(Date.parse(meeting.start)))
    .map((meeting) => ({
      topic: typeof meeting.topic === "string" ? meeting.topic : null,
      start: meeting.start as string,
    }));
}
