/**
 * A heading at the level the page needs: the element sits under the
 * portal's own headings, so `heading-level` says where its outline starts.
 * Shared: every element with sections and cards takes `heading-level`.
 */
import { html, type TemplateResult } from "lit";

export type HeadingLevel = 2 | 3 | 4 | 5 | 6;

/** Clamps any number to a level a section heading can have. */
export function headingLevel(value: unknown): HeadingLevel {
  const level = Math.round(Number(value));
  return (Number.isFinite(level) ? Math.min(6, Math.max(2, level)) : 2) as HeadingLevel;
}

export function heading(level: HeadingLevel, id: string, content: unknown, part = "heading"): TemplateResult {
  // tabindex=-1: the element moves focus here when the control that had it goes away.
  switch (level) {
    case 2:
      return html`<h2 id=${id} part=${part} tabindex="-1">${content}</h2>`;
    case 3:
      return html`<h3 id=${id} part=${part} tabindex="-1">${content}</h3>`;
    case 4:
      return html`<h4 id=${id} part=${part} tabindex="-1">${content}</h4>`;
    case 5:
      return html`<h5 id=${id} part=${part} tabindex="-1">${content}</h5>`;
    case 6:
      return html`<h6 id=${id} part=${part} tabindex="-1">${content}</h6>`;
  }
}

/** The level below `level` (cards under a section), never past 6. */
export function below(level: HeadingLevel): HeadingLevel {
  return Math.min(6, level + 1) as HeadingLevel;
}
