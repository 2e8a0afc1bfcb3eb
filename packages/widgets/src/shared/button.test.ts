import { expect, fixture, html } from "@open-wc/testing";
import { sendKeys } from "@web/test-runner-commands";
import { LitElement } from "lit";
import { customElement, property } from "lit/decorators.js";
import { buttonStyles, type ButtonTone, renderButton, renderDismissButton } from "./button.ts";
import { themeStyles } from "./theme.ts";

/** One shared button of `tone`, waiting or not, marked `data-main` or `data-other`; plus a dismiss ×. */
@customElement("tsunagu-test-button")
class TestButton extends LitElement {
  static override styles = [themeStyles, buttonStyles];

  @property() tone: ButtonTone = "";
  @property({ type: Boolean }) waiting = false;
  @property() mark: "main" | "other" = "main";
  clicks = 0;
  dismissed = 0;

  override render() {
    return html`${renderButton({
      label: "Unlink",
      name: "Unlink: Zoom Ken Sato",
      tone: this.tone,
      waiting: this.waiting,
      data: { main: this.mark === "main", other: this.mark === "other" },
      onClick: () => this.clicks++,
    })}
    ${renderDismissButton("Dismiss notification", () => this.dismissed++)}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "tsunagu-test-button": TestButton;
  }
}

function button(el: TestButton): HTMLButtonElement {
  return el.shadowRoot!.querySelector<HTMLButtonElement>("button")!;
}

describe("shared button", () => {
  describe("tones", () => {
    it("is a native button with part button and the accessible name it was given", async () => {
      const el = await fixture<TestButton>(html`<tsunagu-test-button></tsunagu-test-button>`);
      expect([
        button(el).type,
        button(el).getAttribute("part"),
        button(el).getAttribute("aria-label"),
        button(el).textContent?.trim(),
      ]).to.deep.equal(["button", "button", "Unlink: Zoom Ken Sato", "Unlink"]);
    });

    it("adds primary-button or danger-button, and paints them from the theme", async () => {
      const wrapper = await fixture<HTMLElement>(html`<div style="--tsunagu-color-accent: rgb(10, 20, 30);
          --tsunagu-color-danger: rgb(150, 0, 0)">
        <tsunagu-test-button tone="primary"></tsunagu-test-button>
        <tsunagu-test-button tone="danger"></tsunagu-test-button>
        <tsunagu-test-button tone="danger-solid"></tsunagu-test-button>
      </div>`);
      const [primary, danger, solid] = [...wrapper.querySelectorAll("tsunagu-test-button")].map(button);
      expect([primary!.getAttribute("part"), danger!.getAttribute("part"), solid!.getAttribute("part")]).to.deep.equal([
        "button primary-button",
        "button danger-button",
        "button danger-button",
      ]);
      expect(getComputedStyle(primary!).backgroundColor).to.equal("rgb(10, 20, 30)");
      expect(getComputedStyle(danger!).color).to.equal("rgb(150, 0, 0)");
      expect(getComputedStyle(solid!).backgroundColor).to.equal("rgb(150, 0, 0)");
    });

    it("takes ::part(primary-button) from the page", async () => {
      const wrapper = await fixture<HTMLElement>(html`<div>
        <style>
          tsunagu-test-button::part(primary-button) {
            border-radius: 0;
          }
        </style>
        <tsunagu-test-button tone="primary"></tsunagu-test-button>
      </div>`);
      expect(getComputedStyle(button(wrapper.querySelector("tsunagu-test-button")!)).borderTopLeftRadius).to.equal(
        "0px",
      );
    });
  });

  describe("states", () => {
    it("runs its action on click, Enter and Space", async () => {
      const el = await fixture<TestButton>(html`<tsunagu-test-button></tsunagu-test-button>`);
      button(el).click();
      button(el).focus();
      await sendKeys({ press: "Enter" });
      await sendKeys({ press: "Space" });
      expect(el.clicks).to.equal(3);
    });

    it("while waiting, keeps the focus and its look, says so, and ignores clicks and keys", async () => {
      const el = await fixture<TestButton>(html`<tsunagu-test-button></tsunagu-test-button>`);
      const opacity = getComputedStyle(button(el)).opacity;
      el.waiting = true;
      await el.updateComplete;
      button(el).focus();
      button(el).click();
      await sendKeys({ press: "Enter" });
      expect(el.clicks).to.equal(0);
      expect(button(el).getAttribute("aria-disabled")).to.equal("true");
      expect(button(el).disabled).to.equal(false);
      expect(el.shadowRoot!.activeElement === button(el)).to.equal(true);
      expect(getComputedStyle(button(el)).opacity).to.equal(opacity);
      expect(getComputedStyle(button(el)).cursor).to.equal("not-allowed");
    });

    it("drops aria-disabled once it waits no more", async () => {
      const el = await fixture<TestButton>(html`<tsunagu-test-button waiting></tsunagu-test-button>`);
      el.waiting = false;
      await el.updateComplete;
      expect(button(el).hasAttribute("aria-disabled")).to.equal(false);
      button(el).click();
      expect(el.clicks).to.equal(1);
    });

    it("keeps its data marks current", async () => {
      const el = await fixture<TestButton>(html`<tsunagu-test-button></tsunagu-test-button>`);
      expect([button(el).hasAttribute("data-main"), button(el).hasAttribute("data-other")]).to.deep.equal([
        true,
        false,
      ]);
      el.mark = "other";
      await el.updateComplete;
      expect([button(el).hasAttribute("data-main"), button(el).hasAttribute("data-other")]).to.deep.equal([
        false,
        true,
      ]);
    });
  });

  describe("dismiss button", () => {
    it("is named by its label, not by its symbol", async () => {
      const el = await fixture<TestButton>(html`<tsunagu-test-button></tsunagu-test-button>`);
      const dismiss = el.shadowRoot!.querySelector<HTMLButtonElement>("button.dismiss")!;
      expect([dismiss.getAttribute("part"), dismiss.getAttribute("aria-label")]).to.deep.equal([
        "button",
        "Dismiss notification",
      ]);
      dismiss.click();
      expect(el.dismissed).to.equal(1);
    });
  });

  describe("accessibility", () => {
    it("is accessible in every tone, waiting or not", async () => {
      for (const tone of ["", "primary", "danger", "danger-solid"] as const) {
        await expect(await fixture(html`<tsunagu-test-button tone=${tone}></tsunagu-test-button>`)).to.be.accessible();
        await expect(
          await fixture(html`<tsunagu-test-button tone=${tone} waiting></tsunagu-test-button>`),
        ).to.be.accessible();
      }
    });
  });
});
