import { html, LitElement, type nothing, type PropertyValues, type TemplateResult } from "lit";
import { TsunaguErrorEvent } from "../events/tsunagu-error.ts";
import { TsunaguZoomHostChangedEvent } from "../events/tsunagu-zoom-host-changed.ts";
import { ApiClientController } from "../shared/api-client-controller.ts";
import { asApiError } from "../shared/api-error.ts";
import { buttonStyles, renderButton } from "../shared/button.ts";
import { cardStyles, renderCardSkeleton } from "../shared/card.ts";
import { FormAssociated, type FormValueSource } from "../shared/form-associated.ts";
import { tokenIdentity } from "../shared/host-token-claims.ts";
import { type HostTokenProvider, HostTokenController } from "../shared/host-token-controller.ts";
import { LocalizeController } from "../shared/localize-controller.ts";
import { refocus } from "../shared/refocus.ts";
import { QueryController } from "../shared/query-controller.ts";
import { themeStyles } from "../shared/theme.ts";
import { renderCandidateList } from "./candidate-list.ts";
import { moveWithin, type RadioKey, radioKey } from "./radio-keys.ts";
import { zoomHostPickerStyles } from "./styles.ts";
import {
  readZoomHostsAnswer,
  type ZoomHostCandidate,
  type ZoomHostsAnswer,
  type ZoomHostsQuery,
  zoomHostsPath,
} from "./zoom-hosts-api.ts";

/** How many outlines the first paint shows while the candidates load. */
const skeletonCards = 2;

/** Inputs whose change asks the server again (after the debounce). */
const queryInputs = ["start", "end", "participants", "interviewId", "server", "locale"] as const;

/**
 * Participants as an attribute: portal user ids separated by spaces or
 * commas (`participants="u_ken u_hanako"`); as a property, an array.
 */
const participantsConverter = {
  fromAttribute: (value: string | null): string[] => (value ?? "").split(/[\s,]+/).filter(Boolean),
  toAttribute: (value: readonly string[]): string => value.join(" "),
};

/**
 * Changed in value, not only in identity: a page (or `<schedule-interview>`, or React) that sets an equal array or
 * Date on each of its renders must not make the element ask again, its live region saying so each time.
 */
const changedInValue = (value: unknown, old: unknown): boolean => JSON.stringify(value) !== JSON.stringify(old);

