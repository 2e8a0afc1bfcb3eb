import { expect, fixture, html } from "@open-wc/testing";
import { LitElement } from "lit";
import { customElement } from "lit/decorators.js";
import { buttonStyles } from "./button.ts";
import { themeStyles } from "./theme.ts";

@customElement("tsunagu-test-themed")
class TestThemed extends LitElement {
  static override styles = [themeStyles, buttonStyles];

  override render() {
    return html`<p>面接を設定しました。</p><button class="primary" type="button">OK</button>`;
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

  it("keeps the page's inherited text styles out: centring, letter-spacing, nowrap, bold, italics", async () => {
    const wrapper = await fixture<HTMLDivElement>(html`<div
      style="text-align: center; letter-spacing: 0.1em; white-space: nowrap; font-weight: bold; font-style: italic;
        text-transform: uppercase; word-break: break-all; text-indent: 2em"
    ><tsunagu-test-themed></tsunagu-test-themed></div>`);
    const themed = wrapper.querySelector("tsunagu-test-themed")!;
    const inside = getComputedStyle(themed.shadowRoot!.querySelector("p")!);
    expect({
      textAlign: inside.textAlign,
      letterSpacing: inside.letterSpacing,
      whiteSpace: inside.whiteSpace,
      fontWeight: inside.fontWeight,
      fontStyle: inside.fontStyle,
      textTransform: inside.textTransform,
      wordBreak: inside.wordBreak,
      textIndent: inside.textIndent,
    }).to.deep.equal({
      textAlign: "start",
      letterSpacing: "normal",
      whiteSpace: "normal",
      fontWeight: "400",
      fontStyle: "normal",
      textTransform: "none",
      wordBreak: "normal",
      textIndent: "0px",
    });
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
