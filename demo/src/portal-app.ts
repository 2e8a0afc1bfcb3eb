/**
 * さくら採用 (Sakura Recruit): a fictional HR portal that embeds Tsunagu. The
 * header switches the signed-in user and the language; the menu's pages
 * (candidates, interviews, scheduling links, message templates, integrations
 * with the working hours and days off)
 * each hold the Tsunagu elements or call the Tsunagu API themselves.
 */
import { css, html, LitElement } from "lit";
import { customElement, state } from "lit/decorators.js";
import "@tsunagu/widgets/integration-accounts";
import "@tsunagu/widgets/zoom-host-picker";
import "./connection-panel.ts";
import "./days-off-panel.ts";
import "./working-hours-panel.ts";
import "./pages/candidate-list.ts";
import "./pages/candidate-page.ts";
import "./pages/interview-list.ts";
import "./pages/scheduling-link-page.ts";
import "./pages/template-settings.ts";
import { findCandidate } from "./candidates.ts";
import { portalTokenProvider } from "./host-token-provider.ts";
import { menuPageOf, navigationPages, type Route, routeFromHash } from "./routes.ts";
import { type PortalStrings, portalStrings } from "./strings.ts";
import { findPortalUser, type PortalLanguage, type PortalUser, portalUsers, userName } from "./users.ts";

const serverUrl = __TSUNAGU_SERVER_URL__;
const userStorageKey = "sakura-recruit.user";

function firstUser(): PortalUser {
  const [fallback] = portalUsers;
  if (!fallback) throw new Error("The portal has no users.");
  return findPortalUser(localStorage.getItem(userStorageKey)) ?? fallback;
}

@customElement("sakura-portal")
export class SakuraPortal extends LitElement {
  static override styles = css`
    :host {
      display: block;
      min-height: 100vh;
      /* The portal's brand, handed to the Tsunagu elements through their tokens. */
      --tsunagu-color-accent: #b0194f;
      --tsunagu-radius: 8px;
    }
    .top {
      display: flex;
      align-items: center;
      gap: 1.5rem;
      padding: 0.75rem 1.5rem;
      background: #fff;
      border-bottom: 3px solid #f4b6c8;
      flex-wrap: wrap;
    }
    .brand {
      display: flex;
      align-items: baseline;
      gap: 0.5rem;
      margin-right: auto;
    }
    .brand strong {
      font-size: 1.25rem;
      color: #b0194f;
      letter-spacing: 0.04em;
    }
    .brand span {
      font-size: 0.8125rem;
      color: #6b5a61;
    }
    nav ul {
      display: flex;
      flex-wrap: wrap;
      gap: 0.25rem;
      list-style: none;
      margin: 0;
      padding: 0;
    }
    nav a {
      display: block;
      padding: 0.375rem 0.875rem;
      border-radius: 6px;
      color: #3b2f34;
      text-decoration: none;
      font-weight: 600;
      /* On a phone the menu wraps between its entries, not inside 候補者. */
      white-space: nowrap;
    }
    nav a[aria-current="page"] {
      background: #fce4ec;
      color: #8c1240;
    }
    .account {
      display: flex;
      align-items: center;
      gap: 0.5rem;
      font-size: 0.875rem;
    }
    select,
    button {
      font: inherit;
      font-size: 0.875rem;
      padding: 0.25rem 0.5rem;
      border: 1px solid #c9b3bc;
      border-radius: 6px;
      background: #fff;
    }
    button {
      cursor: pointer;
      font-weight: 600;
    }
    :is(a, select, button, input):focus-visible {
      outline: 2px solid #b0194f;
      outline-offset: 2px;
    }
    main {
      max-width: 72rem;
      margin: 0 auto;
      padding: 1.5rem;
      display: grid;
      grid-template-columns: minmax(0, 1fr);
      gap: 1.25rem;
    }
    @media (max-width: 40rem) {
      .top,
      main {
        padding-inline: 0.75rem;
      }
    }
    h1 {
      margin: 0;
      font-size: 1.5rem;
    }
    .intro {
      margin: 0.25rem 0 0;
      color: #5b4b52;
    }
    .columns {
      display: grid;
      grid-template-columns: repeat(auto-fit, minmax(min(22rem, 100%), 1fr));
      gap: 1.25rem;
      align-items: start;
    }
    /* A place a Tsunagu element will occupy. */
    .widget-slot {
      border: 1px dashed #d8a9ba;
      border-radius: 10px;
      padding: 1rem 1.25rem;
      background: #fffafc;
    }
    .widget-slot h2 {
      font-size: 1rem;
      margin: 0 0 0.5rem;
    }
    .host-form {
      display: grid;
      gap: 0.5rem;
      justify-items: start;
    }
    .host-form zoom-host-picker {
      justify-self: stretch;
      --tsunagu-card-min-width: 14rem;
    }
    .host-form input {
      font: inherit;
      padding: 0.25rem 0.5rem;
      border: 1px solid #c9b3bc;
      border-radius: 6px;
    }
    .widget-slot p {
      margin: 0;
      font-size: 0.8125rem;
      color: #6b5a61;
    }
  `;

