import { expect, fixture, html } from "@open-wc/testing";
import { LitElement, nothing } from "lit";
import { customElement, property } from "lit/decorators.js";
import { buttonStyles } from "./button.ts";
import { cardStyles, renderBadge, renderCardSkeleton, renderInlineError } from "./card.ts";
import { themeStyles } from "./theme.ts";

/** Cards as an element lays them out: skeleton while `loading`, then one card with badges and an inline error. */
@customElement("tsunagu-test-cards")
class TestCards extends LitElement {
  static override styles = [themeStyles, buttonStyles, cardStyles];

  @property({ type: Boolean }) loading = false;
  @property({ type: Boolean }) failed = true;

  override render() {
    if (this.loading) return renderCardSkeleton(3, "Loading…");
    return html`<ul class="cards" role="list">
      <li class="card" part="card" aria-labelledby="card-zoom">
        <div class="card-header">
          <h3 id="card-zoom" part="card-heading">Zoom</h3>
          ${renderBadge("Not connected", "muted")}
        </div>
        <div class="badges">${renderBadge(
          "Connected",
          "success",
          "status-badge status-active",
        )} ${renderBadge("Needs reconnecting", "warning")}
          ${renderBadge("Revoked", "danger")}</div>
        ${this.failed ? renderInlineError("The server refused.", "Close", () => (this.failed = false)) : nothing}
      </li>
    </ul>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "tsunagu-test-cards": TestCards;
  }
}

function colours(el: TestCards, selector: string): string[] {
  return [...el.shadowRoot!.querySelectorAll(selector)].map((node) => getComputedStyle(node).color);
}

describe("shared cards and badges", () => {
  describe("skeleton", () => {
    it("draws the outline of the cards to come, hidden from screen readers, which hear that it loads", async () => {
      const el = await fixture<TestCards>(html`<tsunagu-test-cards loading></tsunagu-test-cards>`);
      expect(el.shadowRoot!.querySelectorAll('[part="skeleton"] > li')).to.have.length(3);
      expect(el.shadowRoot!.querySelector('[part="skeleton"]')!.getAttribute("aria-hidden")).to.equal("true");
      expect(el.shadowRoot!.querySelector('[part="loading"][role="status"]')?.textContent).to.equal("Loading…");
      await expect(el).to.be.accessible();
    });
  });

  describe("badges", () => {
    it("have part badge plus the caller's parts, and speak in the theme's colours", async () => {
      const el = await fixture<TestCards>(html`<div style="--tsunagu-color-success: rgb(0, 100, 0);
          --tsunagu-color-warning: rgb(120, 80, 0)">
        <tsunagu-test-cards></tsunagu-test-cards>
      </div>`).then((wrapper) => wrapper.querySelector("tsunagu-test-cards")!);
      expect(
        [...el.shadowRoot!.querySelectorAll('[part~="badge"]')].map((badge) => badge.getAttribute("part")),
      ).to.deep.equal(["badge", "badge status-badge status-active", "badge", "badge"]);
      expect(colours(el, ".badges [part~='badge']").slice(0, 2)).to.deep.equal(["rgb(0, 100, 0)", "rgb(120, 80, 0)"]);
    });
  });

  describe("cards", () => {
    it("wrap at --tsunagu-card-min-width and take the card properties and ::part(card)", async () => {
      const wrapper = await fixture<HTMLElement>(html`<div style="width: 600px; --tsunagu-card-min-width: 250px;
          --tsunagu-card-background: rgb(240, 240, 255)">
        <style>
          tsunagu-test-cards::part(card) {
            border-color: rgb(1, 2, 3);
          }
        </style>
        <tsunagu-test-cards></tsunagu-test-cards>
      </div>`);
      const el = wrapper.querySelector("tsunagu-test-cards")!;
      const grid = getComputedStyle(el.shadowRoot!.querySelector(".cards")!);
      expect(grid.gridTemplateColumns.split(" ")).to.have.length(2);
      const card = getComputedStyle(el.shadowRoot!.querySelector('[part="card"]')!);
      expect([card.backgroundColor, card.borderTopColor]).to.deep.equal(["rgb(240, 240, 255)", "rgb(1, 2, 3)"]);
    });

    it("show an inline error as an alert that its × dismisses", async () => {
      const el = await fixture<TestCards>(html`<tsunagu-test-cards></tsunagu-test-cards>`);
      const error = el.shadowRoot!.querySelector('[part="error"]')!;
      expect([error.getAttribute("role"), error.querySelector("p")?.textContent]).to.deep.equal([
        "alert",
        "The server refused.",
      ]);
      await expect(el).to.be.accessible();
      error.querySelector<HTMLButtonElement>('button[aria-label="Close"]')!.click();
      await el.updateComplete;
      expect(el.shadowRoot!.querySelector('[part="error"]')).to.equal(null);
    });
  });
});
