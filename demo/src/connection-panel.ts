/**
 * The portal's own diagnostic panel (not a Tsunagu widget): it calls
 * `GET /v1/me` through the widgets' API client and shows who the Tsunagu
 * server says is calling, or why it refused.
 */
import {
  ApiClientController,
  HostTokenController,
  type HostTokenProvider,
  isAbortError,
  LocalizeController,
  TsunaguApiError,
} from "@tsunagu/widgets";
import { css, html, LitElement, nothing, type PropertyValues } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import { portalStrings } from "./strings.ts";

const mePath = "/v1/me";

type Check =
  | { state: "loading" }
  | { state: "connected"; me: Record<string, unknown> }
  | { state: "failed"; error: unknown };

@customElement("sakura-connection-panel")
export class SakuraConnectionPanel extends LitElement {
  static override styles = css`
    :host {
      display: block;
      border: 1px solid #e4d4da;
      border-radius: 10px;
      background: #fff;
      padding: 1rem 1.25rem;
    }
    header {
      display: flex;
      align-items: center;
      gap: 0.75rem;
      flex-wrap: wrap;
    }
    h2 {
      font-size: 1rem;
      margin: 0;
      flex: 1;
    }
    p {
      margin: 0.5rem 0;
      color: #5b4b52;
      font-size: 0.875rem;
    }
    .badge {
      font-size: 0.75rem;
      font-weight: 600;
      padding: 0.125rem 0.625rem;
      border-radius: 999px;
      background: #eef1f4;
      color: #3d4752;
    }
    .badge.connected {
      background: #e3f4e8;
      color: #146c2e;
    }
    .badge.failed {
      background: #fde7e7;
      color: #a4161a;
    }
    dl {
      display: grid;
      grid-template-columns: max-content 1fr;
      gap: 0.25rem 1.25rem;
      margin: 0.75rem 0 0;
      font-size: 0.875rem;
    }
    dt {
      color: #5b4b52;
    }
    dd {
      margin: 0;
      font-family: ui-monospace, "SFMono-Regular", Menlo, monospace;
      overflow-wrap: anywhere;
    }
    .error {
      color: #a4161a;
      font-weight: 600;
    }
    button {
      font: inherit;
      font-size: 0.8125rem;
      border: 1px solid #c9b3bc;
      background: #fff;
      border-radius: 6px;
      padding: 0.25rem 0.75rem;
      cursor: pointer;
    }
    button:focus-visible {
      outline: 2px solid #b0194f;
      outline-offset: 2px;
    }
  `;

  /** The Tsunagu server's base URL. */
  @property() server: string | null = null;
  @property({ attribute: false }) tokenProvider: HostTokenProvider | null = null;
  @property() locale: string | null = null;

  @state() private check: Check = { state: "loading" };

  private readonly hostToken = new HostTokenController(this);
  private readonly api = new ApiClientController(this, this.hostToken);
  private readonly localize = new LocalizeController(this, { claims: () => this.hostToken.claims });
  private currentCheck: AbortController | undefined;

  // The element translations load per language; render once ours is here.
  protected override async scheduleUpdate(): Promise<void> {
    await this.localize.ready();
    super.scheduleUpdate();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    // Before rendering, so the "loading" state lands in this update rather than scheduling another.
    if (changed.has("server") || changed.has("tokenProvider")) void this.checkConnection();
  }

  /** Calls GET /v1/me again; a check still running is abandoned. */
  async checkConnection(): Promise<void> {
    this.currentCheck?.abort();
    const abort = new AbortController();
    this.currentCheck = abort;
    this.check = { state: "loading" };
    try {
      const me = await this.api.get<Record<string, unknown>>(mePath, { signal: abort.signal });
      this.check = { state: "connected", me };
    } catch (error) {
      if (isAbortError(error)) return;
      this.check = { state: "failed", error };
    }
  }

  override render() {
    const text = portalStrings[this.localize.language === "ja" ? "ja" : "en"].connection;
    const badge = { loading: text.loading, connected: text.connected, failed: text.failed }[this.check.state];
    return html`
      <section aria-labelledby="heading">
        <header>
          <h2 id="heading">${text.heading}</h2>
          <span class="badge ${this.check.state}" role="status">${badge}</span>
          <button type="button" @click=${() => this.checkConnection()}>${text.reload}</button>
        </header>
        <p>${text.intro(`GET ${mePath}`)}</p>
        <!-- Busy: what the answer replaces, not the badge (role=status), which a screen reader would hold back. -->
        <dl aria-busy=${this.check.state === "loading" ? "true" : "false"}>
          <dt>${text.server}</dt>
          <dd>${this.server ?? "—"}</dd>
          ${this.check.state === "connected" ? this.renderMe(this.check.me) : nothing}
        </dl>
        ${this.check.state === "failed" ? this.renderError(this.check.error) : nothing}
      </section>
    `;
  }

  private renderMe(me: Record<string, unknown>) {
    const labels = portalStrings[this.localize.language === "ja" ? "ja" : "en"].connection.fields;
    return Object.entries(me).map(
      ([key, value]) => html`<dt>${labels[key] ?? key}</dt>
        <dd>${typeof value === "string" || typeof value === "number" ? String(value) : JSON.stringify(value)}</dd>`,
    );
  }

  private renderError(error: unknown) {
    const text = portalStrings[this.localize.language === "ja" ? "ja" : "en"].connection;
    const apiError = error instanceof TsunaguApiError ? error : undefined;
    const cause = apiError?.cause instanceof Error ? apiError.cause.message : undefined;
    return html`
      <p class="error" role="alert">${this.localize.errorMessage(error)}</p>
      ${
        apiError
          ? html`<dl>
            <dt>${text.errorCode}</dt>
            <dd>${apiError.code}${apiError.status ? ` (HTTP ${apiError.status})` : ""}</dd>
            <dt>${text.details}</dt>
            <dd>${cause ? `${apiError.message} ${cause}` : apiError.message}</dd>
            ${apiError.requestId ? html`<dt>${text.requestId}</dt><dd>${apiError.requestId}</dd>` : nothing}
          </dl>`
          : nothing
      }
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "sakura-connection-panel": SakuraConnectionPanel;
  }
}