  @state() private user: PortalUser = firstUser();
  @state() private language: PortalLanguage = this.user.locale;
  @state() private route: Route = routeFromHash(location.hash);
  /** The demo interview's start, as a datetime-local value: tomorrow at 10:00 until changed. */
  @state() private interviewStart = tomorrowAtTen();

  private readonly onHashChange = () => {
    this.route = routeFromHash(location.hash);
  };

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener("hashchange", this.onHashChange);
  }

  override disconnectedCallback(): void {
    window.removeEventListener("hashchange", this.onHashChange);
    super.disconnectedCallback();
  }

  // One provider per user and language: a new one tells every element to drop the old user's token.
  private tokenProvider = portalTokenProvider(this.user.id, this.language);

  protected override willUpdate(): void {
    document.documentElement.lang = this.language;
    document.title = this.language === "ja" ? "さくら採用" : "Sakura Recruit";
  }

  private switchUser(event: Event): void {
    const user = findPortalUser((event.target as HTMLSelectElement).value);
    if (!user) return;
    localStorage.setItem(userStorageKey, user.id);
    this.user = user;
    this.language = user.locale;
    this.tokenProvider = portalTokenProvider(user.id, user.locale);
  }

  private toggleLanguage(): void {
    this.language = this.language === "ja" ? "en" : "ja";
    this.tokenProvider = portalTokenProvider(this.user.id, this.language);
  }

  /** Linking or unlinking on the settings page changes which Zoom users the host check beside it can offer. */
  private zoomHostsChanged(): void {
    void this.renderRoot.querySelector("zoom-host-picker")?.refresh();
  }

  override render() {
    const text = portalStrings[this.language];
    return html`
      <header class="top">
        <div class="brand">
          <strong>${this.language === "ja" ? "さくら採用" : "Sakura Recruit"}</strong>
          <span>${text.brandTagline}</span>
        </div>
        <nav aria-label=${text.navigationLabel}>
          <ul>
            ${navigationPages.map(
              (page) =>
                html`<li><a href="#/${page}"
                  aria-current=${menuPageOf(this.route) === page ? "page" : "false"}>${text.pages[page]}</a></li>`,
            )}
          </ul>
        </nav>
        <div class="account">
          <label for="user">${text.signedInAs}</label>
          <select id="user" @change=${this.switchUser}>
            ${portalUsers.map(
              (user) =>
                html`<option value=${user.id} ?selected=${user.id === this.user.id}>
                  ${text.userOption(userName(user, this.language), text.roles[user.role])}
                </option>`,
            )}
          </select>
          <!-- The other language's name, in that language: its own label (no aria-label that would differ from what
            is seen). -->
          <button type="button" lang=${this.language === "ja" ? "en" : "ja"} @click=${this.toggleLanguage}>
            ${text.switchLanguage}
          </button>
        </div>
      </header>
      <main>
        <div>
          <h1>${this.pageTitle(text)}</h1>
          <p class="intro">${
            this.route.page === "candidate" ? text.candidate.intro : text.pageIntros[this.route.page]
          }</p>
        </div>
        ${this.renderPage(text)}
      </main>
    `;
  }

  private pageTitle(text: PortalStrings): string {
    if (this.route.page !== "candidate") return text.pages[this.route.page];
    const candidate = findCandidate(this.route.candidateId);
    if (!candidate) return text.pages.candidates;
    return this.language === "ja" ? `${candidate.name} 様` : candidate.nameLatin;
  }

  private renderPage(text: PortalStrings) {
    // Every page gets the same server, token provider, language and user; each decides what the user may do.
    const route = this.route;
    const common = { server: serverUrl, tokenProvider: this.tokenProvider, locale: this.language, user: this.user };
    switch (route.page) {
      case "candidates":
        return html`<sakura-candidate-list .locale=${common.locale} .user=${common.user}></sakura-candidate-list>`;
      case "candidate":
        return html`<sakura-candidate-page candidate-id=${route.candidateId} .server=${common.server}
          .tokenProvider=${common.tokenProvider} .locale=${common.locale}
          .user=${common.user}></sakura-candidate-page>`;
      case "interviews":
        return html`<sakura-interview-list .server=${common.server} .tokenProvider=${common.tokenProvider}
          .locale=${common.locale} .user=${common.user}></sakura-interview-list>`;
      case "links":
        return html`<sakura-scheduling-link-page .server=${common.server} .tokenProvider=${common.tokenProvider}
          .locale=${common.locale} .user=${common.user}></sakura-scheduling-link-page>`;
      case "templates":
        return html`<sakura-template-settings .server=${common.server} .tokenProvider=${common.tokenProvider}
          .locale=${common.locale} .user=${common.user}></sakura-template-settings>`;
      case "integrations":
        return this.renderIntegrations(text);
    }
  }

  private renderIntegrations(text: PortalStrings) {
    // The element follows the token's locale claim and the page's lang; its headings sit under this section's h2.
    // <zoom-host-picker> checks which Zoom user could host an hour from the start chosen here, with the
    // signed-in user as the interviewer. Its advice to link a Zoom user points at the accounts section above it:
    // this page is the 連携設定 the picker would otherwise name.
    return html`
      <sakura-connection-panel .server=${serverUrl} .tokenProvider=${this.tokenProvider}></sakura-connection-panel>
      <section class="widget-slot" data-tsunagu-slot="integration-accounts"
        aria-labelledby="integration-accounts-heading">
        <h2 id="integration-accounts-heading">${text.slots.integrationAccounts}</h2>
        <integration-accounts heading-level="3" .server=${serverUrl} .tokenProvider=${this.tokenProvider}
          @tsunagu-linked=${this.zoomHostsChanged} @tsunagu-unlinked=${this.zoomHostsChanged}></integration-accounts>
      </section>
      <div class="columns">
        <sakura-working-hours-panel .server=${serverUrl}
          .tokenProvider=${this.tokenProvider}></sakura-working-hours-panel>
        <sakura-days-off-panel .server=${serverUrl} .tokenProvider=${this.tokenProvider}></sakura-days-off-panel>
        <section class="widget-slot" data-tsunagu-slot="zoom-host-picker" aria-labelledby="zoom-host-picker-heading">
          <h2 id="zoom-host-picker-heading">${text.slots.zoomHostPicker}</h2>
          <form class="host-form" @submit=${(event: Event) => event.preventDefault()}>
            <label for="interview-start">${text.slots.interviewStart}</label>
            <input
              id="interview-start"
              type="datetime-local"
              .value=${this.interviewStart}
              @change=${(event: Event) => (this.interviewStart = (event.target as HTMLInputElement).value)}
            />
            <zoom-host-picker
              name="zoomHostUserId"
              .server=${serverUrl}
              .tokenProvider=${this.tokenProvider}
              start=${instantOf(this.interviewStart, 0)}
              end=${instantOf(this.interviewStart, 60)}
              .participants=${[this.user.id]}
              link-place=${text.slots.zoomLinkPlace}
            ></zoom-host-picker>
          </form>
        </section>
      </div>
    `;
  }
}

/** A datetime-local value plus `minutes`, as an ISO instant; "" while the field is empty or unfinished. */
function instantOf(local: string, minutes: number): string {
  const time = new Date(local).getTime();
  return Number.isFinite(time) ? new Date(time + minutes * 60_000).toISOString() : "";
}

/** Tomorrow at 10:00 in the browser's zone, as an `<input type="datetime-local">` value. */
function tomorrowAtTen(): string {
  const date = new Date();
  date.setDate(date.getDate() + 1);
  const pad = (value: number) => String(value).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T10:00`;
}

declare global {
  interface HTMLElementTagNameMap {
    "sakura-portal": SakuraPortal;
  }
}
