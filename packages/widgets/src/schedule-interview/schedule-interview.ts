import type { AccountView, AvailabilityAnswer, AvailabilityQuestion } from "@tsunagu/contract";
import { html, LitElement, nothing, type PropertyValues, type TemplateResult } from "lit";
import { TsunaguErrorEvent } from "../events/tsunagu-error.ts";
import { TsunaguInterviewCancelledEvent } from "../events/tsunagu-interview-cancelled.ts";
import { TsunaguInterviewScheduledEvent } from "../events/tsunagu-interview-scheduled.ts";
import { TsunaguInterviewUpdatedEvent } from "../events/tsunagu-interview-updated.ts";
import type { TsunaguZoomHostChangedEvent } from "../events/tsunagu-zoom-host-changed.ts";
import { ApiClientController } from "../shared/api-client-controller.ts";
import { asApiError, clientErrorCodes, isAbortError, TsunaguApiError } from "../shared/api-error.ts";
import { buttonStyles, renderButton } from "../shared/button.ts";
import { cardStyles } from "../shared/card.ts";
import { DialogController, dialogStyles } from "../shared/dialog.ts";
import { below, type HeadingLevel, heading, headingLevel } from "../shared/heading.ts";
import { type HostTokenProvider, HostTokenController } from "../shared/host-token-controller.ts";
import { LocalizeController } from "../shared/localize-controller.ts";
import { refocus } from "../shared/refocus.ts";
import { QueryController } from "../shared/query-controller.ts";
import { themeStyles } from "../shared/theme.ts";
import type { CandidateNews } from "../shared/translation.ts";
import { ToastController } from "../shared/toast-controller.ts";
import { renderToastStack, toastStyles } from "../shared/toast-stack.ts";
import { accountName, type ControlField, renderCalendarAccount, renderControls } from "./controls-view.ts";
import { type GridPosition, gridKey } from "./grid-keys.ts";
import {
  accountsPath,
  availabilityPath,
  type BookingBody,
  type CandidateInput,
  type ChangeBody,
  calendarAccounts,
  type Interviewer,
  type InterviewView,
  interviewPath,
  interviewsPath,
  readAvailability,
  readInterview,
  readRendered,
  readStartUrl,
  type RenderedMessage,
  renderPath,
  startUrlPath,
} from "./interviews-api.ts";
import { renderResult } from "./result-view.ts";
import { scheduleInterviewStyles } from "./styles.ts";
import {
  addDays,
  buildWeek,
  dateIn,
  daysBetween,
  instantAt,
  busyScope,
  minutesOf,
  type WeekCell,
  type WeekModel,
} from "./week.ts";
import { renderSlots } from "./slots-view.ts";
import { renderSummary } from "./summary-view.ts";
import { renderPeople } from "./week-grid.ts";

type View = "form" | "summary" | "result";
type Action = "book" | "update" | "cancel";

const allDays = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"] as const;
/** The server answers at most this many days at once (routes/availability.ts). */
const maxRangeDays = 62;
const queryInputs = ["interviewers", "duration", "rangeStart", "rangeEnd", "hoursStart", "hoursEnd", "server"] as const;

/**
 * Whether a booking's failure leaves it open whether the server booked: no answer (status 0), an answer that could not
 * be read, a 5xx (a database lost mid-way: the server settles the booking later), or the first request with the key
 * still running. Then a retry must send the same key, so that the server books at most once.
 */
function outcomeOpen(error: unknown): boolean {
  const { status, code } = asApiError(error);
  return status === 0 || status >= 500 || code === "idempotency_in_flight";
}

/**
 * @summary Schedules a web interview: the interviewers' common free times in
 * a week view, a slot chosen by mouse or keyboard, the organiser's calendar,
 * a Zoom host, a confirmation, then the Zoom URL, the calendar link and the
 * message for the candidate. Given `interview-id`, it reschedules, changes
 * the participants or the host of, or cancels that interview instead.
 *
 * The portal gives the interviewers (`interviewers`, ids and names) and the
 * candidate (`candidate`); the person sets the length, the days and the
 * hours. Free times come from `POST /v1/availability` in the viewer's time
 * zone; each interviewer's busy blocks show beside them, and an interviewer
 * whose calendar could not be read, or who has none, is flagged by name. Any
 * time in the range can be chosen: one nobody is free at, or on a day off, is
 * flagged in the summary. Booking sends one `Idempotency-Key` per confirmed
 * attempt and the same key again on a retry when the failure left the outcome
 * open (no answer, a 5xx, still in flight), a new one after a refusal; a
 * failure keeps every input and says what to do.
 *
 * Keyboard: the week is a grid with one Tab stop; arrow keys move by a day or
 * a time, Home and End to the row's ends, Ctrl+Home and Ctrl+End to the
 * grid's; Enter or Space chooses the time.
 *
 * @event tsunagu-interview-scheduled - An interview was booked: `detail: {interview}`.
 * @event tsunagu-interview-updated - It was rescheduled or its people or host changed: `detail: {interview, before}`.
 * @event tsunagu-interview-cancelled - It was cancelled: `detail: {interview}`.
 * @event tsunagu-error - A request failed; the element shows the failure itself. `detail: {error}`.
 * @event tsunagu-token-expired - The server refused the host token and no `tokenProvider` could replace it.
 *
 * Parts marked (shared) mean the same in every Tsunagu element.
 *
 * @csspart base - The wrapper of everything the element renders.
 * @csspart heading - The element's heading (at `heading-level`).
 * @csspart section-heading - The headings one level below: interviewers, free times, summary, result, message.
 * @csspart controls - The length, days and hours controls.
 * @csspart zone - The note naming the viewer's time zone.
 * @csspart people - The interviewers' list, `person` each, with `calendar-unreadable` for a calendar not read.
 * @csspart week - The week grid; `day` a column header, `time` a row header.
 * @csspart slot - A cell of the grid; also `free` (everyone is free) or `taken`, `selected` when chosen, `on-day-off`.
 * @csspart busy-block - Who is busy at a cell's time.
 * @csspart unconfirmed - Whose calendars could not confirm a free time.
 * @csspart week-nav - The previous and next week buttons.
 * @csspart summary - The confirmation summary; `warning` each flag on the chosen time.
 * @csspart progress - The line saying what the element is doing.
 * @csspart result - The result view; `zoom-url`, `passcode`, `calendar-link`, `candidate-message`, `result-when`.
 * @csspart badge - (shared) Every badge; also `day-off`, `person-ok`, `person-unconfirmed`, `person-no_calendar`,
 * `interview-status`.
 * @csspart notice - (shared) What to do first.
 * @csspart error - (shared) A failure and what to do.
 * @csspart button - (shared) Every button; `primary-button` the main action, `danger-button` cancelling.
 * @csspart loading - (shared) A loading message.
 * @csspart dialog - (shared) The cancel confirmation.
 * @csspart toasts - (shared) The toast stack; `toast` each.
 *
 * @cssproperty --tsunagu-color-accent - (shared) The chosen time, primary buttons and focus; the other `--tsunagu-*`
 * theme properties (src/shared/theme.ts) are shared too.
 * @cssproperty --tsunagu-color-success - (shared) Free times.
 * @cssproperty --tsunagu-color-warning - (shared) Flags: unconfirmed calendars, days off, busy people.
 * @cssproperty --tsunagu-dialog-width - (shared) The cancel dialog's width.
 */
