import type { AccountView } from "@tsunagu/contract";
import { html, LitElement, nothing, type PropertyValues, type TemplateResult } from "lit";
import { property, state } from "lit/decorators.js";
import { TsunaguErrorEvent } from "../events/tsunagu-error.ts";
import { TsunaguInterviewCancelledEvent } from "../events/tsunagu-interview-cancelled.ts";
import { TsunaguInterviewScheduledEvent } from "../events/tsunagu-interview-scheduled.ts";
import { TsunaguInterviewUpdatedEvent } from "../events/tsunagu-interview-updated.ts";
import type { TsunaguZoomHostChangedEvent } from "../events/tsunagu-zoom-host-changed.ts";
import { ApiClientController } from "../shared/api-client-controller.ts";
import { asApiError, isAbortError, TsunaguApiError } from "../shared/api-error.ts";
import { buttonStyles, renderButton } from "../shared/button.ts";
import { cardStyles, renderBadge } from "../shared/card.ts";
import { DialogController, dialogStyles } from "../shared/dialog.ts";
import { type HostTokenProvider, HostTokenController } from "../shared/host-token-controller.ts";
import { LocalizeController } from "../shared/localize-controller.ts";
import { themeStyles } from "../shared/theme.ts";
import { ToastController } from "../shared/toast-controller.ts";
import { renderToastStack, toastStyles } from "../shared/toast-stack.ts";
import { type GridPosition, gridKey } from "./grid-keys.ts";
import {
  accountsPath,
  availabilityPath,
  type AvailabilityAnswer,
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
  minutesOf,
  type WeekCell,
  type WeekModel,
} from "./week.ts";
import { dayLabel, dayOffText, namesOf, renderPeople, renderWeekGrid } from "./week-grid.ts";

type Phase = "idle" | "loading" | "ready" | "failed";
type View = "form" | "summary" | "result";
type Action = "book" | "update" | "cancel";

