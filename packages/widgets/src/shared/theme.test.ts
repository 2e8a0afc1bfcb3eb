import { expect, fixture, html } from "@open-wc/testing";
import { LitElement } from "lit";
import { customElement } from "lit/decorators.js";
import { buttonStyles } from "./button.ts";
import { themeStyles } from "./theme.ts";

@customElement("tsunagu-test-themed")
class TestThemed extends LitElement {
  static override styles = [themeStyles, buttonStyles];

  override render() {
    return html`<button class="primary" type="button">OK</button>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "tsunagu-test-themed": TestThemed;
  }
}

function primaryButton(el: TestThemed): CSSStyleDeclaration {
  const button = el.shadowRoot?.querySelector("button");
  if (!button) throw new Error("no button rendered");
  return getComputedStyle(button);
}

describe("themeStyles", () => {
  it("has working defaults without any token set", async () => {
    const el = await fixture<TestThemed>(html`<tsunagu-test-themed></tsunagu-test-themed>`);
    expect(primaryButton(el).backgroundColor).to.equal("rgb(11, 92, 173)");
  });

  it("takes --tsunagu- custom properties from the page", async () => {
    const el = await fixture<TestThemed>(
      html`<div style="--tsunagu-color-accent: rgb(200, 30, 90)"><tsunagu-test-themed></tsunagu-test-themed></div>`,
    );
    const themed = el.querySelector("tsunagu-test-themed");
    if (!themed) throw new Error("no element");
    expect(primaryButton(themed).backgroundColor).to.equal("rgb(200, 30, 90)");
  });

  it("sets nothing on the document root", async () => {
    await fixture<TestThemed>(html`<tsunagu-test-themed></tsunagu-test-themed>`);
    const root = getComputedStyle(document.documentElement);
    expect(root.getPropertyValue("--tsunagu-color-accent")).to.equal("");
    expect(root.getPropertyValue("--_tsunagu-color-accent")).to.equal("");
  });

  it("is accessible", async () => {
    await expect(await fixture(html`<tsunagu-test-themed></tsunagu-test-themed>`)).to.be.accessible();
  });
});