export class ScheduleInterview extends LitElement {
  static override styles = [themeStyles, buttonStyles, cardStyles, dialogStyles, toastStyles, scheduleInterviewStyles];
  static override properties = {
    server: {},
    token: {},
    tokenProvider: { attribute: false },
    locale: {},
    timeZone: { attribute: "time-zone" },
    interviewers: { attribute: false },
    candidate: { attribute: false },
    interviewId: { attribute: "interview-id" },
    meetingTitle: { attribute: "meeting-title" },
    duration: { type: Number },
    rangeStart: { attribute: "range-start" },
    rangeEnd: { attribute: "range-end" },
    hoursStart: { attribute: "hours-start" },
    hoursEnd: { attribute: "hours-end" },
    webInterview: { type: Boolean, attribute: "web-interview" },
    templateKey: { attribute: "template-key" },
    headingLevel: { attribute: "heading-level", type: Number },
    debounce: { type: Number },
    view: { attribute: false },
    weekStart: { attribute: false },
    focusCell: { attribute: false },
    chosen: { attribute: false },
    titleText: { attribute: false },
    candidateName: { attribute: false },
    candidateEmail: { attribute: false },
    accounts: { attribute: false },
    accountsError: { attribute: false },
    calendarAccountId: { attribute: false },
    zoomHost: { attribute: false },
    action: { attribute: false },
    actionError: { attribute: false },
    interview: { attribute: false },
    interviewError: { attribute: false },
    outcome: { attribute: false },
    message: { attribute: false },
    startRefused: { attribute: false },
    starting: { attribute: false },
    remindChoose: { attribute: false },
  };

  /** Base URL of the Tsunagu server. */
  server: string | null = null;
  /** A host token the page renews itself… */
  token: string | null = null;
  /** …or a callback the element calls for a fresh one (preferred). */
  tokenProvider: HostTokenProvider | null = null;
  /** `ja` or `en`; otherwise the element's `lang`, the token's `locale`, then the document's `lang`. */
  locale: string | null = null;
  /** The viewer's IANA zone; otherwise the token's `tz`, then the browser's. Every time is shown in it. */
  timeZone: string | null = null;
  /**
   * The interviewers: portal user ids and the names to show, which the candidate's message uses too (the interview's
   * own names, from the host tokens, only for anyone not given).
   */
  interviewers: Interviewer[] = [];
  /** The candidate: name, email, and the zone and language of their message. */
  candidate: CandidateInput | null = null;
  /** An existing interview's id: the element changes or cancels it instead of booking a new one. */
  interviewId: string | null = null;
  /** The interview's title; default "面接：<candidate>様" / "Interview: <candidate>". */
  meetingTitle: string | null = null;
  /** Length in minutes. Default 60. */
  duration = 60;
  /** First day to look at, YYYY-MM-DD on the viewer's clock. Default today. */
  rangeStart: string | null = null;
  /** Last day to look at. Default six days after the first. */
  rangeEnd: string | null = null;
  /** Earliest start, "HH:MM". Default 09:00. */
  hoursStart = "09:00";
  /** Latest end, "HH:MM". Default 18:00. */
  hoursEnd = "18:00";
  /** Start with the web interview (Zoom) on. */
  webInterview = false;
  /** The organisation's message template for the candidate (`/v1/templates/:key`); default the element's own. */
  templateKey: string | null = null;
  /** The level of the element's heading (2–6; default 2), its sections' one below: where it sits in the page. */
  headingLevel = 2;
  /** Milliseconds the controls must stay unchanged before the element asks for free times. Default 300. */
  debounce = 300;