/**
 * @summary Chooses the Zoom user that hosts a web interview. Given the
 * interview's start, end and participants, it lists the linked Zoom users
 * that could host it (the participants' own first, then the organisation's
 * shared ones), says which can and why the others cannot (busy at that time,
 * needs linking again, a Basic user and a meeting over 40 minutes), and
 * preselects the server's pick with its reason. Given `interview-id` (an
 * interview being changed), that interview's own meeting does not count
 * against its host. It is a form control: its
 * `name` and value (the chosen `zoomUserId`) submit with a plain `<form>`.
 *
 * It asks the server again when its inputs change, once they have stopped
 * changing for `debounce` milliseconds, and drops (aborts) an answer that a
 * newer question made stale. A person's choice stays across refreshes while
 * that Zoom user can still host; otherwise the server's pick takes its place.
 * An empty value means no host is chosen: none can host, the candidates could
 * not be loaded, or no start and end are set yet (the interview API then
 * picks itself when given `zoom: {}`).
 *
 * Keyboard: one Tab stop (the chosen host, else the first that can host);
 * arrow keys move to the next or previous host that can host and choose it,
 * Home and End to the first and last; Space chooses the focused one. Hosts
 * that cannot host stay in the list, with their reason, for everyone to read.
 * When the page changes the inputs while the focus is in the element, the
 * focus stays on the same host if the new answer still shows it; else it goes
 * to a failure's retry (the failure is announced as an alert), else to the
 * host Tab reaches, else it waits on the label until one of those is shown.
 *
 * @event tsunagu-zoom-host-changed - The value changed: `detail: {zoomUserId, displayName, auto}`; `auto` is false when
 * a person chose.
 * @event change - A person chose another host (as native form controls fire it).
 * @event tsunagu-error - Loading the candidates failed; the element shows the failure itself. `detail: {error}`.
 * @event tsunagu-token-expired - The server refused the host token and no `tokenProvider` could replace it.
 *
 * Parts marked (shared) mean the same in every Tsunagu element.
 *
 * @csspart base - The wrapper of everything the element renders.
 * @csspart label - The picker's visible label ("Zoom host"); the focus waits there when what had it went away.
 * @csspart list - The radio group of candidates.
 * @csspart card - (shared) A candidate's card; also `candidate-card`, and `selected` on the chosen one or `unavailable`
 * on one that cannot host.
 * @csspart candidate-name - A candidate's name.
 * @csspart badge - (shared) Every badge; also `status-badge` with `status-available` or `status-<reason>`
 * (`status-busy`, `status-needs_reauth`, `status-basic_user_time_limit`, `status-unavailable` for a reason this version
 * does not know), or `pick-badge` on the server's pick.
 * @csspart status-reason - Why a candidate cannot host.
 * @csspart load - The meetings it already hosts at that time, against its limit.
 * @csspart pick-reason - The server's reason for its pick.
 * @csspart notice - (shared) What to do first: set the time, or that nobody can host then.
 * @csspart empty - No Zoom user is linked in the organisation.
 * @csspart status - The live region that announces the result (visible while refreshing).
 * @csspart error - (shared) The load failure and what to do; `button` its retry.
 * @csspart button - (shared) Every button.
 * @csspart loading - (shared) The loading message, for screen readers; `skeleton` the outline shown meanwhile.
 *
 * @cssproperty --tsunagu-card-min-width - (shared) The narrowest a candidate's card gets before the grid wraps.
 * Default: 17rem.
 * @cssproperty --tsunagu-card-background - (shared) Card background. Default: the surface colour.
 * @cssproperty --tsunagu-card-shadow - (shared) Card shadow. Default: none.
 * @cssproperty --tsunagu-color-accent - (shared) The chosen card's border and mark, and the other `--tsunagu-*` theme
 * properties (src/shared/theme.ts): every one is shared.
 */
export class ZoomHostPicker extends FormAssociated(LitElement) implements FormValueSource {
  static override styles = [themeStyles, buttonStyles, cardStyles, zoomHostPickerStyles];
  static override properties = {
    server: {},
    token: {},
    tokenProvider: { attribute: false },
    locale: {},
    timeZone: { attribute: "time-zone" },
    start: { hasChanged: changedInValue },
    end: { hasChanged: changedInValue },
    participants: { converter: participantsConverter, hasChanged: changedInValue },
    interviewId: { attribute: "interview-id" },
    debounce: { type: Number },
    label: {},
    linkPlace: { attribute: "link-place" },
    selected: { attribute: false },
    announced: { attribute: false },
  };

  /** Base URL of the Tsunagu server. */
  server: string | null = null;
  /** A host token the page renews itself… */
  token: string | null = null;
  /** …or a callback the element calls for a fresh one (preferred). */
  tokenProvider: HostTokenProvider | null = null;
  /**
   * `ja` or `en`; otherwise the element's `lang`, the token's `locale`, then the document's `lang`. With neither
   * `locale` nor `lang`, a `tokenProvider` is called on the first update, before a time is set, for that claim.
   */
  locale: string | null = null;
  /** IANA zone (for the language's formats); otherwise the token's `tz`, then the browser's. */
  timeZone: string | null = null;
  /** The interview's start: an ISO 8601 instant (or a `Date`, as a property). */
  start: string | Date | null = null;
  /** The interview's end, after `start`. */
  end: string | Date | null = null;
  /** Portal user ids of the interviewers; the attribute separates them with spaces or commas. */
  participants: string[] = [];
  /**
   * The id of the interview being changed, if any: its own Zoom meeting does not count against its host, so the
   * interview can keep its time while its people or title change.
   */
  interviewId: string | null = null;
  /** Milliseconds the inputs must stay unchanged before the element asks the server. Default 300. */
  debounce = 300;
  /** Overrides the visible label ("Zoom 主催者" / "Zoom host"). */
  label: string | null = null;
  /**
   * Where the page's people link their Zoom users, as the advice names it after で / "in" (default "連携設定" / "the
   * integration settings"): a page that is itself that place says where on it, e.g. "上の「アカウント連携」".
   */
  linkPlace: string | null = null;

