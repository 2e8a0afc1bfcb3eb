import { html, LitElement, nothing, type PropertyValues, type TemplateResult } from "lit";
import { TsunaguErrorEvent } from "../events/tsunagu-error.ts";
import { TsunaguLinkedEvent } from "../events/tsunagu-linked.ts";
import { TsunaguUnlinkRequestEvent } from "../events/tsunagu-unlink-request.ts";
import { TsunaguUnlinkedEvent } from "../events/tsunagu-unlinked.ts";
import { ApiClientController } from "../shared/api-client-controller.ts";
import { asApiError, isAbortError, TsunaguApiError } from "../shared/api-error.ts";
import { buttonStyles, renderButton } from "../shared/button.ts";
import { cardStyles, renderCardSkeleton } from "../shared/card.ts";
import { DialogController, dialogStyles } from "../shared/dialog.ts";
import { headingLevel } from "../shared/heading.ts";
import { tokenIdentity } from "../shared/host-token-claims.ts";
import { type HostTokenProvider, HostTokenController } from "../shared/host-token-controller.ts";
import { LocalizeController } from "../shared/localize-controller.ts";
import { refocus } from "../shared/refocus.ts";
import type { ProviderId } from "../shared/provider-id.ts";
import { themeStyles } from "../shared/theme.ts";
import { ToastController } from "../shared/toast-controller.ts";
import { renderToastStack, toastStyles } from "../shared/toast-stack.ts";
import {
  accountPath,
  type AccountsAnswer,
  accountsPath,
  connectionPath,
  defaultPath,
  type DisconnectAnswer,
  type MeAnswer,
  mePath,
  readAccountsAnswer,
  type UnlinkAnswer,
} from "./accounts-api.ts";
import {
  type CardKey,
  cardKey,
  type CardKind,
  type CardsContext,
  type CardState,
  renderOrganizationSection,
  renderPersonalSection,
  type UnlinkTarget,
} from "./cards.ts";
import { type Confirmation, renderConfirmDialog } from "./confirm-dialog.ts";
import { LinkController } from "./link-controller.ts";
import type { LinkOutcome } from "./popup-link.ts";
import { integrationAccountsStyles } from "./styles.ts";

/** The refusal of a personal link while the organisation has no connection for that provider. */
const connectionMissingCode = "org_connection_missing";

/** The order cards appear in, whatever order the server lists its providers. */
const displayOrder: readonly ProviderId[] = ["slack", "google", "microsoft", "zoom"];

type View =
  | { kind: "loading" }
  | { kind: "failed"; error: unknown }
  | { kind: "ready"; me: MeAnswer; data: AccountsAnswer };

