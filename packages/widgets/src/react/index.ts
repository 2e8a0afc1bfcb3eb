/**
 * React components for the elements (`@tsunagu/widgets/react`), made with
 * Lit's own `@lit/react`: properties are set as properties (so `server`,
 * `tokenProvider`, `participants` and `start` reach the element as values,
 * not strings), and each event has a typed prop (`onTsunaguLinked` receives a
 * `TsunaguLinkedEvent`). Importing this module registers the elements.
 *
 *   import { IntegrationAccounts } from "@tsunagu/widgets/react";
 *   <IntegrationAccounts server={url} tokenProvider={fetchToken} onTsunaguLinked={(event) => …} />
 */
import { createComponent, type EventName } from "@lit/react";
import * as React from "react";
import type { TsunaguErrorEvent } from "../events/tsunagu-error.ts";
import type { TsunaguInterviewCancelledEvent } from "../events/tsunagu-interview-cancelled.ts";
import type { TsunaguInterviewScheduledEvent } from "../events/tsunagu-interview-scheduled.ts";
import type { TsunaguInterviewUpdatedEvent } from "../events/tsunagu-interview-updated.ts";
import type { TsunaguLinkedEvent } from "../events/tsunagu-linked.ts";
import type { TsunaguTokenExpiredEvent } from "../events/tsunagu-token-expired.ts";
import type { TsunaguUnlinkRequestEvent } from "../events/tsunagu-unlink-request.ts";
import type { TsunaguUnlinkedEvent } from "../events/tsunagu-unlinked.ts";
import type { TsunaguZoomHostChangedEvent } from "../events/tsunagu-zoom-host-changed.ts";
import "../integration-accounts/define.ts";
import { IntegrationAccounts as IntegrationAccountsElement } from "../integration-accounts/integration-accounts.ts";
import "../schedule-interview/define.ts";
import { ScheduleInterview as ScheduleInterviewElement } from "../schedule-interview/schedule-interview.ts";
import "../zoom-host-picker/define.ts";
import { ZoomHostPicker as ZoomHostPickerElement } from "../zoom-host-picker/zoom-host-picker.ts";

/** The events every element fires. */
const commonEvents = {
  onTsunaguError: "tsunagu-error" as EventName<TsunaguErrorEvent>,
  onTsunaguTokenExpired: "tsunagu-token-expired" as EventName<TsunaguTokenExpiredEvent>,
};

/** `<integration-accounts>`: connect, link, relink and unlink provider accounts. */
export const IntegrationAccounts = createComponent({
  tagName: "integration-accounts",
  elementClass: IntegrationAccountsElement,
  react: React,
  events: {
    ...commonEvents,
    onTsunaguLinked: "tsunagu-linked" as EventName<TsunaguLinkedEvent>,
    onTsunaguUnlinked: "tsunagu-unlinked" as EventName<TsunaguUnlinkedEvent>,
    onTsunaguUnlinkRequest: "tsunagu-unlink-request" as EventName<TsunaguUnlinkRequestEvent>,
  },
  displayName: "IntegrationAccounts",
});

/** `<zoom-host-picker>`: the Zoom user who hosts a web interview. */
export const ZoomHostPicker = createComponent({
  tagName: "zoom-host-picker",
  elementClass: ZoomHostPickerElement,
  react: React,
  events: {
    ...commonEvents,
    onTsunaguZoomHostChanged: "tsunagu-zoom-host-changed" as EventName<TsunaguZoomHostChangedEvent>,
    onChange: "change" as EventName<Event>,
  },
  displayName: "ZoomHostPicker",
});

/** `<schedule-interview>`: the interviewers' free times, a Zoom host, booking, rescheduling and cancelling. */
export const ScheduleInterview = createComponent({
  tagName: "schedule-interview",
  elementClass: ScheduleInterviewElement,
  react: React,
  events: {
    ...commonEvents,
    onTsunaguInterviewScheduled: "tsunagu-interview-scheduled" as EventName<TsunaguInterviewScheduledEvent>,
    onTsunaguInterviewUpdated: "tsunagu-interview-updated" as EventName<TsunaguInterviewUpdatedEvent>,
    onTsunaguInterviewCancelled: "tsunagu-interview-cancelled" as EventName<TsunaguInterviewCancelledEvent>,
  },
  displayName: "ScheduleInterview",
});
