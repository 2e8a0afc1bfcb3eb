import type { InterviewView } from "@tsunagu/contract";

export interface TsunaguInterviewCancelledDetail {
  /** The interview as the server answered it. */
  interview: InterviewView;
}

/**
 * An interview was cancelled by `<schedule-interview>`: its meeting and calendar event were removed.
 */
export class TsunaguInterviewCancelledEvent extends CustomEvent<TsunaguInterviewCancelledDetail> {
  constructor(detail: TsunaguInterviewCancelledDetail) {
    super("tsunagu-interview-cancelled", { bubbles: true, composed: true, cancelable: false, detail });
  }
}

declare global {
  interface HTMLElementEventMap {
    "tsunagu-interview-cancelled": TsunaguInterviewCancelledEvent;
  }
}