/**
 * @summary The integration settings of an HR portal: admins connect the
 * organisation's Slack workspace, Google Workspace, Microsoft 365 tenant and
 * Zoom account; everyone links, relinks, chooses the default of, and unlinks
 * their own accounts.
 *
 * Linking opens the provider in a popup (opened in the click itself, so
 * popup blockers let it through) and waits for the server's outcome message,
 * accepted only from that popup and the server's origin. When the browser
 * blocks the popup anyway, the card offers to continue on this page instead
 * (redirect mode: the page goes to the provider and comes back to the same
 * URL, and the element reports the outcome). `link-mode="redirect"` always
 * works that way, for pages that cannot open popups at all.
 *
 * @event tsunagu-linked - An account was linked or the organisation connected. `detail: {provider, kind, id,
 * displayName}`.
 * @event tsunagu-unlinked - An account was unlinked or the organisation disconnected. `detail: {provider, kind, id}`.
 * @event tsunagu-unlink-request - Cancelable. The user asked to unlink or disconnect, before the confirmation dialog;
 * `preventDefault()` vetoes it. `detail: {provider, kind, id, displayName}`.
 * @event tsunagu-error - Loading, linking, unlinking or another action failed; the element shows the failure itself.
 * `detail: {error}`.
 * @event tsunagu-token-expired - The server refused the host token and no `tokenProvider` could replace it.
 *
 * Parts marked (shared) come from the shared parts in `src/shared/` and mean
 * the same in every Tsunagu element; the others are this element's own.
 *
 * @csspart base - The wrapper of everything the element renders.
 * @csspart section - Each section; also `organization` (admins only) or `personal`.
 * @csspart heading - Section headings.
 * @csspart card - (shared) A provider's card; also `organization-card` or `personal-card`.
 * @csspart card-heading - (shared) A card's heading.
 * @csspart account-list - The list of accounts in a personal card.
 * @csspart account - One account.
 * @csspart account-name - The name of an account or connection.
 * @csspart badge - (shared) Every badge; also `status-badge` and `status-active` / `status-needs_reauth` /
 * `status-revoked`, or `default-badge`.
 * @csspart status-reason - Why an account or connection needs linking again.
 * @csspart actions - (shared) A row of buttons.
 * @csspart button - (shared) Every button; also `primary-button` or `danger-button`.
 * @csspart notice - (shared) A card's notice (organisation not connected, popup blocked).
 * @csspart note - What connecting the organisation also does (links the admin's own account).
 * @csspart empty - A card's "nothing linked yet".
 * @csspart progress - Linking under way, with its cancel button.
 * @csspart error - (shared) An inline error.
 * @csspart loading - (shared) The loading message, for screen readers; `skeleton` the outline of the cards shown
 * meanwhile.
 * @csspart dialog - (shared) The confirmation dialog; `dialog-title` is its heading, `impact` its list of what stops
 * working, `meetings` the Zoom meetings that block an unlink.
 * @csspart toasts - (shared) Where toasts appear: the window's corner, or in a window narrower than 40rem after the
 * element's content, held at the window's bottom until scrolled to (covering no button at the end); `toast` is one.
 *
 * @cssproperty --tsunagu-card-min-width - (shared) The narrowest a card gets before the grid wraps. Default: 17rem.
 * @cssproperty --tsunagu-card-background - (shared) Card background. Default: the surface colour.
 * @cssproperty --tsunagu-card-shadow - (shared) Card shadow. Default: none.
 * @cssproperty --tsunagu-dialog-width - (shared) Width of the confirmation dialog. Default: min(32rem, 100vw - 2rem).
 * @cssproperty --tsunagu-color-accent - (shared) And the other `--tsunagu-*` theme properties (src/shared/theme.ts):
 * every one is shared.
 */
export class IntegrationAccounts extends LitElement {
  static override styles = [
    themeStyles,
    buttonStyles,
    cardStyles,
    dialogStyles,
    toastStyles,
    integrationAccountsStyles,
  ];
  static override properties = {
    server: {},
    token: {},
    tokenProvider: { attribute: false },
    locale: {},
    timeZone: { attribute: "time-zone" },
    providers: {},
    linkMode: { attribute: "link-mode" },
    headingLevel: { attribute: "heading-level", type: Number },
    view: { attribute: false },
    cardErrors: { attribute: false },
    accountInFlight: { attribute: false },
    confirmation: { attribute: false },
  };

  /** Base URL of the Tsunagu server (its public URL: popups answer from its origin). */
  server: string | null = null;
  /** A host token the page renews itself… */
  token: string | null = null;
  /** …or a callback the element calls for a fresh one (preferred). */
  tokenProvider: HostTokenProvider | null = null;
  /** `ja` or `en`; otherwise the element's `lang`, the token's `locale`, then the document's `lang`. */
  locale: string | null = null;
  /** IANA zone for dates; otherwise the token's `tz`, then the browser's. */
  timeZone: string | null = null;
  /** Space-separated providers to show (`slack google microsoft zoom`); all the server offers when unset. */
  providers: string | null = null;
  /** `popup` (default; offers redirect when the popup is blocked) or `redirect` (always leave the page to link). */
  linkMode: "popup" | "redirect" = "popup";
  /** The level of the section headings (2–6), so the element fits the page's outline; cards are one below. */
  headingLevel = 2;

