import type { InterviewView } from "@tsunagu/contract";

export interface TsunaguInterviewUpdatedDetail {
  /** The interview as the server answered it. */
  interview: InterviewView;
  /** The interview as it was before the change. */
  before: InterviewView;
}

/**
 * An interview was rescheduled, or its participants or Zoom host changed, by `<schedule-interview>`.
 */
export class TsunaguInterviewUpdatedEvent extends CustomEvent<TsunaguInterviewUpdatedDetail> {
  constructor(detail: TsunaguInterviewUpdatedDetail) {
    super("tsunagu-interview-updated", { bubbles: true, composed: true, cancelable: false, detail });
  }
}

declare global {
  interface HTMLElementEventMap {
    "tsunagu-interview-updated": TsunaguInterviewUpdatedEvent;
  }
}