  private selected = "";
  /** What the live region says once an answer is in: counted then, not on every arrow key (focus says that). */
  private announced: { count: number; chosen: string | undefined } | undefined;

  readonly #hostToken = new HostTokenController(this);
  readonly #api = new ApiClientController(this, this.#hostToken);
  readonly #localize = new LocalizeController(this, { claims: () => this.#hostToken.claims });
  /** The candidates for the inputs' time: idle without one, loading, ready, or failed (no answer kept). */
  readonly #hosts = new QueryController<ZoomHostsQuery, ZoomHostsAnswer>(this, {
    question: () => this.#query(),
    ask: async (query, signal) => {
      // The pick's reason is a sentence in the caller's language, which the token's `locale` may decide.
      await this.#fetchTokenForLanguage();
      return readZoomHostsAnswer(
        await this.#api.get<unknown>(zoomHostsPath(query), {
          signal,
          headers: { "Accept-Language": this.#localize.language },
        }),
      );
    },
    debounce: () => Number(this.debounce),
    keepOnFailure: false,
    failed: (error) => this.#report(error),
    settled: () => {
      this.#changeSelection(this.#resolveSelection(), true);
      const count = this.candidates.length;
      this.announced = count > 0 ? { count, chosen: this.selectedCandidate?.displayName } : undefined;
    },
  });
  /** The token fetched for its `locale` claim, before any question needs it (`#fetchTokenForLanguage`). */
  #tokenForLanguage: { provider: HostTokenProvider; fetched: Promise<void> } | undefined;
  /** A person's (or the page's) choice: kept across refreshes while that Zoom user can host. */
  #preferred: string | undefined;
  #loadedIdentity: string | undefined;
  /** The language the candidates were last asked in: the pick's reason is a sentence in it. */
  #askedLanguage: string | undefined;
  /** What had the focus in the element when a render began (a host's radio by its id), or undefined when nothing. */
  #focusBefore: { zoomUserId: string | undefined } | undefined;
  /** Set while the focus waits on the label, having lost what had it: the host it goes back to, when there was one. */
  #parked: { zoomUserId: string | undefined } | undefined;

  /** The chosen Zoom user's id, or "" when none is. Set it to choose one (no event fires, as on native controls). */
  get value(): string {
    return this.selected;
  }

  set value(zoomUserId: string) {
    this.#preferred = zoomUserId || undefined;
    this.selected = this.#resolveSelection();
  }

  /** The chosen candidate as the server described it, or undefined. */
  get selectedCandidate(): ZoomHostCandidate | undefined {
    return this.#hosts.answer?.candidates.find((candidate) => candidate.zoomUserId === this.selected);
  }

  /** The candidates of the last answer (empty before one arrives, or after a failure). */
  get candidates(): readonly ZoomHostCandidate[] {
    return this.#hosts.answer?.candidates ?? [];
  }

  // ── What the form sees (FormAssociated) ────────────────────────────────

  get formValue(): string {
    return this.selected;
  }

  get valueMissingMessage(): string {
    return this.#localize.term("zoomHostRequired");
  }

  get validationAnchor(): HTMLElement | undefined {
    return this.#tabStop() ?? undefined;
  }

  formResetCallback(): void {
    this.#preferred = undefined;
    this.#changeSelection(this.#resolveSelection(), true);
  }

  formStateRestoreCallback(restored: string | File | FormData | null): void {
    this.#preferred = typeof restored === "string" && restored !== "" ? restored : undefined;
    this.selected = this.#resolveSelection();
  }

  /** Focuses the chosen host, else the first that can host. */
  override focus(options?: FocusOptions): void {
    const target = this.#tabStop();
    if (target) target.focus(options);
    else super.focus(options);
  }

  // ── Asking the server ──────────────────────────────────────────────────

  override connectedCallback(): void {
    super.connectedCallback();
    // Back on the page after a move (its requests were aborted when it left, its token forgotten): ask again.
    this.#tokenForLanguage = undefined;
    if (this.hasUpdated) {
      void this.#fetchTokenForLanguage();
      this.#hosts.schedule();
    }
  }

  /**
   * Fetches the token from the `tokenProvider` when its `locale` claim decides the language (no `locale` or `lang`
   * on the element) and no question has fetched it yet: without a start and an end the picker asks the server
   * nothing, and would speak the page's `lang` beside `<integration-accounts>` and `<schedule-interview>`, which
   * fetch theirs for their first request and speak the token's. Only the portal's token endpoint is called, once
   * per provider; the first question reuses the token. Resolves when it is in, or could not be had: the page's
   * language stands then, and the first question asks the provider again and shows its failure.
   */
  #fetchTokenForLanguage(): Promise<void> {
    const provider = this.tokenProvider;
    if (typeof provider !== "function" || this.#localize.hasOwnLanguage || this.#hostToken.claims)
      return Promise.resolve();
    if (this.#tokenForLanguage?.provider !== provider) {
      const fetched = this.#hostToken.getToken().then(
        () => undefined,
        () => undefined,
      );
      this.#tokenForLanguage = { provider, fetched };
    }
    return this.#tokenForLanguage.fetched;
  }

  /** Renders only once the language's table has loaded (LocalizeController); `updateComplete` includes the wait. */
  protected override async scheduleUpdate(): Promise<void> {
    await this.#localize.ready();
    super.scheduleUpdate();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    // As early as the other elements fetch their token: on the first update (or once the token decides again).
    void this.#fetchTokenForLanguage();
    // The language may change with no property changing (the `lang` attribute, the document's, the token's claim):
    // the pick's reason must then be asked for again in it, not left in the old one beside the new words.
    const language = this.#localize.language;
    const languageChanged = language !== this.#askedLanguage;
    this.#askedLanguage = language;
    if (
      !this.hasUpdated ||
      languageChanged ||
      queryInputs.some((input) => changed.has(input)) ||
      changed.has("tokenProvider")
    ) {
      this.#loadedIdentity = this.tokenProvider ? undefined : tokenIdentity(this.#hostToken.claims);
      this.#hosts.schedule();
      return;
    }
    if (changed.has("token")) {
      // A renewed token of the same person changes nothing, unless the last one was refused;
      // another person's gets their own candidates.
      const identity = tokenIdentity(this.#hostToken.claims);
      if (identity !== this.#loadedIdentity || this.#hosts.phase === "failed") {
        this.#loadedIdentity = identity;
        this.#hosts.schedule();
      }
    }
  }

  /** Asks the server again now, without waiting for the debounce. */
  refresh(): Promise<void> {
    return this.#hosts.refresh();
  }

  /** The question the inputs make, or undefined while start or end is missing or not a time. */
  #query(): ZoomHostsQuery | undefined {
    const start = toInstant(this.start);
    const end = toInstant(this.end);
    if (!start || !end || Date.parse(end) <= Date.parse(start)) return undefined;
    return {
      start,
      end,
      participants: Array.isArray(this.participants)
        ? this.participants
        : participantsConverter.fromAttribute(String(this.participants ?? "")),
      ...(this.interviewId ? { interviewId: this.interviewId } : {}),
    };
  }

  // ── Choosing ───────────────────────────────────────────────────────────

  /**
   * The value the current answer allows: the preferred host while it can
   * host, else the server's pick. Before the first answer, the preferred one
   * (the page may set it before the candidates arrive); after a failure or
   * without a time, none.
   */
  #resolveSelection(): string {
    if (this.#hosts.phase === "idle" || this.#hosts.phase === "failed") return "";
    const answer = this.#hosts.answer;
    if (!answer) return this.#preferred ?? "";
    if (
      this.#preferred &&
      answer.candidates.some((candidate) => candidate.zoomUserId === this.#preferred && candidate.canHost)
    )
      return this.#preferred;
    if (this.#hosts.phase === "ready") this.#preferred = undefined;
    return answer.pick?.zoomUserId ?? "";
  }

  #changeSelection(zoomUserId: string, auto: boolean): void {
    if (zoomUserId === this.selected) return;
    this.selected = zoomUserId;
    const displayName = this.selectedCandidate?.displayName ?? null;
    if (!auto) this.dispatchEvent(new Event("change", { bubbles: true }));
    this.dispatchEvent(new TsunaguZoomHostChangedEvent({ zoomUserId: zoomUserId || null, displayName, auto }));
  }

  #choose(candidate: ZoomHostCandidate, radio: HTMLElement | undefined): void {
    if (!candidate.canHost || this.effectivelyDisabled) return;
    this.#preferred = candidate.zoomUserId;
    this.#changeSelection(candidate.zoomUserId, false);
    radio?.focus();
  }

  #onKeydown(event: KeyboardEvent): void {
    const key = radioKey(event);
    if (!key || this.effectivelyDisabled) return;
    const candidates = this.candidates;
    const radios = [...this.renderRoot.querySelectorAll<HTMLElement>('[role="radio"]')];
    const current = radios.indexOf(event.target as HTMLElement);
    if (current < 0) return;
    event.preventDefault();
    const target =
      key === "choose"
        ? current
        : moveWithin(
            candidates.map((candidate) => candidate.canHost),
            current,
            key as Exclude<RadioKey, "choose">,
          );
    const candidate = target === undefined ? undefined : candidates[target];
    if (candidate && target !== undefined) this.#choose(candidate, radios[target]);
  }

  /** The one radio Tab reaches: the chosen host, else the first that can host, else the first. */
  #tabStop(): HTMLElement | null {
    return this.renderRoot.querySelector<HTMLElement>('[role="radio"][tabindex="0"]');
  }

  #tabStopIndex(): number {
    const candidates = this.candidates;
    const chosen = candidates.findIndex((candidate) => candidate.zoomUserId === this.selected);
    if (chosen >= 0) return chosen;
    const hostable = candidates.findIndex((candidate) => candidate.canHost);
    return hostable >= 0 ? hostable : 0;
  }

  // ── Keeping the focus ──────────────────────────────────────────────────

  protected override update(changed: PropertyValues<this>): void {
    const active = this.shadowRoot?.activeElement as HTMLElement | null | undefined;
    this.#focusBefore = active ? { zoomUserId: active.dataset.zoomUserId } : undefined;
    if (active?.id !== "label") this.#parked = undefined;
    super.update(changed);
  }

  protected override updated(changed: PropertyValues<this>): void {
    super.updated(changed);
    this.#keepFocus();
  }

  /**
   * A render (a new answer, a failure, the outline while one loads, the notice when the inputs make no question)
   * took away what had the focus, or gave its card to another host: the focus goes to that host if still shown, else
   * the failure's retry, else the host Tab reaches; with none of them, it waits on the label and goes on to one once
   * shown. The retry, which goes with its failure, lands the same way. Not when the focus was not in the element.
   */
  #keepFocus(): void {
    const before = this.#focusBefore;
    this.#focusBefore = undefined;
    if (!before) return;
    const root = this.renderRoot as ShadowRoot;
    const active = root.activeElement as HTMLElement | null;
    const label = root.querySelector<HTMLElement>("#label");
    const waiting = this.#parked !== undefined && active !== null && active === label;
    // Still where it was: the same host's radio, or another control (the retry) still shown.
    if (active && !waiting && active.dataset.zoomUserId === before.zoomUserId) return;
    const host = waiting ? this.#parked?.zoomUserId : before.zoomUserId;
    const radio = host
      ? root.querySelector<HTMLElement>(`[role="radio"][data-zoom-user-id="${CSS.escape(host)}"]`)
      : null;
    const target = radio ?? root.querySelector<HTMLElement>('[part~="error"] button') ?? this.#tabStop();
    if (active) {
      // In the element, but on the label it waits on or on the card another host now has.
      target?.focus();
      if (target) this.#parked = undefined;
      return;
    }
    refocus(this, target, label);
    if (label && root.activeElement === label) this.#parked = { zoomUserId: host };
  }

  // ── Rendering ──────────────────────────────────────────────────────────

  override render(): TemplateResult {
    const localize = this.#localize;
    const { phase, answer } = this.#hosts;
    const refreshing = phase === "loading" && answer !== undefined;
    // The list a new answer replaces is busy, not the element: the status line's live region must not be inside.
    return html`<div part="base" lang=${localize.language}>
      <p id="label" part="label" class="label" tabindex="-1">${this.label || localize.term("zoomHostLabel")}</p>
      <p part="status" role="status"
        class=${refreshing ? "muted refreshing" : "visually-hidden"}>${this.#statusText(refreshing)}</p>
      <div class="body" aria-busy=${refreshing ? "true" : "false"}>${this.#renderBody()}</div>
    </div>`;
  }

  #statusText(refreshing: boolean): string {
    if (refreshing) return this.#localize.term("zoomHostsLoading");
    if (this.#hosts.phase !== "ready" || !this.announced) return "";
    return this.#localize.term("zoomHostsLoaded", this.announced.count, this.announced.chosen);
  }

  #renderBody(): TemplateResult | typeof nothing {
    const localize = this.#localize;
    if (this.#hosts.phase === "idle")
      return html`<p part="notice" class="muted">${localize.term("zoomHostsNeedTime")}</p>`;
    if (this.#hosts.phase === "failed") {
      return html`<div class="error load-error" part="error" role="alert">
        <p>${localize.failure(localize.term("zoomHostsLoadFailed"), this.#hosts.error)}</p>
        ${renderButton({ label: localize.term("retry"), onClick: () => void this.refresh() })}
      </div>`;
    }
    const answer = this.#hosts.answer;
    if (!answer) return renderCardSkeleton(skeletonCards, localize.term("zoomHostsLoading"));
    const linkPlace = this.linkPlace || localize.term("zoomLinkPlace");
    if (answer.candidates.length === 0)
      return html`<p part="empty" class="muted">${localize.term("zoomHostsNone", linkPlace)}</p>`;
    const disabled = this.effectivelyDisabled;
    return renderCandidateList({
      localize,
      answer,
      linkPlace,
      selected: this.selected,
      required: this.required,
      disabled,
      tabStop: disabled ? undefined : this.#tabStopIndex(),
      labelledBy: "label",
      choose: (candidate, radio) => this.#choose(candidate, radio),
      keydown: (event) => this.#onKeydown(event),
    });
  }

  #report(error: unknown): void {
    this.dispatchEvent(new TsunaguErrorEvent({ error: asApiError(error) }));
  }
}

/** An ISO instant from a string or a Date, or undefined when it is not a time. */
function toInstant(value: string | Date | null | undefined): string | undefined {
  if (value === null || value === undefined || value === "") return undefined;
  const time = value instanceof Date ? value.getTime() : Date.parse(value);
  return Number.isFinite(time) ? new Date(time).toISOString() : undefined;
}