  private view: View = { kind: "loading" };
  private cardErrors = new Map<CardKey, unknown>();
  private accountInFlight: string | undefined;
  private confirmation: Confirmation | undefined;
  /** Counts the credentials the page set (`server`, `token`, `tokenProvider`)… */
  #tokens = 0;
  /** …as the last unlink was confirmed: a token renewed since then answers its refusal of the old one. */
  #unlinkTokens = 0;
  /** …and as each card's last action began (link, relink, make default), for the same reason. */
  #cardTokens = new Map<CardKey, number>();

  readonly #hostToken = new HostTokenController(this);
  readonly #api = new ApiClientController(this, this.#hostToken);
  readonly #localize = new LocalizeController(this, { claims: () => this.#hostToken.claims });
  readonly #toasts = new ToastController(this);
  readonly #dialog = new DialogController(this, { closed: () => (this.confirmation = undefined) });
  readonly #linking = new LinkController(this, {
    api: this.#api,
    formParent: () => this.renderRoot,
    mode: () => (this.linkMode === "redirect" ? "redirect" : "popup"),
    settled: (kind, provider, outcome) => this.#finishLink(kind, provider, outcome),
    failed: (key, error) => {
      if (key) {
        this.#fail(key, error);
        void this.#refocusCard(key);
      } else {
        this.#report(error);
        void this.#localize
          .loadErrorMessages()
          .then(() => this.#toasts.show("error", this.#localize.errorMessage(error)));
      }
    },
  });
  #loadSequence = 0;
  /** Counts the people the element has shown: an answer for an earlier one is not shown to the next. */
  #userEpoch = 0;
  #loadedIdentity: string | undefined;
  #redirectChecked = false;

  override connectedCallback(): void {
    super.connectedCallback();
    document.addEventListener("visibilitychange", this.#backInView);
    // Back on the page after a move: what was shown may be stale.
    if (this.hasUpdated) void this.reload();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    document.removeEventListener("visibilitychange", this.#backInView);
  }

  /** The person comes back to this tab: they may have linked or unlinked in another meanwhile. Loads quietly (what
   * is shown stays until the answer replaces it). */
  readonly #backInView = (): void => {
    if (document.visibilityState === "visible" && this.hasUpdated && this.view.kind !== "loading") void this.reload();
  };

  /** Renders only once the language's table has loaded (LocalizeController); `updateComplete` includes the wait. */
  protected override async scheduleUpdate(): Promise<void> {
    await this.#localize.ready();
    super.scheduleUpdate();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (!changed.has("server") && !changed.has("token") && !changed.has("tokenProvider") && this.hasUpdated) return;
    this.#tokens++;
    // A renewed token for the same person changes nothing; another person's must not see this one's accounts.
    const identity = this.tokenProvider ? undefined : tokenIdentity(this.#hostToken.claims);
    // …unless loading failed (the token may have been refused as expired): the renewed one loads again.
    if (
      this.hasUpdated &&
      !changed.has("server") &&
      !changed.has("tokenProvider") &&
      identity !== undefined &&
      identity === this.#loadedIdentity &&
      this.view.kind !== "failed"
    )
      return;
    if (this.hasUpdated) this.#forgetPreviousUser();
    this.#loadedIdentity = identity;
    this.view = { kind: "loading" };
    void this.reload();
  }

  /**
   * Another person (or organisation) now uses the element: what was said to
   * the previous one (card errors, notices, toasts, an open dialog, a link
   * under way) is theirs, not this one's. Answers still on their way for the
   * previous person are dropped too (`userEpoch`).
   */
  #forgetPreviousUser(): void {
    this.#userEpoch++;
    this.#linking.cancel();
    this.#linking.blocked = undefined;
    this.cardErrors = new Map();
    this.accountInFlight = undefined;
    this.#toasts.clear();
    if (this.confirmation) {
      this.confirmation = undefined;
      this.#dialog.close({ restoreFocus: false });
    }
  }

  /** Fetches the connections and accounts again. */
  async reload(): Promise<void> {
    const sequence = ++this.#loadSequence;
    const token = this.token;
    try {
      const [me, accounts] = await Promise.all([this.#api.get<MeAnswer>(mePath), this.#api.get<unknown>(accountsPath)]);
      if (sequence !== this.#loadSequence) return;
      const shownBefore = this.view.kind === "ready" ? this.view.data.accounts : undefined;
      this.view = { kind: "ready", me, data: readAccountsAnswer(accounts) };
      if (shownBefore) this.#announceMovedDefaults(shownBefore, this.view.data.accounts);
      this.#dropConnectionMissingErrors();
    } catch (error) {
      if (isAbortError(error) || sequence !== this.#loadSequence) return;
      // The page renewed the token while the refused one was on its way (tsunagu-token-expired asks it to).
      if (error instanceof TsunaguApiError && error.isTokenRejection && this.token !== token) return this.reload();
      this.view = { kind: "failed", error };
      this.#report(error);
      return;
    }
    if (!this.#redirectChecked) {
      this.#redirectChecked = true;
      await this.#linking.takeRedirectReturn();
    }
  }

  /**
   * The server hands the default to another active account when the default
   * needs linking again (a refused refresh, a revoked grant): say so when a
   * reload shows it, since the person did not ask for it. Moves the person
   * made (Make default, unlinking) are announced where they happen.
   */
  #announceMovedDefaults(
    before: readonly AccountsAnswer["accounts"][number][],
    now: readonly AccountsAnswer["accounts"][number][],
  ): void {
    for (const previous of before.filter((account) => account.isDefault)) {
      const successor = now.find((account) => account.provider === previous.provider && account.isDefault);
      const stillThere = now.find((account) => account.id === previous.id);
      if (!successor || successor.id === previous.id || !stillThere || stillThere.status === "active") continue;
      this.#toasts.show(
        "info",
        this.#localize.term(
          "defaultMovedAfterReauth",
          previous.provider,
          stillThere.displayName,
          successor.displayName,
        ),
      );
    }
  }

  override render(): TemplateResult {
    const confirmation = this.confirmation;
    // An unlink refused for a token the page has since renewed: confirming again is all it takes (the refusal's
    // words say to reload the page).
    const renewed =
      (confirmation?.error as TsunaguApiError | undefined)?.isTokenRejection && this.#unlinkTokens !== this.#tokens;
    return html`
      <div part="base" lang=${this.#localize.language}>${this.#renderView()}</div>
      ${renderToastStack(this.#toasts, { lang: this.#localize.language, dismissLabel: this.#localize.term("dismiss") })}
      ${renderConfirmDialog({
        localize: this.#localize,
        dialog: this.#dialog,
        confirmation: confirmation && renewed ? { ...confirmation, error: undefined } : confirmation,
        confirm: () => void this.#confirmUnlink(),
        cancel: () => this.#dialog.close(),
      })}
    `;
  }

  #renderView(): TemplateResult | typeof nothing {
    const { view } = this;
    const localize = this.#localize;
    if (view.kind === "loading") return this.#renderSkeleton();
    if (view.kind === "failed") {
      return html`<div class="error load-error" part="error" role="alert">
        <p>${localize.failure(localize.term("loadFailed"), view.error)}</p>
        ${renderButton({ label: localize.term("retry"), onClick: () => void this.#retryLoad() })}
      </div>`;
    }
    const shown = this.#shownProviders(view.data);
    const viewerIsAdmin = view.me.role === "admin";
    const organization = shown.filter((provider) => offers(view.data, provider, "org"));
    const personal = shown.filter((provider) => offers(view.data, provider, "personal"));
    if (personal.length === 0 && (!viewerIsAdmin || organization.length === 0)) {
      return html`<p part="empty" class="muted">${localize.term("integrationsNoneOffered")}</p>`;
    }
    const context = this.#cardsContext(viewerIsAdmin);
    return html`
      ${
        viewerIsAdmin && organization.length > 0
          ? renderOrganizationSection(context, organization, view.data.connections)
          : nothing
      }
      ${
        personal.length > 0
          ? renderPersonalSection(context, personal, view.data.connections, view.data.accounts)
          : nothing
      }
    `;
  }

  /**
   * First paint: the outline of the cards to come (one per provider asked
   * for), so the page does not jump when they arrive; the words are for
   * screen readers.
   */
  #renderSkeleton(): TemplateResult {
    const wanted = this.providers?.trim()
      ? displayOrder.filter((provider) => this.providers!.split(/[\s,]+/).includes(provider))
      : displayOrder;
    return renderCardSkeleton(wanted.length > 0 ? wanted.length : displayOrder.length, this.#localize.term("loading"));
  }

  #cardsContext(viewerIsAdmin: boolean): CardsContext {
    return {
      localize: this.#localize,
      level: headingLevel(this.headingLevel),
      viewerIsAdmin,
      // The modal dialog keeps the page out of reach by itself; no need to grey it out too.
      busy: this.#linking.busy || this.accountInFlight !== undefined,
      accountInFlight: this.accountInFlight,
      card: (key): CardState => ({
        activity: this.#linking.phaseOf(key),
        blocked: this.#linking.blocked === key,
        error: this.#cardError(key),
      }),
      link: (kind, provider) => {
        const key = cardKey(kind, provider);
        // Synchronously, inside the click: the popup opens before anything is awaited.
        this.#beginCardAction(key);
        this.#linking.link(kind, provider);
        // The card's waiting and outcome texts are later terms.
        void this.#localize.loadLaterTerms();
        if (this.#linking.phaseOf(key)) void this.#focusCancel(key);
      },
      cancelLink: () => {
        const key = this.#linking.cancel();
        if (key) void this.#focusCard(key);
      },
      continueOnThisPage: (kind, provider) => {
        this.#beginCardAction(cardKey(kind, provider));
        void this.#linking.linkInPage(kind, provider);
      },
      dismissError: (key) => {
        this.#setCardError(key, undefined);
        // Its × went with it: the focus stays in the card rather than falling to the page's body.
        void this.#refocusCard(key);
      },
      setDefault: (account) => void this.#setDefault(account),
      requestUnlink: (target, trigger) => void this.#requestUnlink(target, trigger),
    };
  }

  #shownProviders(data: AccountsAnswer): ProviderId[] {
    const wanted = this.providers?.trim() ? new Set(this.providers.trim().split(/[\s,]+/)) : undefined;
    return displayOrder.filter(
      (provider) => data.providers.some((offer) => offer.provider === provider) && (!wanted || wanted.has(provider)),
    );
  }

  // ── Linking ────────────────────────────────────────────────────────────

  async #finishLink(kind: CardKind, provider: ProviderId, outcome: LinkOutcome): Promise<void> {
    const key = cardKey(kind, provider);
    const epoch = this.#userEpoch;
    await this.#localize.loadLaterTerms();
    if (outcome.kind === "cancelled") {
      this.#toasts.show("info", this.#localize.term("linkCancelledToast", provider));
      return this.#refocusCard(key);
    }
    if (outcome.kind === "refused") {
      // The popup page answered 400 with this refusal: the same status, so the error reads like an API one.
      await this.#localize.loadErrorMessages();
      this.#fail(key, new TsunaguApiError(400, outcome.error.code, outcome.error.message));
      return this.#refocusCard(key);
    }
    const accountsBefore = new Set(
      this.view.kind === "ready" ? this.view.data.accounts.map((account) => account.id) : [],
    );
    await this.reload();
    if (epoch !== this.#userEpoch) return;
    const data = this.view.kind === "ready" ? this.view.data : undefined;
    const id = (kind === "organization" ? outcome.connectionId : outcome.accountId) ?? "";
    const displayName =
      kind === "organization"
        ? data?.connections.find((connection) => connection.id === id)?.displayName
        : data?.accounts.find((account) => account.id === id)?.displayName;
    const name = displayName ?? this.#localize.term("providerName", provider);
    // Connecting Google, Microsoft or Zoom links the admin's own account with the same grant: say so.
    const adminAccount =
      kind === "organization"
        ? data?.accounts.find((account) => account.provider === provider && !accountsBefore.has(account.id))
        : undefined;
    this.#toasts.show(
      "success",
      this.#localize.term(kind === "organization" ? "connectedToast" : "linkedToast", provider, name),
      adminAccount ? this.#localize.term("adminAccountLinkedNote", provider, adminAccount.displayName) : undefined,
    );
    this.dispatchEvent(new TsunaguLinkedEvent({ provider, kind, id, ...(displayName ? { displayName } : {}) }));
    // A relink's or a connect's button goes once it worked: the focus goes to the card's main action, not the page.
    await this.#refocusCard(key);
  }

  /** The button that started a link gave way to the progress line: the focus it had goes to Cancel, in its place, so
   * that a keyboard user back from the popup finds it there, not at the top of the page. */
  async #focusCancel(key: CardKey): Promise<void> {
    await this.updateComplete;
    refocus(this, `[data-card="${key}"] [data-cancel]`);
  }

  /** The progress line went (the link ended or failed), or the card's error was closed: a focus lost with its Cancel
   * or its × comes back to the card. */
  async #refocusCard(key: CardKey): Promise<void> {
    await this.updateComplete;
    refocus(this, `[data-card="${key}"] [data-primary]`, `[data-card="${key}"] [part~="card-heading"]`);
  }

  // ── Default account ────────────────────────────────────────────────────

  async #setDefault(account: AccountsAnswer["accounts"][number]): Promise<void> {
    const key = cardKey("personal", account.provider);
    const epoch = this.#userEpoch;
    this.#beginCardAction(key);
    this.accountInFlight = account.id;
    try {
      await this.#api.post(defaultPath(account.id));
      await this.reload();
    } catch (error) {
      if (!isAbortError(error) && epoch === this.#userEpoch) this.#fail(key, error);
      return;
    } finally {
      if (epoch === this.#userEpoch) this.accountInFlight = undefined;
    }
    if (epoch !== this.#userEpoch) return;
    // Its "make default" button is gone: the account itself takes the focus.
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>(`[data-account="${CSS.escape(account.id)}"]`)?.focus();
    await this.#localize.loadLaterTerms();
    this.#toasts.show("success", this.#localize.term("defaultChangedToast", account.provider, account.displayName));
  }

  // ── Unlinking ──────────────────────────────────────────────────────────

  async #requestUnlink(target: UnlinkTarget, trigger: HTMLElement): Promise<void> {
    const id = target.kind === "personal" ? target.account.id : target.connection.id;
    const displayName = target.kind === "personal" ? target.account.displayName : target.connection.displayName;
    const request = new TsunaguUnlinkRequestEvent({ provider: target.provider, kind: target.kind, id, displayName });
    this.dispatchEvent(request);
    if (request.defaultPrevented) return;
    const accounts = this.view.kind === "ready" ? this.view.data.accounts : [];
    const others = accounts.filter((account) => account.provider === target.provider && account.id !== id);
    const successor = others
      .filter((account) => account.status === "active")
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id))[0]?.displayName;
    this.#setCardError(cardKey(target.kind, target.provider), undefined);
    void this.#localize.loadLaterTerms();
    this.confirmation = { target, otherAccounts: others.length, successor, busy: false };
    // Cancel or Escape gives the focus back to the button that asked.
    await this.#dialog.show(() => trigger.focus());
  }

  async #confirmUnlink(): Promise<void> {
    const confirmation = this.confirmation;
    if (!confirmation || confirmation.busy) return;
    const { target } = confirmation;
    const epoch = this.#userEpoch;
    this.confirmation = { ...confirmation, busy: true, error: undefined };
    this.#unlinkTokens = this.#tokens;
    let toast: [message: string, note: string | undefined];
    try {
      if (target.kind === "personal") {
        const answer = await this.#api.delete<UnlinkAnswer>(accountPath(target.account.id));
        const accounts = this.view.kind === "ready" ? this.view.data.accounts : [];
        const newDefault = accounts.find((account) => account.id === answer?.newDefaultAccountId);
        const notes = [
          newDefault && this.#localize.term("defaultMovedNote", target.provider, newDefault.displayName),
          this.#revocationNote(target.provider, answer),
        ];
        toast = [
          this.#localize.term("unlinkedToast", target.provider, target.account.displayName),
          this.#localize.term(
            "sentences",
            notes.filter((note): note is string => typeof note === "string" && note !== ""),
          ) || undefined,
        ];
      } else {
        const answer = await this.#api.delete<DisconnectAnswer>(connectionPath(target.provider));
        const affected = Array.isArray(answer?.affectedAccounts) ? answer.affectedAccounts.length : 0;
        toast = [
          this.#localize.term("disconnectedToast", target.provider, target.connection.displayName, affected),
          this.#revocationNote(target.provider, answer),
        ];
      }
    } catch (error) {
      if (isAbortError(error) || epoch !== this.#userEpoch) return;
      this.confirmation = { ...confirmation, busy: false, error };
      this.#report(error);
      return;
    }
    await this.reload();
    if (epoch !== this.#userEpoch) return;
    // The unlink button went with the account: the card's main action takes the focus.
    this.confirmation = undefined;
    this.#dialog.close({ restoreFocus: false });
    await this.#focusCard(cardKey(target.kind, target.provider));
    this.#toasts.show("success", ...toast);
    const id = target.kind === "personal" ? target.account.id : target.connection.id;
    this.dispatchEvent(new TsunaguUnlinkedEvent({ provider: target.provider, kind: target.kind, id }));
  }

  #revocationNote(provider: ProviderId, answer: { revokedAtProvider?: unknown } | undefined): string | undefined {
    return answer?.revokedAtProvider === false ? this.#localize.term("notRevokedNote", provider) : undefined;
  }

  // ── Shared ─────────────────────────────────────────────────────────────

  async #retryLoad(): Promise<void> {
    this.view = { kind: "loading" };
    await this.reload();
    await this.updateComplete;
    // The retry button went with the failure: the focus goes to the cards' first heading, or to the new retry.
    refocus(this, '[part~="error"] button', '[part~="heading"]');
  }

  #fail(key: CardKey, error: unknown): void {
    this.#report(error);
    if (error instanceof TsunaguApiError && error.code === connectionMissingCode) {
      // The card was out of date: reloaded, it says itself who must connect first, and offers nothing that can only
      // fail.
      void this.reload();
      return;
    }
    this.#setCardError(key, error);
  }

  /** A "not connected yet" refusal is stale once reloaded: the card either shows the connection or says who must make
   * it. */
  #dropConnectionMissingErrors(): void {
    const stale = [...this.cardErrors].filter(
      ([, error]) => error instanceof TsunaguApiError && error.code === connectionMissingCode,
    );
    for (const [key] of stale) this.#setCardError(key, undefined);
  }

  #beginCardAction(key: CardKey): void {
    this.#setCardError(key, undefined);
    this.#cardTokens.set(key, this.#tokens);
  }

  /** A refusal of a token the page has since renewed is not shown: its words say to reload the page, though pressing
   * the button again is all it takes. */
  #cardError(key: CardKey): unknown {
    const error = this.cardErrors.get(key);
    const renewed =
      error instanceof TsunaguApiError && error.isTokenRejection && this.#cardTokens.get(key) !== this.#tokens;
    return renewed ? undefined : error;
  }

  #setCardError(key: CardKey, error: unknown): void {
    const errors = new Map(this.cardErrors);
    if (error === undefined) errors.delete(key);
    else errors.set(key, error);
    this.cardErrors = errors;
  }

  #report(error: unknown): void {
    this.dispatchEvent(new TsunaguErrorEvent({ error: asApiError(error) }));
  }

  /** Focus on the card's main action, or its heading when it has none. */
  async #focusCard(key: CardKey): Promise<void> {
    await this.updateComplete;
    const card = this.renderRoot.querySelector<HTMLElement>(`[data-card="${key}"]`);
    const target =
      card?.querySelector<HTMLElement>("[data-primary]") ?? card?.querySelector<HTMLElement>("[part~='card-heading']");
    target?.focus();
  }
}

function offers(data: AccountsAnswer, provider: ProviderId, purpose: "org" | "personal"): boolean {
  return data.providers.some((offer) => offer.provider === provider && offer.purposes.includes(purpose));
}
