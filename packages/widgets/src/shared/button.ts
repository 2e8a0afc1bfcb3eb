/**
 * The shared button: a native `<button>` in the element's own shadow root,
 * with `part="button"` (and `primary-button` / `danger-button` by tone), so
 * the page styles every element's buttons with one `::part()` rule.
 *
 * A template and styles rather than a `<tsunagu-button>` element: a native
 * button keeps its keyboard behaviour and accessible name, and its part is
 * the element's own, with no `exportparts` to forward at every level.
 *
 * Waiting: `waiting` sets `aria-disabled` rather than `disabled` (a disabled
 * button drops keyboard focus) and ignores clicks; the button keeps its look,
 * so an action under way in one card does not grey out the others.
 */
import { css, html, nothing, type TemplateResult } from "lit";
import { Directive, directive, type ElementPart, type PartInfo, PartType } from "lit/directive.js";

/** `primary` is the accent; `danger` red text; `danger-solid` a red button, for the destructive choice in a dialog. */
export type ButtonTone = "" | "primary" | "danger" | "danger-solid";

export interface ButtonOptions {
  label: string;
  /** The accessible name when the label alone is ambiguous; it starts with the label. */
  name?: string | undefined;
  tone?: ButtonTone | undefined;
  /** Something else runs: clicks are ignored, focus stays (aria-disabled). */
  waiting?: boolean | undefined;
  autofocus?: boolean | undefined;
  /** `data-*` attributes that name the button for focus moves and tests: `{ primary: true }` → `data-primary`. */
  data?: Readonly<Record<string, boolean>> | undefined;
  onClick: (trigger: HTMLElement) => void;
}

const toneParts: Record<ButtonTone, string> = {
  "": "button",
  primary: "button primary-button",
  danger: "button danger-button",
  "danger-solid": "button danger-button",
};

const toneClasses: Record<ButtonTone, string> = {
  "": "",
  primary: "primary",
  danger: "danger",
  "danger-solid": "danger solid",
};

export function renderButton(options: ButtonOptions): TemplateResult {
  const tone = options.tone ?? "";
  return html`<button
    type="button"
    part=${toneParts[tone]}
    class=${toneClasses[tone]}
    aria-label=${options.name ?? nothing}
    aria-disabled=${options.waiting ? "true" : nothing}
    ?autofocus=${options.autofocus === true}
    ${dataAttributes(options.data ?? {})}
    @click=${(event: Event) => {
      if (!options.waiting) options.onClick(event.currentTarget as HTMLElement);
    }}
  >
    ${options.label}
  </button>`;
}

/** The small × that dismisses a toast or an inline error; `label` is its accessible name. */
export function renderDismissButton(label: string, onClick: () => void): TemplateResult {
  return html`<button type="button" part="button" class="dismiss" aria-label=${label}
    @click=${onClick}>${dismissGlyph}</button>`;
}

/** A symbol, not a word: the button's name is its translated `aria-label`. */
const dismissGlyph = "×";

/** Sets `data-<key>` for each true key and removes the ones it set before that are no longer true. */
class DataAttributes extends Directive {
  #set = new Set<string>();

  constructor(part: PartInfo) {
    super(part);
    if (part.type !== PartType.ELEMENT) throw new Error("dataAttributes belongs on an element");
  }

  render(_data: Readonly<Record<string, boolean>>): typeof nothing {
    return nothing;
  }

  override update(part: ElementPart, [data]: [Readonly<Record<string, boolean>>]): typeof nothing {
    const wanted = new Set(Object.keys(data).filter((key) => data[key]));
    for (const key of this.#set) if (!wanted.has(key)) part.element.removeAttribute(`data-${key}`);
    for (const key of wanted) part.element.setAttribute(`data-${key}`, "");
    this.#set = wanted;
    return nothing;
  }
}

const dataAttributes = directive(DataAttributes);

export const buttonStyles = css`
  button {
    font: inherit;
    cursor: pointer;
    border-radius: var(--_tsunagu-radius);
    border: 1px solid var(--_tsunagu-color-border);
    background: var(--_tsunagu-color-surface);
    color: var(--_tsunagu-color-text);
    padding: calc(var(--_tsunagu-spacing) * 0.75) calc(var(--_tsunagu-spacing) * 1.5);
  }

  button.primary {
    background: var(--_tsunagu-color-accent);
    border-color: var(--_tsunagu-color-accent);
    color: var(--_tsunagu-color-on-accent);
  }

  button.danger {
    color: var(--_tsunagu-color-danger);
  }

  button.danger.solid {
    background: var(--_tsunagu-color-danger);
    border-color: var(--_tsunagu-color-danger);
    color: var(--_tsunagu-color-on-accent);
  }

  button:disabled {
    cursor: not-allowed;
    opacity: 0.6;
  }

  button[aria-disabled="true"] {
    cursor: not-allowed;
  }

  button.dismiss {
    border: none;
    background: none;
    color: inherit;
    padding: 0 calc(var(--_tsunagu-spacing) * 0.5);
    line-height: 1.4;
  }
`;
