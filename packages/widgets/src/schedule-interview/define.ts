/**
 * Registers `<schedule-interview>` (and the `<zoom-host-picker>` it holds).
 * Import this module (not the class) to use the element:
 * `import "@tsunagu/widgets/schedule-interview"`.
 */
import "../zoom-host-picker/define.ts";
import { ScheduleInterview } from "./schedule-interview.ts";

if (!customElements.get("schedule-interview")) customElements.define("schedule-interview", ScheduleInterview);

declare global {
  interface HTMLElementTagNameMap {
    "schedule-interview": ScheduleInterview;
  }
}