const durations = [15, 30, 45, 60, 90, 120];
const allDays = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"] as const;
/** The server answers at most this many days at once (routes/availability.ts). */
const maxRangeDays = 62;
const queryInputs = ["interviewers", "duration", "rangeStart", "rangeEnd", "hoursStart", "hoursEnd", "server"] as const;

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
 * attempt and the same key again on retry; a failure keeps every input and
 * says what to do.
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
 * @csspart heading - The element's heading.
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

  /** Base URL of the Tsunagu server. */
  @property() server: string | null = null;
  /** A host token the page renews itself… */
  @property() token: string | null = null;
  /** …or a callback the element calls for a fresh one (preferred). */
  @property({ attribute: false }) tokenProvider: HostTokenProvider | null = null;
  /** `ja` or `en`; otherwise the element's `lang`, the token's `locale`, then the document's `lang`. */
  @property() locale: string | null = null;
  /** The viewer's IANA zone; otherwise the token's `tz`, then the browser's. Every time is shown in it. */
  @property({ attribute: "time-zone" }) timeZone: string | null = null;
  /** The interviewers: portal user ids and the names to show. */
  @property({ attribute: false }) interviewers: Interviewer[] = [];
  /** The candidate: name, email, and the zone and language of their message. */
  @property({ attribute: false }) candidate: CandidateInput | null = null;
  /** An existing interview's id: the element changes or cancels it instead of booking a new one. */
  @property({ attribute: "interview-id" }) interviewId: string | null = null;
  /** The interview's title; default "面接：<candidate>様" / "Interview: <candidate>". */
  @property({ attribute: "meeting-title" }) meetingTitle: string | null = null;
  /** Length in minutes. Default 60. */
  @property({ type: Number }) duration = 60;
  /** First day to look at, YYYY-MM-DD on the viewer's clock. Default today. */
  @property({ attribute: "range-start" }) rangeStart: string | null = null;
  /** Last day to look at. Default six days after the first. */
  @property({ attribute: "range-end" }) rangeEnd: string | null = null;
  /** Earliest start, "HH:MM". Default 09:00. */
  @property({ attribute: "hours-start" }) hoursStart = "09:00";
  /** Latest end, "HH:MM". Default 18:00. */
  @property({ attribute: "hours-end" }) hoursEnd = "18:00";
  /** Start with the web interview (Zoom) on. */
  @property({ type: Boolean, attribute: "web-interview" }) webInterview = false;
  /** The organisation's message template for the candidate (`/v1/templates/:key`); default the element's own. */
  @property({ attribute: "template-key" }) templateKey: string | null = null;
  /** Milliseconds the controls must stay unchanged before the element asks for free times. Default 300. */
  @property({ type: Number }) debounce = 300;

  @state() private phase: Phase = "idle";
  @state() private answer: AvailabilityAnswer | undefined;
  @state() private loadError: unknown;
  @state() private view: View = "form";
  @state() private weekStart = "";
  @state() private focusCell: GridPosition = { row: 0, column: 0 };
  @state() private chosen: { start: string; end: string } | undefined;
  @state() private titleText = "";
  @state() private candidateName = "";
  @state() private candidateEmail = "";
  @state() private accounts: AccountView[] | undefined;
  @state() private calendarAccountId = "";
  @state() private zoomHost: { zoomUserId: string; displayName: string | null } | undefined;
  @state() private action: Action | undefined;
  @state() private actionError: unknown;
  @state() private interview: InterviewView | undefined;
  @state() private interviewError: unknown;
  @state() private outcome: "booked" | "changed" | "loaded" = "booked";
  @state() private message: RenderedMessage | { error: string } | undefined;
  @state() private startRefused = false;
  @state() private starting = false;
  @state() private remindChoose = false;

  private readonly hostToken = new HostTokenController(this);
  private readonly api = new ApiClientController(this, this.hostToken);
  private readonly localize = new LocalizeController(this, { claims: () => this.hostToken.claims });
  private readonly toasts = new ToastController(this);
  private readonly cancelDialog = new DialogController(this);
  private debounceTimer: number | undefined;
  private inFlight: AbortController | undefined;
  /** The key of the attempt being confirmed, with the body it was made for: a retry of that body reuses it. */
  private attempt: { key: string; body: string } | undefined;
  private edited = { title: false, name: false, email: false };

  /** The interview this element booked, changed or loaded, as the server last answered it. */
  get currentInterview(): InterviewView | undefined {
    return this.interview;
  }

  // ── Loading ────────────────────────────────────────────────────────────

  protected override async scheduleUpdate(): Promise<void> {
    await this.localize.ready();
    super.scheduleUpdate();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.clearTimeout(this.debounceTimer);
    this.inFlight = undefined;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.hasUpdated) this.scheduleRefresh();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (!this.hasUpdated || changed.has("server") || changed.has("token") || changed.has("tokenProvider")) {
      if (!this.accounts) void this.loadAccounts();
    }
    if (!this.hasUpdated || changed.has("interviewId")) void this.loadInterview();
    if (!this.edited.title)
      this.titleText = this.meetingTitle ?? this.localize.term("defaultTitle", this.candidate?.name ?? "");
    if (!this.edited.name) this.candidateName = this.candidate?.name ?? "";
    if (!this.edited.email) this.candidateEmail = this.candidate?.email ?? "";
    if (!this.weekStart || changed.has("rangeStart")) this.weekStart = this.firstDay();
    if (!this.hasUpdated || queryInputs.some((input) => changed.has(input))) this.scheduleRefresh();
  }

  /** Asks for the free times again now, without waiting for the debounce. */
  async refresh(): Promise<void> {
    window.clearTimeout(this.debounceTimer);
    this.inFlight?.abort(new DOMException("A newer question replaced this one.", "AbortError"));
    const question = this.question();
    if (!question) {
      this.inFlight = undefined;
      this.phase = "idle";
      this.answer = undefined;
      return;
    }
    const request = new AbortController();
    this.inFlight = request;
    this.phase = "loading";
    try {
      const body = await this.api.post<unknown>(availabilityPath, question, { signal: request.signal });
      if (this.inFlight !== request) return;
      this.answer = readAvailability(body);
      this.loadError = undefined;
      this.phase = "ready";
    } catch (error) {
      if (isAbortError(error) || this.inFlight !== request) return;
      this.loadError = error;
      this.phase = "failed";
      this.report(error);
    } finally {
      if (this.inFlight === request) this.inFlight = undefined;
    }
  }

  private scheduleRefresh(): void {
    window.clearTimeout(this.debounceTimer);
    this.inFlight?.abort(new DOMException("The inputs changed.", "AbortError"));
    this.inFlight = undefined;
    if (!this.question()) {
      this.phase = "idle";
      this.answer = undefined;
      return;
    }
    this.phase = "loading";
    this.debounceTimer = window.setTimeout(() => void this.refresh(), Math.max(0, Number(this.debounce) || 0));
  }

  private question() {
    const first = this.firstDay();
    const last = this.lastDay();
    const start = minutesOf(this.hoursStart);
    const end = minutesOf(this.hoursEnd);
    if (this.interviewers.length === 0 || !this.server || !(end > start) || last < first) return undefined;
    const zone = this.localize.timeZone;
    return {
      participants: this.interviewers.map((person) => person.id),
      start: new Date(instantAt(first, 0, zone)).toISOString(),
      end: new Date(instantAt(addDays(last, 1), 0, zone)).toISOString(),
      durationMinutes: Number(this.duration),
      stepMinutes: 30,
      workingHours: { days: [...allDays], start: this.hoursStart, end: this.hoursEnd },
      timeZone: zone,
    };
  }

  private firstDay(): string {
    return this.rangeStart && /^\d{4}-\d{2}-\d{2}$/.test(this.rangeStart)
      ? this.rangeStart
      : dateIn(Date.now(), this.localize.timeZone);
  }

  private lastDay(): string {
    const first = this.firstDay();
    const wanted = this.rangeEnd && /^\d{4}-\d{2}-\d{2}$/.test(this.rangeEnd) ? this.rangeEnd : addDays(first, 6);
    return daysBetween(first, wanted) >= maxRangeDays ? addDays(first, maxRangeDays - 1) : wanted;
  }

  private async loadAccounts(): Promise<void> {
    if (!this.server) return;
    try {
      this.accounts = calendarAccounts(await this.api.get<unknown>(accountsPath));
      const preferred = this.interview?.event?.accountId;
      const chosen =
        this.accounts.find((account) => account.id === preferred) ??
        this.accounts.find((account) => account.isDefault) ??
        this.accounts[0];
      this.calendarAccountId = chosen?.id ?? "";
    } catch (error) {
      if (isAbortError(error)) return;
      this.accounts = [];
      this.report(error);
    }
  }

  private async loadInterview(): Promise<void> {
    this.interview = undefined;
    this.interviewError = undefined;
    if (!this.interviewId) return;
    try {
      const view = readInterview(
        await this.api.get<unknown>(interviewPath(this.interviewId)),
        "GET /v1/interviews/:id",
      );
      this.startEditing(view);
      this.showResult(view, "loaded", false);
    } catch (error) {
      if (isAbortError(error)) return;
      this.interviewError = error;
      this.report(error);
    }
  }

  /** Fills the controls from an interview: its people, length and time, so a change starts from what is. */
  private startEditing(view: InterviewView): void {
    this.interview = view;
    const zone = this.localize.timeZone;
    if (this.interviewers.length === 0)
      this.interviewers = view.interviewers.map((person) => ({
        id: person.userId,
        name: person.name ?? person.userId,
      }));
    this.duration = Math.round((Date.parse(view.end) - Date.parse(view.start)) / 60_000);
    const day = dateIn(Date.parse(view.start), zone);
    if (!this.rangeStart || day < this.firstDay() || day > this.lastDay()) {
      this.rangeStart = day;
      this.rangeEnd = addDays(day, 6);
    }
    this.weekStart = this.firstDay();
    this.chosen = {
      start: new Date(Date.parse(view.start)).toISOString(),
      end: new Date(Date.parse(view.end)).toISOString(),
    };
    this.webInterview = view.zoom !== undefined;
    this.zoomHost = view.zoom ? { zoomUserId: view.zoom.hostZoomUserId, displayName: null } : undefined;
    this.titleText = view.title;
    this.edited.title = true;
    if (view.event) this.calendarAccountId = view.event.accountId;
  }

  // ── The week ───────────────────────────────────────────────────────────

  private week(): WeekModel {
    const last = this.lastDay();
    const days: string[] = [];
    for (let day = this.weekStart; day <= last && days.length < 7; day = addDays(day, 1)) days.push(day);
    return buildWeek({
      answer: this.phase === "ready" ? this.answer : undefined,
      people: this.interviewers.map((person) => person.id),
      days,
      hoursStart: this.hoursStart,
      hoursEnd: this.hoursEnd,
      durationMinutes: Number(this.duration),
      timeZone: this.localize.timeZone,
    });
  }

  private names(): Map<string, string> {
    return new Map(this.interviewers.map((person) => [person.id, person.name]));
  }

  private moveWeek(days: number): void {
    this.weekStart = addDays(this.weekStart, days);
  }

  private chooseCell(cell: WeekCell, at: GridPosition, target?: HTMLElement): void {
    this.focusCell = at;
    this.chosen = { start: cell.start, end: cell.end };
    this.remindChoose = false;
    target?.focus();
  }

  private onGridKeydown(event: KeyboardEvent, model: WeekModel): void {
    const cell = (event.target as HTMLElement).closest<HTMLElement>("td[data-row]");
    if (!cell) return;
    const at = { row: Number(cell.dataset.row), column: Number(cell.dataset.column) };
    const key = gridKey(event, at, model.rows.length, model.days.length);
    if (!key) return;
    event.preventDefault();
    if (key === "choose") {
      const chosen = model.cells[at.row]?.[at.column];
      if (chosen) this.chooseCell(chosen, at);
      return;
    }
    this.focusCell = key;
    void this.updateComplete.then(() =>
      this.renderRoot.querySelector<HTMLElement>(`td[data-row="${key.row}"][data-column="${key.column}"]`)?.focus(),
    );
  }

  // ── Booking, changing, cancelling ──────────────────────────────────────

  private review(): void {
    if (!this.chosen) {
      this.remindChoose = true;
      return;
    }
    this.actionError = undefined;
    this.view = "summary";
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>("#summary-heading")?.focus());
  }

  private zoomChoice(): { hostZoomUserId?: string } | undefined {
    if (!this.webInterview) return undefined;
    return this.zoomHost?.zoomUserId ? { hostZoomUserId: this.zoomHost.zoomUserId } : {};
  }

  private bookingBody(): BookingBody {
    const chosen = this.chosen as { start: string; end: string };
    const candidate: CandidateInput = {
      ...this.candidate,
      name: this.candidateName.trim(),
      email: this.candidateEmail.trim(),
    };
    const zoom = this.zoomChoice();
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

  /** Confirms the summary: books a new interview, or changes the one being edited. */
  private async confirm(): Promise<void> {
    if (this.action || !this.chosen) return;
    const before = this.interview;
    const editing = before !== undefined && before.status !== "cancelled";
    this.action = editing ? "update" : "book";
    this.actionError = undefined;
    try {
      let answer: InterviewView;
      if (editing) {
        const body: ChangeBody = {
          start: this.chosen.start,
          end: this.chosen.end,
          interviewers: this.bookingBody().interviewers,
        };
        const zoom = this.zoomChoice();
        const change = zoom ? { ...body, zoom } : before.zoom ? { ...body, zoom: null } : body;
        answer = readInterview(
          await this.api.patch<unknown>(interviewPath(before.id), change),
          "PATCH /v1/interviews/:id",
        );
      } else {
        const body = this.bookingBody();
        const serialised = JSON.stringify(body);
        // One key per confirmed attempt: the same body again (a retry) reuses it, so the server books it once.
        if (this.attempt?.body !== serialised) this.attempt = { key: crypto.randomUUID(), body: serialised };
        answer = readInterview(
          await this.api.post<unknown>(interviewsPath, body, { headers: { "Idempotency-Key": this.attempt.key } }),
          "POST /v1/interviews",
        );
        this.attempt = undefined;
      }
      this.showResult(answer, editing ? "changed" : "booked");
      this.dispatchEvent(
        editing && before
          ? new TsunaguInterviewUpdatedEvent({ interview: answer, before })
          : new TsunaguInterviewScheduledEvent({ interview: answer }),
      );
    } catch (error) {
      if (isAbortError(error)) return;
      this.actionError = error;
      this.report(error);
    } finally {
      this.action = undefined;
    }
  }

  private showResult(interview: InterviewView, outcome: "booked" | "changed" | "loaded", moveFocus = true): void {
    this.interview = interview;
    this.outcome = outcome;
    this.view = "result";
    this.startRefused = false;
    this.message = undefined;
    void this.renderMessage(interview);
    // After an action the heading says how it went; an interview merely opened leaves focus where the page had it.
    if (moveFocus)
      void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>("#result-heading")?.focus());
  }

  private async renderMessage(interview: InterviewView): Promise<void> {
    const language = this.candidate?.language ?? interview.candidate.language ?? this.localize.language;
    const withZoom = interview.zoom !== undefined;
    const source = this.templateKey
      ? { key: this.templateKey }
      : { body: this.localize.term("candidateMessageTemplate", withZoom) };
    const names = interview.interviewers.map((person) => person.name ?? person.userId);
    try {
      const rendered = await this.api.post<unknown>(renderPath, {
        ...source,
        language: language === "ja" ? "ja" : "en",
        timeZone: this.candidate?.timeZone ?? interview.candidate.timeZone ?? interview.timeZone,
        values: {
          title: interview.title,
          start: interview.start,
          end: interview.end,
          candidateName: interview.candidate.name,
          interviewers: names.length ? names : this.interviewers.map((person) => person.name),
          ...(interview.zoom
            ? {
                zoom: {
                  joinUrl: interview.zoom.joinUrl,
                  passcode: interview.zoom.passcode,
                  meetingId: interview.zoom.meetingId,
                },
              }
            : {}),
          ...(interview.event?.webLink ? { calendarLink: interview.event.webLink } : {}),
        },
      });
      if (this.interview === interview) this.message = readRendered(rendered);
    } catch (error) {
      if (isAbortError(error)) return;
      if (this.interview === interview) this.message = { error: this.localize.errorMessage(error) };
    }
  }

  private async startMeeting(): Promise<void> {
    const interview = this.interview;
    if (!interview || this.starting) return;
    this.starting = true;
    try {
      const url = readStartUrl(await this.api.post<unknown>(startUrlPath(interview.id)));
      window.open(url, "_blank", "noopener");
    } catch (error) {
      if (error instanceof TsunaguApiError && error.status === 403) this.startRefused = true;
      else if (!isAbortError(error)) {
        this.toasts.show("error", this.localize.errorMessage(error));
        this.report(error);
      }
    } finally {
      this.starting = false;
    }
  }

  private async cancelInterview(): Promise<void> {
    const interview = this.interview;
    if (!interview || this.action) return;
    this.action = "cancel";
    this.actionError = undefined;
    try {
      const body = await this.api.delete<unknown>(interviewPath(interview.id));
      const cancelled =
        body === undefined
          ? { ...interview, status: "cancelled" as const }
          : readInterview(body, "DELETE /v1/interviews/:id");
      this.cancelDialog.close({ restoreFocus: false });
      this.showResult(cancelled, "changed");
      this.dispatchEvent(new TsunaguInterviewCancelledEvent({ interview: cancelled }));
    } catch (error) {
      if (isAbortError(error)) return;
      this.actionError = error;
      this.report(error);
    } finally {
      this.action = undefined;
    }
  }

  private async copy(text: string): Promise<void> {
    try {
      await navigator.clipboard.writeText(text);
      this.toasts.show("success", this.localize.term("copied"));
    } catch {
      // The page may not allow the clipboard (an iframe without the permission): say how to copy by hand.
      this.toasts.show("error", this.localize.term("copyFailed"));
    }
  }

  private report(error: unknown): void {
    this.dispatchEvent(new TsunaguErrorEvent({ error: asApiError(error) }));
  }

  // ── Rendering ──────────────────────────────────────────────────────────

  override render(): TemplateResult {
    const { localize } = this;
    const editing = this.interview !== undefined && this.interview.status !== "cancelled";
    return html`<div part="base" class="base" lang=${localize.language} aria-busy=${this.action ? "true" : "false"}>
      <h2 part="heading" id="heading">${localize.term(editing || this.interviewId ? "editHeading" : "scheduleHeading")}</h2>
      ${this.renderBody()}
      ${this.action ? html`<p part="progress" role="status" class="progress">${localize.term("inProgress", this.action)}</p>` : nothing}
      ${this.renderCancelDialog()}
      ${renderToastStack(this.toasts, { lang: localize.language, dismissLabel: localize.term("dismiss") })}
    </div>`;
  }

  private renderBody(): TemplateResult {
    const { localize } = this;
    if (this.interviewId && !this.interview) {
      if (this.interviewError)
        return html`<div part="error" class="error" role="alert">
          <p>${localize.term("interviewLoadFailed")} ${localize.errorMessage(this.interviewError)}</p>
          ${renderButton({ label: localize.term("retry"), onClick: () => void this.loadInterview() })}
        </div>`;
      return html`<p part="loading" role="status">${localize.term("interviewLoading")}</p>`;
    }
    if (this.view === "result" && this.interview) return this.renderResultView(this.interview);
    if (this.view === "summary") return this.renderSummary();
    return this.renderForm();
  }

  private renderForm(): TemplateResult {
    const { localize } = this;
    const model = this.week();
    const names = this.names();
    const first = this.firstDay();
    const last = this.lastDay();
    return html`<div class="form">
      <div part="controls" class="controls">
        ${this.renderText("title", "titleLabel", this.titleText, (value) => {
          this.titleText = value;
          this.edited.title = true;
        })}
        ${this.renderText("candidate-name", "candidateNameLabel", this.candidateName, (value) => {
          this.candidateName = value;
          this.edited.name = true;
        })}
        ${this.renderText(
          "candidate-email",
          "candidateEmailLabel",
          this.candidateEmail,
          (value) => {
            this.candidateEmail = value;
            this.edited.email = true;
          },
          "email",
        )}
        <label class="field"><span>${localize.term("durationLabel")}</span>
          <select id="duration" @change=${(event: Event) => {
            this.duration = Number((event.target as HTMLSelectElement).value);
          }}>
            ${[...new Set([...durations, Number(this.duration)])]
              .sort((a, b) => a - b)
              .map(
                (minutes) =>
                  html`<option value=${minutes} ?selected=${minutes === Number(this.duration)}>${localize.term("minutes", minutes)}</option>`,
              )}
          </select>
        </label>
        ${this.renderInput("range-start", "rangeStartLabel", "date", first, (value) => {
          this.rangeStart = value;
        })}
        ${this.renderInput("range-end", "rangeEndLabel", "date", last, (value) => {
          this.rangeEnd = value;
        })}
        ${this.renderInput("hours-start", "hoursStartLabel", "time", this.hoursStart, (value) => {
          this.hoursStart = value;
        })}
        ${this.renderInput("hours-end", "hoursEndLabel", "time", this.hoursEnd, (value) => {
          this.hoursEnd = value;
        })}
      </div>
      <p part="zone" class="muted">${localize.term("timeZoneNote", localize.timeZone)}</p>
      <h3 id="interviewers-heading">${localize.term("interviewersLabel")}</h3>
      ${
        this.interviewers.length === 0
          ? html`<p part="notice" class="muted">${localize.term("noInterviewers")}</p>`
          : renderPeople(localize, names, [...names.keys()], this.phase === "ready" ? (this.answer?.people ?? []) : [])
      }
      <h3 id="slots-heading">${localize.term("slotsHeading")}</h3>
      ${this.renderSlots(model, names, first, last)}
      ${this.renderCalendarAccount()}
      <label class="check">
        <input type="checkbox" id="web-interview" .checked=${this.webInterview} @change=${(event: Event) => {
          this.webInterview = (event.target as HTMLInputElement).checked;
        }} />
        ${localize.term("webInterviewLabel")}
      </label>
      ${
        this.webInterview
          ? html`<zoom-host-picker
              .server=${this.server}
              .token=${this.token}
              .tokenProvider=${this.tokenProvider}
              .locale=${this.locale}
              .timeZone=${this.timeZone}
              .start=${this.chosen?.start ?? null}
              .end=${this.chosen?.end ?? null}
              .participants=${this.interviewers.map((person) => person.id)}
              .value=${this.zoomHost?.zoomUserId ?? ""}
              @tsunagu-zoom-host-changed=${(event: TsunaguZoomHostChangedEvent) => {
                const { zoomUserId, displayName } = event.detail;
                this.zoomHost = zoomUserId ? { zoomUserId, displayName } : undefined;
              }}
            ></zoom-host-picker>`
          : nothing
      }
      ${this.remindChoose ? html`<p part="notice" role="alert" class="error">${localize.term("chooseSlotFirst")}</p>` : nothing}
      ${this.renderActionError()}
      <div class="actions">
        ${renderButton({ label: localize.term("review"), tone: "primary", data: { review: true }, onClick: () => this.review() })}
        ${
          this.interview && this.interview.status !== "cancelled"
            ? renderButton({
                label: localize.term("cancelInterview"),
                tone: "danger",
                data: { "cancel-interview": true },
                onClick: (trigger) => void this.openCancel(trigger),
              })
            : nothing
        }
      </div>
    </div>`;
  }

  private renderText(
    id: string,
    label: "titleLabel" | "candidateNameLabel" | "candidateEmailLabel",
    value: string,
    set: (value: string) => void,
    type = "text",
  ): TemplateResult {
    const locked = this.interview !== undefined && id !== "title";
    return html`<label class="field"><span>${this.localize.term(label)}</span>
      <input id=${id} type=${type} .value=${value} ?readonly=${locked} @input=${(event: Event) => set((event.target as HTMLInputElement).value)} />
    </label>`;
  }

  private renderInput(
    id: string,
    label: "rangeStartLabel" | "rangeEndLabel" | "hoursStartLabel" | "hoursEndLabel",
    type: "date" | "time",
    value: string,
    set: (value: string) => void,
  ): TemplateResult {
    return html`<label class="field"><span>${this.localize.term(label)}</span>
      <input id=${id} type=${type} .value=${value} step=${type === "time" ? 1800 : nothing}
        @change=${(event: Event) => {
          const input = (event.target as HTMLInputElement).value;
          if (input) set(input);
        }} />
    </label>`;
  }

  private renderSlots(model: WeekModel, names: Map<string, string>, first: string, last: string): TemplateResult {
    const { localize } = this;
    const status =
      this.phase === "loading"
        ? localize.term("slotsLoading")
        : this.phase === "ready"
          ? localize.term("slotsLoaded", this.answer?.slots.length ?? 0)
          : "";
    const label = localize.term(
      "weekLabel",
      dayLabel(localize, model.days[0] ?? first),
      dayLabel(localize, model.days.at(-1) ?? last),
    );
    const focus = {
      row: Math.min(this.focusCell.row, Math.max(0, model.rows.length - 1)),
      column: Math.min(this.focusCell.column, Math.max(0, model.days.length - 1)),
    };
    return html`<p part="loading" role="status" class=${this.phase === "loading" ? "muted" : "visually-hidden"}>${status}</p>
      ${this.phase === "idle" ? html`<p part="notice" class="muted">${localize.term("slotsNeedInput")}</p>` : nothing}
      ${
        this.phase === "failed"
          ? html`<div part="error" class="error" role="alert">
              <p>${localize.term("slotsLoadFailed")} ${localize.errorMessage(this.loadError)}</p>
              ${renderButton({ label: localize.term("retry"), onClick: () => void this.refresh() })}
            </div>`
          : nothing
      }
      ${this.phase === "ready" && this.answer?.slots.length === 0 ? html`<p part="notice">${localize.term("slotsNone")}</p>` : nothing}
      <div part="week-nav" class="week-nav">
        <span id="week-label">${label}</span>
        ${
          this.weekStart > first
            ? renderButton({
                label: localize.term("previousWeek"),
                data: { "previous-week": true },
                onClick: () => this.moveWeek(-7),
              })
            : nothing
        }
        ${
          addDays(this.weekStart, 7) <= last
            ? renderButton({
                label: localize.term("nextWeek"),
                data: { "next-week": true },
                onClick: () => this.moveWeek(7),
              })
            : nothing
        }
      </div>
      <div class="week-scroll" aria-busy=${this.phase === "loading" ? "true" : "false"}>
        ${renderWeekGrid({
          localize,
          model,
          names,
          focus,
          chosen: this.chosen?.start,
          labelledBy: "week-label",
          choose: (cell, at, target) => this.chooseCell(cell, at, target),
          keydown: (event) => this.onGridKeydown(event, model),
        })}
      </div>`;
  }

  private renderCalendarAccount(): TemplateResult | typeof nothing {
    const { localize } = this;
    const accounts = this.accounts;
    if (!accounts) return nothing;
    if (accounts.length === 0) return html`<p part="notice" class="error">${localize.term("calendarAccountNone")}</p>`;
    return html`<label class="field"><span>${localize.term("calendarAccountLabel")}</span>
      <select id="calendar-account" ?disabled=${this.interview !== undefined} @change=${(event: Event) => {
        this.calendarAccountId = (event.target as HTMLSelectElement).value;
      }}>
        ${accounts.map(
          (account) =>
            html`<option value=${account.id} ?selected=${account.id === this.calendarAccountId}>
              ${localize.term("providerName", account.provider)}: ${account.email ?? account.displayName}
            </option>`,
        )}
      </select>
    </label>`;
  }

  /** The last action's failure, where it happened: in the cancel dialog while that is open, else in the form. */
  private renderActionError(inDialog = false): TemplateResult | typeof nothing {
    if (!this.actionError || inDialog !== this.cancelDialog.open) return nothing;
    const { localize } = this;
    return html`<div part="error" class="error" role="alert">
      <p>${localize.term("bookFailed")} ${localize.errorMessage(this.actionError)}</p>
      <p>${localize.term("inputKept")}</p>
    </div>`;
  }

  private renderSummary(): TemplateResult {
    const { localize } = this;
    const chosen = this.chosen as { start: string; end: string };
    const names = this.names();
    const cell = this.cellAt(chosen.start);
    const account = this.accounts?.find((candidate) => candidate.id === this.calendarAccountId);
    const warnings = [
      ...(cell && !cell.free && cell.busy.length
        ? [localize.term("pickedBusy", namesOf(localize, names, cell.busy))]
        : []),
      ...(cell?.daysOff ?? []).map((off) => dayOffText(localize, off)),
      ...(cell?.unconfirmed.length
        ? [localize.term("unconfirmedFor", namesOf(localize, names, cell.unconfirmed))]
        : []),
    ];
    const editing = this.interview !== undefined;
    return html`<section part="summary" class="summary" aria-labelledby="summary-heading">
      <h3 id="summary-heading" tabindex="-1">${localize.term("summaryHeading")}</h3>
      <dl>
        <dt>${localize.term("titleLabel")}</dt><dd>${this.titleText}</dd>
        <dt>${localize.term("whenLabel")}</dt><dd>${this.when(chosen.start, chosen.end)}</dd>
        <dt>${localize.term("interviewersLabel")}</dt><dd>${namesOf(localize, names, [...names.keys()])}</dd>
        <dt>${localize.term("candidateLabel")}</dt><dd>${this.candidateName} &lt;${this.candidateEmail}&gt;</dd>
        <dt>${localize.term("calendarAccountLabel")}</dt>
        <dd>${account ? `${localize.term("providerName", account.provider)}: ${account.email ?? account.displayName}` : "—"}</dd>
        <dt>${localize.term("webInterviewLabel")}</dt>
        <dd>${
          this.webInterview
            ? (this.zoomHost?.displayName ?? this.zoomHost?.zoomUserId ?? localize.term("zoomHostAuto"))
            : localize.term("webInterviewNone")
        }</dd>
      </dl>
      ${warnings.map((warning) => html`<p>${renderBadge(warning, "warning", "warning")}</p>`)}
      ${this.renderActionError()}
      <div class="actions">
        ${renderButton({
          label: localize.term("back"),
          waiting: this.action !== undefined,
          data: { back: true },
          onClick: () => {
            this.view = "form";
          },
        })}
        ${renderButton({
          label: localize.term(editing ? "saveChanges" : "confirm"),
          tone: "primary",
          waiting: this.action !== undefined,
          data: { confirm: true },
          onClick: () => void this.confirm(),
        })}
      </div>
    </section>`;
  }

  private renderResultView(interview: InterviewView): TemplateResult {
    return renderResult({
      localize: this.localize,
      interview,
      outcome: this.outcome,
      message: this.message,
      startRefused: this.startRefused,
      starting: this.starting,
      when: this.when(interview.start, interview.end),
      copy: (text) => void this.copy(text),
      start: () => void this.startMeeting(),
      edit: () => {
        this.startEditing(interview);
        this.view = "form";
      },
      cancel: (trigger) => void this.openCancel(trigger),
    });
  }

  private async openCancel(trigger: HTMLElement): Promise<void> {
    this.actionError = undefined;
    await this.cancelDialog.show(() => trigger.focus());
  }

  private renderCancelDialog(): TemplateResult {
    const { localize } = this;
    return this.cancelDialog.render({
      lang: localize.language,
      labelledBy: "cancel-title",
      describedBy: "cancel-lead",
      busy: this.action === "cancel",
      content: html`<h2 id="cancel-title">${localize.term("cancelTitle")}</h2>
        <p id="cancel-lead">${localize.term("cancelLead")}</p>
        ${this.action === "cancel" ? html`<p role="status">${localize.term("inProgress", "cancel")}</p>` : nothing}
        ${this.renderActionError(true)}
        <div class="dialog-actions">
          ${renderButton({
            label: localize.term("keepInterview"),
            waiting: this.action === "cancel",
            autofocus: true,
            onClick: () => this.cancelDialog.close(),
          })}
          ${renderButton({
            label: localize.term("cancelConfirm"),
            tone: "danger-solid",
            waiting: this.action === "cancel",
            data: { "confirm-cancel": true },
            onClick: () => void this.cancelInterview(),
          })}
        </div>`,
    });
  }

  /** "12月3日(水) 10:00〜11:00" in the viewer's zone. */
  private when(start: string, end: string): string {
    const { localize } = this;
    const day = localize.date(start, { month: "long", day: "numeric", weekday: "short" });
    const clock = { hour: "numeric", minute: "2-digit" } as const;
    return `${day} ${localize.time(start, clock)}–${localize.time(end, clock)} (${localize.timeZone})`;
  }

  private cellAt(start: string): WeekCell | undefined {
    const zone = this.localize.timeZone;
    const day = dateIn(Date.parse(start), zone);
    const model = buildWeek({
      answer: this.answer,
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