  private view: View = "form";
  private weekStart = "";
  private focusCell: GridPosition = { row: 0, column: 0 };
  private chosen: { start: string; end: string } | undefined;
  private titleText = "";
  private candidateName = "";
  private candidateEmail = "";
  private accounts: AccountView[] | undefined;
  /** Why the calendars could not be loaded (not the same as having none). */
  private accountsError: unknown;
  private calendarAccountId = "";
  private zoomHost: { zoomUserId: string; displayName: string | null } | undefined;
  private action: Action | undefined;
  private actionError: unknown;
  private interview: InterviewView | undefined;
  private interviewError: unknown;
  private outcome: "booked" | "changed" | "loaded" = "booked";
  private message: RenderedMessage | { error: string } | undefined;
  private startRefused = false;
  private starting = false;
  private remindChoose = false;

  readonly #hostToken = new HostTokenController(this);
  readonly #api = new ApiClientController(this, this.#hostToken);
  readonly #localize = new LocalizeController(this, { claims: () => this.#hostToken.claims });
  readonly #toasts = new ToastController(this);
  readonly #cancelDialog = new DialogController(this);
  /** The free times for the inputs; a failure keeps the last answer, which still flags the chosen time. */
  readonly #freeTimes = new QueryController<AvailabilityQuestion, AvailabilityAnswer>(this, {
    question: () => this.#question(),
    ask: async (question, signal) => {
      this.#askedBusy = question.peopleBusy;
      this.#askedFor = question.interviewId;
      return readAvailability(await this.#api.post<unknown>(availabilityPath, question, { signal }));
    },
    debounce: () => Number(this.debounce),
    keepOnFailure: true,
    failed: (error) => this.#report(error),
  });
  /** The key of the attempt being confirmed, with the body it was made for: a retry of that body reuses it. */
  #attempt: { key: string; body: string } | undefined;
  #edited = { title: false, name: false, email: false };
  /** The busy time the free times were last asked with (`peopleBusy`). */
  #askedBusy: AvailabilityQuestion["peopleBusy"];
  /** The interview being changed the free times were last asked for (`interviewId`). */
  #askedFor: string | undefined;
  /** The zone the free times were last asked in. */
  #zone: string | undefined;
  /** Counts the credentials the page set (`server`, `token`, `tokenProvider`)… */
  #tokens = 0;
  /** …as the last action began: a token the page renewed since then answers that action's refusal of the old one. */
  #actionTokens = 0;

  /** The interview this element booked, changed or loaded, as the server last answered it. */
  get currentInterview(): InterviewView | undefined {
    return this.interview;
  }

  // ── Loading ────────────────────────────────────────────────────────────

  protected override async scheduleUpdate(): Promise<void> {
    await this.#localize.ready();
    super.scheduleUpdate();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.hasUpdated) this.#freeTimes.schedule();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    const credentials =
      !this.hasUpdated || changed.has("server") || changed.has("token") || changed.has("tokenProvider");
    if (credentials && !this.accounts) void this.#loadAccounts();
    if (credentials) this.#tokens++;
    // What failed (a token refused as expired, which tsunagu-token-expired asks the page to renew) goes again with
    // the renewed one.
    if (!this.hasUpdated || changed.has("interviewId") || (credentials && this.interviewError))
      void this.#loadInterview();
    if (!this.#edited.title)
      this.titleText = this.meetingTitle ?? this.#localize.term("defaultTitle", this.candidate?.name ?? "");
    // An interview opened by its id keeps its own candidate (the fields are locked then), whether or not the page
    // gave `.candidate` too: a page that only knows the interview's id gets its name and address filled in.
    const candidate = this.interview?.candidate ?? this.candidate;
    if (!this.#edited.name) this.candidateName = candidate?.name ?? "";
    if (!this.#edited.email) this.candidateEmail = candidate?.email ?? "";
    // The zone can change with no property changing: the token's `tz` is known once a token provider has
    // answered, often after the first question went out in the browser's zone.
    const zone = this.#localize.timeZone;
    const zoneChanged = zone !== this.#zone;
    this.#zone = zone;
    if (!this.weekStart || changed.has("rangeStart") || (zoneChanged && !this.rangeStart)) {
      this.weekStart = this.#firstDay();
    }
    if (
      !this.hasUpdated ||
      zoneChanged ||
      queryInputs.some((input) => changed.has(input)) ||
      (credentials && this.#freeTimes.phase === "failed")
    )
      this.#freeTimes.schedule();
    // A time chosen outside the hours (an interview loaded as booked) needs busy time the last question left out.
    else if (
      (changed as Map<PropertyKey, unknown>).has("chosen") &&
      this.#askedBusy === "working_hours" &&
      this.#busyScope() === "all"
    )
      this.#freeTimes.schedule();
    // Booked, cancelled or another one opened: the interview being changed is another (or none).
    else if ((changed as Map<PropertyKey, unknown>).has("interview") && this.#changing() !== this.#askedFor)
      this.#freeTimes.schedule();
  }

  /**
   * The id of the interview a change would PATCH (as `#confirm` decides), once loaded; before that, the page's
   * `interview-id`. The free times and the Zoom hosts are asked for it, so that it does not count against itself.
   */
  #changing(): string | undefined {
    const interview = this.interview;
    if (interview) return interview.status === "cancelled" ? undefined : interview.id;
    return this.interviewId || undefined;
  }

  /** Asks for the free times again now, without waiting for the debounce. */
  refresh(): Promise<void> {
    return this.#freeTimes.refresh();
  }

  /** The failure's retry: once the free times are in, the focus goes to the week (or to the new retry). */
  async #retryFreeTimes(): Promise<void> {
    await this.refresh();
    await this.updateComplete;
    refocus(this, "button[data-retry-free-times]", 'td[tabindex="0"]', "#slots-heading");
  }

  #question() {
    const first = this.#firstDay();
    const last = this.#lastDay();
    const start = minutesOf(this.hoursStart);
    const end = minutesOf(this.hoursEnd);
    if (this.interviewers.length === 0 || !this.server || !(end > start) || last < first) return undefined;
    const zone = this.#localize.timeZone;
    const changing = this.#changing();
    return {
      participants: this.interviewers.map((person) => person.id),
      start: new Date(instantAt(first, 0, zone)).toISOString(),
      end: new Date(instantAt(addDays(last, 1), 0, zone)).toISOString(),
      durationMinutes: Number(this.duration),
      stepMinutes: 30,
      workingHours: { days: [...allDays], start: this.hoursStart, end: this.hoursEnd },
      timeZone: zone,
      peopleBusy: this.#busyScope(),
      ...(changing ? { interviewId: changing } : {}),
    };
  }

  /** The busy time the view reads (week.ts `busyScope`): within the hours, unless it shows a time outside them. */
  #busyScope() {
    return busyScope({
      hoursStart: this.hoursStart,
      hoursEnd: this.hoursEnd,
      durationMinutes: Number(this.duration),
      timeZone: this.#localize.timeZone,
      chosen: this.chosen,
    });
  }

  #firstDay(): string {
    return this.rangeStart && /^\d{4}-\d{2}-\d{2}$/.test(this.rangeStart)
      ? this.rangeStart
      : dateIn(Date.now(), this.#localize.timeZone);
  }

  #lastDay(): string {
    const first = this.#firstDay();
    const wanted = this.rangeEnd && /^\d{4}-\d{2}-\d{2}$/.test(this.rangeEnd) ? this.rangeEnd : addDays(first, 6);
    return daysBetween(first, wanted) >= maxRangeDays ? addDays(first, maxRangeDays - 1) : wanted;
  }

  async #loadAccounts(): Promise<void> {
    if (!this.server) return;
    this.accountsError = undefined;
    try {
      this.accounts = calendarAccounts(await this.#api.get<unknown>(accountsPath));
      const preferred = this.interview?.event?.accountId;
      const chosen =
        this.accounts.find((account) => account.id === preferred) ??
        this.accounts.find((account) => account.isDefault) ??
        this.accounts[0];
      this.calendarAccountId = chosen?.id ?? "";
    } catch (error) {
      if (isAbortError(error)) return;
      // Not "no calendar": that would tell the person to link one they have. Left undefined, a renewed token asks
      // again, and so does the failure's retry.
      this.accounts = undefined;
      this.accountsError = error;
      this.#report(error);
    }
  }

  async #retryAccounts(): Promise<void> {
    await this.#loadAccounts();
    await this.updateComplete;
    refocus(this, "button[data-retry-accounts]", "#calendar-account");
  }

  async #loadInterview(): Promise<void> {
    this.interview = undefined;
    this.interviewError = undefined;
    if (!this.interviewId) return;
    try {
      // The interview shows in the result view, with the later steps' terms.
      const [body] = await Promise.all([
        this.#api.get<unknown>(interviewPath(this.interviewId)),
        this.#localize.loadLaterTerms(),
      ]);
      const view = readInterview(body, "GET /v1/interviews/:id");
      this.#startEditing(view);
      this.#showResult(view, "loaded", false);
    } catch (error) {
      if (isAbortError(error)) return;
      this.interviewError = error;
      this.#report(error);
    }
  }

  /** The retry went with the failure: the focus goes to the interview's heading once it is in (or the new retry). */
  async #retryInterview(): Promise<void> {
    await this.#loadInterview();
    await this.updateComplete;
    refocus(this, '[part~="error"] button', "#result-heading");
  }

  /** Fills the controls from an interview: its people, length and time, so a change starts from what is. */
  #startEditing(view: InterviewView): void {
    this.interview = view;
    const zone = this.#localize.timeZone;
    if (this.interviewers.length === 0)
      this.interviewers = view.interviewers.map((person) => ({
        id: person.userId,
        name: person.name ?? person.userId,
      }));
    this.duration = Math.round((Date.parse(view.end) - Date.parse(view.start)) / 60_000);
    const day = dateIn(Date.parse(view.start), zone);
    if (!this.rangeStart || day < this.#firstDay() || day > this.#lastDay()) {
      this.rangeStart = day;
      this.rangeEnd = addDays(day, 6);
    }
    this.weekStart = this.#firstDay();
    this.chosen = {
      start: new Date(Date.parse(view.start)).toISOString(),
      end: new Date(Date.parse(view.end)).toISOString(),
    };
    this.webInterview = view.zoom !== undefined;
    this.zoomHost = view.zoom ? { zoomUserId: view.zoom.hostZoomUserId, displayName: null } : undefined;
    this.titleText = view.title;
    this.#edited.title = true;
    if (view.event) this.calendarAccountId = view.event.accountId;
  }

  // ── The week ───────────────────────────────────────────────────────────

  #week(): WeekModel {
    const last = this.#lastDay();
    const days: string[] = [];
    for (let day = this.weekStart; day <= last && days.length < 7; day = addDays(day, 1)) days.push(day);
    return buildWeek({
      answer: this.#freeTimes.current,
      people: this.interviewers.map((person) => person.id),
      days,
      hoursStart: this.hoursStart,
      hoursEnd: this.hoursEnd,
      durationMinutes: Number(this.duration),
      timeZone: this.#localize.timeZone,
    });
  }

  #names(): Map<string, string> {
    return new Map(this.interviewers.map((person) => [person.id, person.name]));
  }

  #chooseCell(cell: WeekCell, at: GridPosition, target?: HTMLElement): void {
    this.focusCell = at;
    this.chosen = { start: cell.start, end: cell.end };
    this.remindChoose = false;
    target?.focus();
  }

  #onGridKeydown(event: KeyboardEvent, model: WeekModel): void {
    const cell = (event.target as HTMLElement).closest<HTMLElement>("td[data-row]");
    if (!cell) return;
    const at = { row: Number(cell.dataset.row), column: Number(cell.dataset.column) };
    const key = gridKey(event, at, model.rows.length, model.days.length);
    if (!key) return;
    event.preventDefault();
    if (key === "choose") {
      const chosen = model.cells[at.row]?.[at.column];
      if (chosen) this.#chooseCell(chosen, at);
      return;
    }
    this.focusCell = key;
    void this.updateComplete.then(() =>
      this.renderRoot.querySelector<HTMLElement>(`td[data-row="${key.row}"][data-column="${key.column}"]`)?.focus(),
    );
  }

  // ── Booking, changing, cancelling ──────────────────────────────────────

  #review(): void {
    if (!this.chosen) {
      this.remindChoose = true;
      return;
    }
    this.actionError = undefined;
    void this.#localize.loadLaterTerms();
    this.view = "summary";
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>("#summary-heading")?.focus());
  }

  #zoomChoice(): { hostZoomUserId?: string } | undefined {
    if (!this.webInterview) return undefined;
    return this.zoomHost?.zoomUserId ? { hostZoomUserId: this.zoomHost.zoomUserId } : {};
  }

  #bookingBody(): BookingBody {
    const chosen = this.chosen as { start: string; end: string };
    const candidate: CandidateInput = {
      ...this.candidate,
      name: this.candidateName.trim(),
      email: this.candidateEmail.trim(),
    };
    const zoom = this.#zoomChoice();
    return {
      title: this.titleText.trim(),
      start: chosen.start,
      end: chosen.end,
      interviewers: this.interviewers.map((person) => person.id),
      candidate,
      ...(this.calendarAccountId ? { calendarAccountId: this.calendarAccountId } : {}),
      ...(zoom ? { zoom } : {}),
    };
  }

  /**
   * What a change sends: the time and the interviewers, the title when it changed, and the Zoom host when another
   * was chosen (PATCH moves a meeting to another host; it neither adds nor removes the web interview).
   */
  #changeBody(before: InterviewView): ChangeBody {
    const chosen = this.chosen as { start: string; end: string };
    const title = this.titleText.trim();
    const host = this.zoomHost?.zoomUserId;
    return {
      start: chosen.start,
      end: chosen.end,
      interviewers: this.interviewers.map((person) => person.id),
      ...(title && title !== before.title ? { title } : {}),
      ...(before.zoom && host && host !== before.zoom.hostZoomUserId ? { zoom: { hostZoomUserId: host } } : {}),
    };
  }

  /** Confirms the summary: books a new interview, or changes the one being edited. */
  async #confirm(): Promise<void> {
    if (this.action || !this.chosen) return;
    const before = this.interview;
    const editing = before !== undefined && before.status !== "cancelled";
    this.action = editing ? "update" : "book";
    this.actionError = undefined;
    this.#actionTokens = this.#tokens;
    try {
      let answer: InterviewView;
      if (editing) {
        answer = readInterview(
          await this.#api.patch<unknown>(interviewPath(before.id), this.#changeBody(before)),
          "PATCH /v1/interviews/:id",
        );
      } else {
        const body = this.#bookingBody();
        const serialised = JSON.stringify(body);
        // One key per confirmed attempt: the same body again (a retry) reuses it, so the server books it once.
        if (this.#attempt?.body !== serialised) this.#attempt = { key: crypto.randomUUID(), body: serialised };
        answer = readInterview(
          await this.#api.post<unknown>(interviewsPath, body, { headers: { "Idempotency-Key": this.#attempt.key } }),
          "POST /v1/interviews",
        );
        this.#attempt = undefined;
      }
      this.#showResult(answer, editing ? "changed" : "booked", true, before);
      this.dispatchEvent(
        editing && before
          ? new TsunaguInterviewUpdatedEvent({ interview: answer, before })
          : new TsunaguInterviewScheduledEvent({ interview: answer }),
      );
    } catch (error) {
      if (isAbortError(error)) return;
      // The server answers a key with the refusal it settled on (424 provider_failed, 409 zoom_host_busy, …) for good:
      // a retry after one is a new attempt. Only an answer that leaves the outcome open keeps the key (see below).
      if (!outcomeOpen(error)) this.#attempt = undefined;
      this.actionError = error;
      this.#report(error);
    } finally {
      this.action = undefined;
    }
  }

  /** Shows `interview`; after a change, `before` is what it was, so the candidate's message says what changed. */
  #showResult(
    interview: InterviewView,
    outcome: "booked" | "changed" | "loaded",
    moveFocus = true,
    before?: InterviewView,
  ): void {
    this.interview = interview;
    this.outcome = outcome;
    this.view = "result";
    this.startRefused = false;
    this.message = undefined;
    const moved =
      before !== undefined &&
      (Date.parse(before.start) !== Date.parse(interview.start) ||
        Date.parse(before.end) !== Date.parse(interview.end));
    void this.#renderMessage(
      interview,
      outcome !== "changed" || !before ? "scheduled" : moved ? "rescheduled" : "changed",
    );
    // After an action the heading says how it went; an interview merely opened leaves focus where the page had it.
    if (moveFocus)
      void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>("#result-heading")?.focus());
  }

  async #renderMessage(interview: InterviewView, news: CandidateNews): Promise<void> {
    try {
      // Only a booked interview needs it: a chunk of its own, fetched then (a lost chunk fails as a network error).
      const { messageRequest } = await import("./candidate-message.ts").catch((error: unknown) => {
        throw new TsunaguApiError(0, clientErrorCodes.network, "Could not load the message step.", { cause: error });
      });
      const request = await messageRequest(interview, {
        templateKey: this.templateKey,
        // In the candidate's language, which may not be the viewer's: that table's chunk is loaded now if need be.
        ownTemplate: async (language, withZoom) => {
          const terms = await this.#localize.laterTermsIn(language).catch((error: unknown) => {
            throw new TsunaguApiError(0, clientErrorCodes.network, "Could not load the message's words.", {
              cause: error,
            });
          });
          return terms.candidateMessageTemplate(news, withZoom);
        },
        candidate: this.candidate,
        fallbackLanguage: this.#localize.language,
        interviewers: this.interviewers,
      });
      const rendered = readRendered(await this.#api.post<unknown>(renderPath, request));
      if (this.interview === interview) this.message = rendered;
    } catch (error) {
      if (isAbortError(error)) return;
      await this.#localize.loadErrorMessages();
      if (this.interview === interview) this.message = { error: this.#localize.errorMessage(error) };
    }
  }

  async #startMeeting(): Promise<void> {
    const interview = this.interview;
    if (!interview || this.starting) return;
    this.starting = true;
    try {
      const url = readStartUrl(await this.#api.post<unknown>(startUrlPath(interview.id)));
      window.open(url, "_blank", "noopener");
    } catch (error) {
      if (error instanceof TsunaguApiError && error.status === 403) {
        this.startRefused = true;
        // The button goes: a focus it had moves to the next action rather than to the page's body.
        void this.updateComplete.then(() => refocus(this, "button[data-edit]"));
      } else if (error instanceof TsunaguApiError && error.code === "needs_reauth") {
        // Their own link to the host: Start stays, for once it is linked again.
        this.#toasts.show("error", this.#localize.term("startMeetingNeedsReauth"));
      } else if (!isAbortError(error)) {
        this.#report(error);
        await this.#localize.loadErrorMessages();
        this.#toasts.show("error", this.#localize.errorMessage(error));
      }
    } finally {
      this.starting = false;
    }
  }

  async #cancelInterview(): Promise<void> {
    const interview = this.interview;
    if (!interview || this.action) return;
    this.action = "cancel";
    this.actionError = undefined;
    this.#actionTokens = this.#tokens;
    try {
      const body = await this.#api.delete<unknown>(interviewPath(interview.id));
      const cancelled =
        body === undefined
          ? { ...interview, status: "cancelled" as const }
          : readInterview(body, "DELETE /v1/interviews/:id");
      this.#cancelDialog.close({ restoreFocus: false });
      this.#showResult(cancelled, "changed");
      this.dispatchEvent(new TsunaguInterviewCancelledEvent({ interview: cancelled }));
    } catch (error) {
      if (isAbortError(error)) return;
      this.actionError = error;
      this.#report(error);
    } finally {
      this.action = undefined;
    }
  }

  async #copy(text: string): Promise<void> {
    try {
      await navigator.clipboard.writeText(text);
      this.#toasts.show("success", this.#localize.term("copied"));
    } catch {
      // The page may not allow the clipboard (an iframe without the permission): say how to copy by hand.
      this.#toasts.show("error", this.#localize.term("copyFailed"));
    }
  }

  #level(): HeadingLevel {
    return headingLevel(this.headingLevel);
  }

  #report(error: unknown): void {
    this.dispatchEvent(new TsunaguErrorEvent({ error: asApiError(error) }));
  }

  // ── Rendering ──────────────────────────────────────────────────────────

  override render(): TemplateResult {
    const localize = this.#localize;
    const editing = this.interview !== undefined && this.interview.status !== "cancelled";
    // Shown, an interview is headed as such (its result says what happened to it); changing it, as a change.
    const shown = this.view === "result" || (Boolean(this.interviewId) && !this.interview);
    const title = localize.term(
      shown ? "interviewHeading" : editing || this.interviewId ? "editHeading" : "scheduleHeading",
    );
    const progress = this.action ? localize.term("inProgress", this.action) : "";
    return html`<div part="base" class="base" lang=${localize.language}>
      ${heading(this.#level(), "heading", title)}
      ${
        // What the action's answer replaces is busy, not the element: a screen reader holds back what a live region
        // inside a busy one says (the progress line, the toasts) until it is no longer busy.
        html`<div aria-busy=${this.action ? "true" : "false"}>${this.#renderBody()}</div>`
      }
      ${
        // A live region is heard when its text changes, not when it arrives with its text: it is always there.
        html`<p part="progress" role="status" class=${progress ? "progress" : "visually-hidden"}>${progress}</p>`
      }
      ${this.#renderCancelDialog()}
      ${renderToastStack(this.#toasts, { lang: localize.language, dismissLabel: localize.term("dismiss") })}
    </div>`;
  }

  #renderBody(): TemplateResult {
    const localize = this.#localize;
    if (this.interviewId && !this.interview) {
      if (this.interviewError)
        return html`<div part="error" class="error" role="alert">
          <p>${localize.failure(localize.term("interviewLoadFailed"), this.interviewError)}</p>
          ${renderButton({ label: localize.term("retry"), onClick: () => void this.#retryInterview() })}
        </div>`;
      return html`<p part="loading" role="status">${localize.term("interviewLoading")}</p>`;
    }
    if (this.view === "result" && this.interview) return this.#renderResultView(this.interview);
    if (this.view === "summary") return this.#renderSummaryView();
    return this.#renderForm();
  }

  #renderForm(): TemplateResult {
    const localize = this.#localize;
    const model = this.#week();
    const names = this.#names();
    const first = this.#firstDay();
    const last = this.#lastDay();
    const editing = this.interview !== undefined && this.interview.status !== "cancelled";
    return html`<div class="form">
      ${renderControls({
        localize,
        title: this.titleText,
        candidateName: this.candidateName,
        candidateEmail: this.candidateEmail,
        candidateLocked: this.interview !== undefined,
        duration: Number(this.duration),
        firstDay: first,
        lastDay: last,
        hoursStart: this.hoursStart,
        hoursEnd: this.hoursEnd,
        set: (field, value) => this.#setControl(field, value),
      })}
      <p part="zone" class="muted">${localize.term("timeZoneNote", localize.timeZone)}</p>
      ${heading(below(this.#level()), "interviewers-heading", localize.term("interviewersLabel"), "section-heading")}
      ${
        this.interviewers.length === 0
          ? html`<p part="notice" class="muted">${localize.term("noInterviewers")}</p>`
          : renderPeople(localize, names, [...names.keys()], this.#freeTimes.current?.people ?? [])
      }
      ${heading(below(this.#level()), "slots-heading", localize.term("slotsHeading"), "section-heading")}
      ${renderSlots({
        localize,
        phase: this.#freeTimes.phase,
        count: this.#freeTimes.current?.slots.length ?? 0,
        unconfirmed: this.#freeTimes.current?.slots.some((slot) => slot.unconfirmedFor.length > 0) ?? false,
        loadError: this.#freeTimes.error,
        model,
        names,
        focus: {
          row: Math.min(this.focusCell.row, Math.max(0, model.rows.length - 1)),
          column: Math.min(this.focusCell.column, Math.max(0, model.days.length - 1)),
        },
        chosen: this.chosen?.start,
        earlier: this.weekStart > first,
        later: addDays(this.weekStart, 7) <= last,
        retry: () => void this.#retryFreeTimes(),
        moveWeek: (days) => {
          this.weekStart = addDays(this.weekStart, days);
          // At the range's end the button pressed goes away: the focus moves to the other one, not to the page.
          void this.updateComplete.then(() => {
            if ((this.renderRoot as ShadowRoot).activeElement) return;
            const other = days > 0 ? "previous-week" : "next-week";
            this.renderRoot.querySelector<HTMLElement>(`button[data-${other}]`)?.focus();
          });
        },
        choose: (cell, at, target) => this.#chooseCell(cell, at, target),
        keydown: (event) => this.#onGridKeydown(event, model),
      })}
      ${
        this.accountsError
          ? html`<div part="error" class="error" role="alert">
              <p>${localize.failure(localize.term("calendarAccountsLoadFailed"), this.accountsError)}</p>
              ${renderButton({
                label: localize.term("retry"),
                data: { "retry-accounts": true },
                onClick: () => void this.#retryAccounts(),
              })}
            </div>`
          : renderCalendarAccount(
              localize,
              this.accounts,
              this.calendarAccountId,
              this.interview !== undefined,
              (id) => {
                this.calendarAccountId = id;
              },
            )
      }
      <label class="check">
        <input type="checkbox" id="web-interview" .checked=${this.webInterview} ?disabled=${editing}
          @change=${(event: Event) => {
            this.webInterview = (event.target as HTMLInputElement).checked;
          }} />
        ${localize.term("webInterviewLabel")}
      </label>
      ${this.webInterview ? this.#renderHostPicker() : nothing}
      ${
        this.remindChoose
          ? html`<p part="notice" role="alert" class="error">${localize.term("chooseSlotFirst")}</p>`
          : nothing
      }
      ${this.#renderActionError()}
      <div class="actions">
        ${renderButton({
          label: localize.term("review"),
          tone: "primary",
          data: { review: true },
          onClick: () => this.#review(),
        })}
        ${
          editing
            ? renderButton({
                label: localize.term("cancelInterview"),
                tone: "danger",
                data: { "cancel-interview": true },
                onClick: (trigger) => void this.#openCancel(trigger),
              })
            : nothing
        }
      </div>
    </div>`;
  }

  #setControl(field: ControlField, value: string): void {
    if (field === "title") {
      this.titleText = value;
      this.#edited.title = true;
    } else if (field === "candidateName") {
      this.candidateName = value;
      this.#edited.name = true;
    } else if (field === "candidateEmail") {
      this.candidateEmail = value;
      this.#edited.email = true;
    } else if (field === "duration") this.duration = Number(value);
    else this[field] = value;
  }

  /**
   * `<zoom-host-picker>` for the chosen time and the interviewers; its choice is kept for the booking. It speaks the
   * language this element speaks, whichever source chose it (this element's `lang` is not the picker's).
   */
  #renderHostPicker(): TemplateResult {
    return html`<zoom-host-picker
      .server=${this.server}
      .token=${this.token}
      .tokenProvider=${this.tokenProvider}
      .locale=${this.#localize.intlLocale}
      .timeZone=${this.timeZone}
      .start=${this.chosen?.start ?? null}
      .end=${this.chosen?.end ?? null}
      .participants=${this.interviewers.map((person) => person.id)}
      .interviewId=${this.#changing() ?? null}
      .value=${this.zoomHost?.zoomUserId ?? ""}
      @tsunagu-zoom-host-changed=${(event: TsunaguZoomHostChangedEvent) => {
        const { zoomUserId, displayName } = event.detail;
        this.zoomHost = zoomUserId ? { zoomUserId, displayName } : undefined;
      }}
    ></zoom-host-picker>`;
  }

  /** The last action's failure, where it happened: in the cancel dialog while that is open, else in the form. */
  #renderActionError(inDialog = false): TemplateResult | typeof nothing {
    const error = this.actionError as TsunaguApiError | undefined;
    // A booking, change or cancel refused for a token the page has since renewed: the person simply confirms again
    // (the refusal's words say to reload the page, which would lose what was entered).
    if (
      !error ||
      inDialog !== this.#cancelDialog.open ||
      (error.isTokenRejection && this.#actionTokens !== this.#tokens)
    )
      return nothing;
    const localize = this.#localize;
    return html`<div part="error" class="error" role="alert">
      <p>${localize.failure(localize.term("bookFailed"), error)}</p>
      <p>${localize.term("inputKept")}</p>
    </div>`;
  }

  #renderSummaryView(): TemplateResult {
    const localize = this.#localize;
    const chosen = this.chosen as { start: string; end: string };
    const account = this.accounts?.find((candidate) => candidate.id === this.calendarAccountId);
    const host = this.zoomHost?.displayName ?? this.zoomHost?.zoomUserId ?? localize.term("zoomHostAuto");
    return renderSummary(
      {
        localize,
        level: below(this.#level()),
        title: this.titleText,
        when: this.#when(chosen.start, chosen.end),
        names: this.#names(),
        candidate: `${this.candidateName} <${this.candidateEmail}>`,
        calendar: account ? accountName(localize, account) : "—",
        webInterview: this.webInterview ? host : localize.term("webInterviewNone"),
        cell: this.#cellAt(chosen.start),
        editing: this.interview !== undefined,
        waiting: this.action !== undefined,
        back: () => {
          this.view = "form";
          // The Back button goes with the summary: the focus returns to the button that opened it.
          void this.updateComplete.then(() =>
            this.renderRoot.querySelector<HTMLElement>("button[data-review]")?.focus(),
          );
        },
        confirm: () => void this.#confirm(),
      },
      this.#renderActionError(),
    );
  }

  #renderResultView(interview: InterviewView): TemplateResult {
    return renderResult({
      localize: this.#localize,
      level: below(this.#level()),
      interview,
      outcome: this.outcome,
      message: this.message,
      startRefused: this.startRefused,
      starting: this.starting,
      when: this.#when(interview.start, interview.end),
      copy: (text) => void this.#copy(text),
      start: () => void this.#startMeeting(),
      edit: () => {
        this.#startEditing(interview);
        this.view = "form";
        // The result and its buttons go: the focus moves to the heading of the form that replaces them.
        void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>("#heading")?.focus());
      },
      cancel: (trigger) => void this.#openCancel(trigger),
    });
  }

  async #openCancel(trigger: HTMLElement): Promise<void> {
    this.actionError = undefined;
    await this.#cancelDialog.show(() => trigger.focus());
  }

  /** Its content once there is an interview to cancel (the later steps' terms are in by then). */
  #renderCancelDialog(): TemplateResult {
    const localize = this.#localize;
    return this.#cancelDialog.render({
      lang: localize.language,
      labelledBy: "cancel-title",
      describedBy: "cancel-lead",
      busy: this.action === "cancel",
      content: this.interview
        ? html`<h2 id="cancel-title">${localize.term("cancelTitle")}</h2>
        <p id="cancel-lead">${localize.term("cancelLead")}</p>
        <p role="status" class=${this.action === "cancel" ? "progress" : "visually-hidden"}>${
          this.action === "cancel" ? localize.term("inProgress", "cancel") : ""
        }</p>
        ${this.#renderActionError(true)}
        <div class="dialog-actions">
          ${renderButton({
            label: localize.term("keepInterview"),
            waiting: this.action === "cancel",
            autofocus: true,
            onClick: () => this.#cancelDialog.close(),
          })}
          ${renderButton({
            label: localize.term("cancelConfirm"),
            tone: "danger-solid",
            waiting: this.action === "cancel",
            data: { "confirm-cancel": true },
            onClick: () => void this.#cancelInterview(),
          })}
        </div>`
        : nothing,
    });
  }

  /** "12月3日（水）10:00〜11:00（Asia/Tokyo）" in the viewer's zone, as the Slack notices write it. */
  #when(start: string, end: string): string {
    return this.#localize.inZone(this.#localize.when(start, end));
  }

  #cellAt(start: string): WeekCell | undefined {
    const zone = this.#localize.timeZone;
    const day = dateIn(Date.parse(start), zone);
    const model = buildWeek({
      answer: this.#freeTimes.answer,
      people: this.interviewers.map((person) => person.id),
      days: [day],
      hoursStart: "00:00",
      hoursEnd: "24:00",
      durationMinutes: Number(this.duration),
      timeZone: zone,
    });
    return model.cells.flat().find((cell) => cell.start === start);
  }
}
