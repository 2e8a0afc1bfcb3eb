/**
 * メッセージテンプレート: the organisation's candidate messages (日程確定メール
 * and its siblings) per language, edited with a live preview: each change is
 * rendered by `POST /v1/templates/render` with a sample interview's values,
 * 300 ms after the last keystroke, the previous render abandoned. Anyone sees
 * them; only an administrator saves (`PUT /v1/templates/:key/:language`).
 */
import { isAbortError, TsunaguApiError } from "@tsunagu/widgets";
import { css, html, nothing, type PropertyValues } from "lit";
import { customElement, state } from "lit/decorators.js";
import { PortalPage } from "../portal-page.ts";
import { pageStyles } from "../portal-styles.ts";
import { defaultTemplates, type TemplateKey, type TemplateText, templateKeys } from "../template-defaults.ts";
import type { PortalLanguage } from "../users.ts";

interface StoredTemplate extends TemplateText {
  key: string;
  language: PortalLanguage;
  subject: string;
}
interface TemplatesAnswer {
  templates: StoredTemplate[];
  tags: Array<{ tag: string; description: string }>;
}
interface Rendered {
  subject: string | null;
  body: string;
}
type Preview =
  | { state: "idle" | "rendering" }
  | { state: "rendered"; rendered: Rendered }
  | { state: "failed"; error: unknown };

const previewDelayMs = 300;

@customElement("sakura-template-settings")
export class SakuraTemplateSettings extends PortalPage {
  static override styles = [
    pageStyles,
    css`
      .editor {
        display: grid;
        grid-template-columns: repeat(auto-fit, minmax(22rem, 1fr));
        gap: 1.25rem;
        align-items: start;
      }
      form {
        display: grid;
        gap: 0.75rem;
      }
      .row {
        display: flex;
        flex-wrap: wrap;
        gap: 0.75rem;
      }
      .preview-body {
        white-space: pre-wrap;
        overflow-wrap: anywhere;
        background: #fffafc;
        border: 1px solid #efe3e8;
        border-radius: 8px;
        padding: 0.75rem;
        margin: 0.5rem 0 0;
        font: inherit;
      }
      code {
        font-size: 0.8125rem;
      }
      .tags {
        margin: 0;
        padding-left: 1.25rem;
        font-size: 0.8125rem;
      }
    `,
  ];

