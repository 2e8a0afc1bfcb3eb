import type { InterviewStatus } from "@tsunagu/contract";
import type { ProviderId } from "../provider-id.ts";
import type { CandidateNews, LaterTerms, LostFeature } from "../translation.ts";
import type { EnWords } from "./en.ts";

/** The button that grants access on each provider's own consent page. */
const consentButtons = { google: "Continue", microsoft: "Accept", zoom: "Allow", slack: "Allow" } as const;

/** What a personal account must belong to: the organisation's connection, in each provider's words. */
const organizationWords = {
  google: "Google Workspace domain",
  microsoft: "Microsoft 365 organisation",
  zoom: "Zoom account",
  slack: "Slack workspace",
} as const;

const calendarNames = {
  google: "Google Calendar",
  microsoft: "Outlook calendar",
  zoom: "Zoom",
  slack: "Slack",
} as const;

/** The candidate message's first sentence: what happened to their interview. */
const candidateNews: Record<CandidateNews, string> = {
  scheduled: "Your interview is scheduled.",
  rescheduled: "Your interview has been moved to a new time.",
  changed: "The details of your interview have changed.",
};

const interviewStatuses: Record<InterviewStatus, string> = {
  booking: "Scheduling",
  confirmed: "Confirmed",
  updating: "Changing",
  cancelling: "Cancelling",
  cancelled: "Cancelled",
  failed: "Could not be scheduled",
};

/** A name that ends a sentence: "Sakura Recruit Inc." takes no second full stop. */
function endOfSentence(name: string): string {
  return name.endsWith(".") ? name : `${name}.`;
}

/**
 * English for the steps after an element's first screen (`LaterTerms`): a chunk of its own, loaded when a step
 * first needs it (`LocalizeController.loadLaterTerms`). The words it shares with en.ts come from there.
 */
