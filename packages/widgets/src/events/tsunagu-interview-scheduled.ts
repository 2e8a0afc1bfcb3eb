import type { InterviewView } from "@tsunagu/contract";

export interface TsunaguInterviewScheduledDetail {
  /** The interview as the server answered it. */
  interview: InterviewView;
}

/**
 * An interview was booked by `<schedule-interview>`: the meeting, the calendar event and the record all exist.
 */
export class TsunaguInterviewScheduledEvent extends CustomEvent<TsunaguInterviewScheduledDetail> {
  constructor(detail: TsunaguInterviewScheduledDetail) {
    super("tsunagu-interview-scheduled", { bubbles: true, composed: true, cancelable: false, detail });
  }
}

declare global {
  interface HTMLElementEventMap {
    "tsunagu-interview-scheduled": TsunaguInterviewScheduledEvent;
  }
}