  @state() private key: TemplateKey = "interview_confirmed";
  @state() private language: PortalLanguage = "ja";
  @state() private stored: TemplatesAnswer | undefined;
  @state() private draft: TemplateText = defaultTemplates.interview_confirmed.ja;
  @state() private preview: Preview = { state: "idle" };
  @state() private loadError: unknown;
  @state() private saving = false;
  @state() private saveOutcome: { saved: true } | { error: unknown } | undefined;
  private previewTimer: ReturnType<typeof setTimeout> | undefined;
  private rendering: AbortController | undefined;

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has("locale") && changed.get("locale") === undefined) this.language = this.locale;
    if (changed.has("server") || changed.has("tokenProvider")) void this.load();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // Back in the page (moved): the render abandoned on leaving would otherwise say it is updating for good.
    if (this.hasUpdated) this.schedulePreview(0);
  }

  override disconnectedCallback(): void {
    clearTimeout(this.previewTimer);
    this.rendering?.abort();
    super.disconnectedCallback();
  }

  private async load(): Promise<void> {
    try {
      this.loadError = undefined;
      this.stored = await this.api.get<TemplatesAnswer>("/v1/templates");
      this.choose(this.key, this.language);
    } catch (error) {
      this.loadError = error;
    }
  }

  private storedTemplate(key: TemplateKey, language: PortalLanguage): StoredTemplate | undefined {
    return this.stored?.templates.find((template) => template.key === key && template.language === language);
  }

  /** Opens a template in the editor: the organisation's when saved, else the standard text. */
  private choose(key: TemplateKey, language: PortalLanguage): void {
    this.key = key;
    this.language = language;
    const stored = this.storedTemplate(key, language);
    this.draft = stored
      ? { name: stored.name, subject: stored.subject ?? "", body: stored.body }
      : defaultTemplates[key][language];
    this.saveOutcome = undefined;
    this.schedulePreview(0);
  }

  private edit(change: Partial<TemplateText>): void {
    this.draft = { ...this.draft, ...change };
    this.saveOutcome = undefined;
    this.schedulePreview(previewDelayMs);
  }

  private schedulePreview(delayMs: number): void {
    clearTimeout(this.previewTimer);
    this.previewTimer = setTimeout(() => void this.refreshPreview(), delayMs);
  }

  private async refreshPreview(): Promise<void> {
    this.rendering?.abort();
    const abort = new AbortController();
    this.rendering = abort;
    this.preview = { state: "rendering" };
    try {
      const rendered = await this.api.post<Rendered>(
        "/v1/templates/render",
        {
          language: this.language,
          subject: this.draft.subject === "" ? null : this.draft.subject,
          body: this.draft.body,
          timeZone: "Asia/Tokyo",
          values: sampleValues(this.text.templates.sample),
        },
        { signal: abort.signal },
      );
      this.preview = { state: "rendered", rendered };
    } catch (error) {
      if (isAbortError(error)) return;
      this.preview = { state: "failed", error };
    }
  }

  private async save(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    this.saving = true;
    try {
      const path = `/v1/templates/${this.key}/${this.language}`;
      const saved = await this.api.put<StoredTemplate>(path, {
        name: this.draft.name,
        subject: this.draft.subject === "" ? null : this.draft.subject,
        body: this.draft.body,
      });
      if (this.stored) {
        const others = this.stored.templates.filter(
          (template) => !(template.key === saved.key && template.language === saved.language),
        );
        this.stored = { ...this.stored, templates: [...others, saved] };
      }
      this.saveOutcome = { saved: true };
    } catch (error) {
      this.saveOutcome = { error };
    } finally {
      this.saving = false;
    }
  }

  override render() {
    const text = this.text.templates;
    if (this.loadError !== undefined)
      return html`<p class="error" role="alert">${this.localize.errorMessage(this.loadError)}</p>`;
    const readOnly = !this.isAdmin;
    const isStored = this.storedTemplate(this.key, this.language) !== undefined;
    return html`
      <div class="editor">
        <section class="panel" aria-labelledby="template-heading">
          <h2 id="template-heading">${text.kinds[this.key]} <span class="badge ${isStored ? "good" : ""}">${
            isStored ? text.stored : text.notStored
          }</span></h2>
          ${readOnly ? html`<p class="muted" data-admin-note>${text.adminOnly}</p>` : nothing}
          <form @submit=${(event: SubmitEvent) => this.save(event)}>
            <div class="row">
              <label>${text.choose}
                <select name="key" @change=${(event: Event) =>
                  this.choose((event.target as HTMLSelectElement).value as TemplateKey, this.language)}>
                  ${templateKeys.map(
                    (key) => html`<option value=${key} ?selected=${key === this.key}>${text.kinds[key]}</option>`,
                  )}
                </select>
              </label>
              <label>${text.language}
                <select name="language" @change=${(event: Event) =>
                  this.choose(this.key, (event.target as HTMLSelectElement).value as PortalLanguage)}>
                  ${(["ja", "en"] as const).map(
                    (language) =>
                      html`<option value=${language} ?selected=${language === this.language}>
                        ${text.languages[language]}</option>`,
                  )}
                </select>
              </label>
            </div>
            <label>${text.name}
              <input name="name" required maxlength="100" .value=${this.draft.name} ?readonly=${readOnly}
                @input=${(event: Event) => this.edit({ name: (event.target as HTMLInputElement).value })} />
            </label>
            <label>${text.subject}
              <input name="subject" maxlength="500" .value=${this.draft.subject} ?readonly=${readOnly}
                @input=${(event: Event) => this.edit({ subject: (event.target as HTMLInputElement).value })} />
            </label>
            <label>${text.body}
              <textarea name="body" rows="12" required .value=${this.draft.body} ?readonly=${readOnly}
                @input=${(event: Event) => this.edit({ body: (event.target as HTMLTextAreaElement).value })}></textarea>
            </label>
            ${
              readOnly
                ? nothing
                : html`<div class="actions">
                  <button type="submit" class="primary" ?disabled=${this.saving}>
                    ${this.saving ? text.saving : text.save}</button>
                  <span role="status">${this.saveOutcome && "saved" in this.saveOutcome ? text.saved : ""}</span>
                </div>`
            }
            ${
              this.saveOutcome && "error" in this.saveOutcome
                ? html`<p class="error" role="alert">${this.problem(this.saveOutcome.error)}</p>`
                : nothing
            }
          </form>
          ${this.renderTags()}
        </section>
        ${this.renderPreview()}
      </div>
    `;
  }

  private renderTags() {
    const tags = this.stored?.tags ?? [];
    return html`<h3>${this.text.templates.tags}</h3>
      <ul class="tags">
        ${tags.map(
          ({ tag, description }) =>
            html`<li><code>{{${tag}}}</code> ${this.text.templates.tagDescriptions[tag] ?? description}</li>`,
        )}
      </ul>`;
  }

  private renderPreview() {
    const text = this.text.templates;
    const preview = this.preview;
    return html`
      <section class="panel" aria-labelledby="preview-heading" data-preview-state=${preview.state}>
        <h2 id="preview-heading">${text.preview}</h2>
        <p class="muted">${text.previewNote}</p>
        <!-- Only the short news is spoken: the preview itself is read where it is, not at every pause in typing. -->
        <p class="muted" role="status">${preview.state === "rendering" ? text.previewing : ""}</p>
        ${
          preview.state === "rendered"
            ? html`${
                preview.rendered.subject === null
                  ? nothing
                  : html`<p><strong>${text.previewSubject}</strong><span
                    data-preview-subject>${preview.rendered.subject}</span></p>`
              }
              <pre class="preview-body" data-preview-body>${preview.rendered.body}</pre>`
            : nothing
        }
        ${preview.state === "failed" ? html`<p class="error" role="alert">${this.problem(preview.error)}</p>` : nothing}
      </section>
    `;
  }

  /** A template refusal names its tag (error.details.tag); anything else is the widgets' message for its code. */
  private problem(error: unknown): string {
    const problems = this.text.templates.problems;
    if (error instanceof TsunaguApiError && Object.hasOwn(problems, error.code)) {
      const tag = (error.details as { tag?: unknown } | undefined)?.tag;
      return problems[error.code as keyof typeof problems](typeof tag === "string" ? tag : "");
    }
    return this.localize.errorMessage(error);
  }
}

/** A sample interview tomorrow at 14:00 Tokyo time, with Zoom, so every tag has a value. */
function sampleValues(sample: { title: string; candidateName: string; interviewers: string[] }) {
  const tokyoToday = new Date(Date.now() + 9 * 3_600_000).toISOString().slice(0, 10);
  const start = new Date(`${tokyoToday}T14:00:00+09:00`);
  start.setUTCDate(start.getUTCDate() + 1);
  const end = new Date(start.getTime() + 60 * 60_000);
  return {
    title: sample.title,
    start: start.toISOString(),
    end: end.toISOString(),
    candidateName: sample.candidateName,
    interviewers: sample.interviewers,
    zoom: { joinUrl: "https://zoom.us/j/85012345678?pwd=sample", passcode: "482913", meetingId: "85012345678" },
    calendarLink: "https://calendar.google.com/calendar/event?eid=sample",
  };
}

declare global {
  interface HTMLElementTagNameMap {
    "sakura-template-settings": SakuraTemplateSettings;
  }
}