export function enLater({ providerNames, personalAccounts, connectionKinds, count }: EnWords): LaterTerms {
  function lostFeature(feature: LostFeature, provider: ProviderId, scope: "personal" | "organization"): string {
    const whose = scope === "personal" ? "this account's" : "the";
    switch (feature) {
      case "notifications":
        return scope === "personal"
          ? "Interview notifications by Slack direct message stop reaching this account."
          : "Interview notifications by Slack direct message stop for everyone in the organisation.";
      case "sign_in_with_slack":
        return scope === "personal"
          ? "Sign in with Slack stops working for this account."
          : "Sign in with Slack stops working.";
      case "calendar_events":
        return `Interviews are no longer added to ${whose} ${calendarNames[provider]}.`;
      case "free_busy":
        return `Free/busy times from ${whose} ${calendarNames[provider]} are no longer read when scheduling.`;
      case "meeting_urls":
        return scope === "personal"
          ? "Interviews can no longer get a Zoom meeting URL hosted by this Zoom user."
          : "New interviews get no Zoom meeting URL, and Zoom hosts are no longer picked.";
      case "personal_links":
        return (
          `Nobody can link a ${personalAccounts[provider]} until the organisation connects again, and linked ` +
          `accounts need linking again.`
        );
    }
  }

  return {
    linkWaiting: (provider) => `Continue in the ${providerNames[provider]} window that opened…`,
    cancelLinking: (provider, kind) =>
      kind === "organization"
        ? `Cancel connecting the ${connectionKinds[provider]}`
        : `Cancel linking ${providerNames[provider]}`,
    popupBlocked: (provider) =>
      `The popup was blocked, so the ${providerNames[provider]} window could not open. You can continue on this page ` +
      `instead (you will come back here afterwards).`,
    continueOnThisPage: "Continue on this page",
    consentDenied: (provider) =>
      `Access was not allowed at ${providerNames[provider]}, so nothing was linked. Start again and press ` +
      `${consentButtons[provider]} on the ${providerNames[provider]} page.`,
    wrongOrganization: (provider, name) =>
      `The ${organizationWords[provider]} your organisation connected is ${endOfSentence(name)}`,
    adminAccountLinkedNote: (provider, name) =>
      `Your own ${personalAccounts[provider]} ${name} is linked too (under Your accounts).`,
    linkedToast: (provider, name) => `Linked the ${personalAccounts[provider]} ${name}.`,
    connectedToast: (provider, name) => `Connected the ${connectionKinds[provider]} ${endOfSentence(name)}`,
    linkCancelledToast: (provider) => `${providerNames[provider]} was not linked (the window was closed).`,
    unlinkedToast: (provider, name) => `Unlinked the ${personalAccounts[provider]} ${name}.`,
    disconnectedToast: (provider, name, affectedAccounts) =>
      `Disconnected the ${connectionKinds[provider]} ${name}.` +
      `${
        affectedAccounts > 0
          ? ` ${count(affectedAccounts, "account now needs", "accounts now need")} linking again.`
          : ""
      }`,
    defaultChangedToast: (provider, name) => `${name} is now your default ${providerNames[provider]} account.`,
    notRevokedNote: (provider) =>
      provider === "microsoft"
        ? "Microsoft offers no way to revoke the grant, so Tsunagu deleted the tokens it kept; any copy left expires " +
          "on its own."
        : `The grant at ${providerNames[provider]} was not revoked (the organisation connection uses the same grant, ` +
          `or ${providerNames[provider]} did not answer).`,
    unlinkTitle: (provider) => `Unlink this ${personalAccounts[provider]}?`,
    disconnectTitle: (provider) => `Disconnect the ${connectionKinds[provider]}?`,
    unlinkLead: "After unlinking, these stop working:",
    disconnectLead: "After disconnecting, these stop working for the whole organisation:",
    lostFeature,
    defaultMoves: (successor) =>
      successor
        ? `This is your default account; ${successor} becomes the default.`
        : "This is your default account; no usable account is left to become the default.",
    defaultMovedNote: (provider, name) => `${name} is now your default ${providerNames[provider]} account.`,
    microsoftRevocation: "Microsoft's grant is not revoked: Tsunagu deletes the tokens it keeps, and they expire.",
    hostedMeetings: "Upcoming meetings it hosts:",
    untitledMeeting: "(no topic)",
    pickedBusy: (names) =>
      `${names} ${names.includes(" and ") || names.includes(",") ? "are" : "is"} busy at this time.`,
    summaryHeading: "Check the details",
    whenLabel: "When",
    candidateLabel: "Candidate",
    webInterviewNone: "None",
    zoomHostAuto: "Picked automatically",
    back: "Back",
    confirm: "Confirm",
    saveChanges: "Confirm the changes",
    inProgress: (action) =>
      action === "book"
        ? "Scheduling the interview…"
        : action === "update"
          ? "Changing the interview…"
          : "Cancelling the interview…",
    bookFailed: "This did not go through.",
    inputKept: "Everything you entered is still here.",
    resultHeading: (status, outcome) =>
      outcome === "loaded"
        ? "The interview"
        : status === "cancelled"
          ? "Interview cancelled"
          : outcome === "changed"
            ? "Interview changed"
            : "Interview scheduled",
    zoomUrlLabel: "Zoom URL",
    passcodeLabel: "Passcode",
    // "Copy message to the candidate", but a provider's name keeps its capital: "Copy Zoom URL".
    copy: (what) =>
      Object.values(providerNames).some((name) => what.startsWith(name))
        ? `Copy ${what}`
        : `Copy ${what.charAt(0).toLowerCase()}${what.slice(1)}`,
    copied: "Copied.",
    copyFailed: "Could not copy. Select the text and copy it.",
    calendarLink: "Open the calendar event",
    candidateMessageHeading: "Message to the candidate",
    candidateMessageLoading: "Writing the message…",
    candidateMessageFailed: "Could not write the message to the candidate.",
    candidateMessageTemplate: (news, withZoom) =>
      `Dear {{candidate_name}},\n\n${candidateNews[news]}\n\n` +
      "When: {{start}} – {{end}} ({{time_zone}})\nInterviewers: {{interviewers}}\n" +
      (withZoom ? "Join the web interview: {{zoom_url}}\nPasscode: {{zoom_passcode}}\n" : "") +
      "\nWe look forward to speaking with you.\n",
    startMeeting: "Start the meeting",
    startMeetingRefused: "Only someone who linked the host's Zoom user can start this meeting.",
    startMeetingNeedsReauth:
      "Your link to the host's Zoom user needs linking again. Link it again in the integration settings, " +
      "then start the meeting.",
    editInterview: "Change time or people",
    cancelInterview: "Cancel the interview",
    cancelTitle: "Cancel this interview?",
    cancelLead: "The Zoom meeting and the calendar event are deleted. This cannot be undone.",
    cancelConfirm: "Cancel the interview",
    keepInterview: "Keep it",
    interviewStatus: (status) => interviewStatuses[status],
  };
}
