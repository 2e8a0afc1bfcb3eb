import { expect, fixture, html, waitUntil } from "@open-wc/testing";
import { sendKeys, sendMouse, setViewport } from "@web/test-runner-commands";
import { LitElement } from "lit";
import { customElement, property } from "lit/decorators.js";
import { buttonStyles, renderButton } from "./button.ts";
import { DialogController, dialogStyles } from "./dialog.ts";
import { themeStyles } from "./theme.ts";

/** A host as an element builds it: an opener, the shared dialog with a title, a body, a link and two buttons. */
@customElement("tsunagu-test-dialog")
class TestDialog extends LitElement {
  static override styles = [themeStyles, buttonStyles, dialogStyles];

  @property({ type: Boolean }) busy = false;
  @property() confirmLabel = "Remove";
  closedCount = 0;
  readonly dialog = new DialogController(this, { closed: () => this.closedCount++ });

  override render() {
    return html`
      <button type="button" data-opener @click=${() => void this.dialog.show()}>Open</button>
      <button type="button" data-elsewhere>Elsewhere</button>
      ${this.dialog.render({
        lang: "en",
        labelledBy: "test-title",
        describedBy: "test-body",
        busy: this.busy,
        content: html`<h2 id="test-title" part="dialog-title">Remove the thing?</h2>
          <p id="test-body">It goes for everyone. <a href="#more">More</a></p>
          <div class="dialog-actions">
            ${renderButton({
              label: "Cancel",
              autofocus: true,
              data: { cancel: true },
              onClick: () => this.dialog.close(),
            })}
            ${renderButton({
              label: this.confirmLabel,
              tone: "danger-solid",
              waiting: this.busy,
              data: { confirm: true },
              onClick: () => undefined,
            })}
          </div>`,
      })}
    `;
  }
}

/** Two dialogs in one element, each with its own controller. */
@customElement("tsunagu-test-two-dialogs")
class TestTwoDialogs extends LitElement {
  static override styles = [themeStyles, buttonStyles, dialogStyles];

  readonly first = new DialogController(this);
  readonly second = new DialogController(this);

  override render() {
    const view = (name: string) => ({
      lang: "en",
      labelledBy: `${name}-title`,
      describedBy: `${name}-body`,
      busy: false,
      content: html`<h2 id="${name}-title">${name}</h2>
        <p id="${name}-body">${name}</p>
        ${renderButton({ label: "Close", onClick: () => undefined })}`,
    });
    return html`${this.first.render(view("first"))}${this.second.render(view("second"))}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "tsunagu-test-dialog": TestDialog;
    "tsunagu-test-two-dialogs": TestTwoDialogs;
  }
}

function part(el: TestDialog, selector: string): HTMLElement {
  const found = el.shadowRoot?.querySelector<HTMLElement>(selector);
  if (!found) throw new Error(`nothing matches ${selector}`);
  return found;
}

/** What has the focus inside the host, as text (never the element itself). */
function focused(el: TestDialog): string {
  const active = el.shadowRoot?.activeElement;
  return active ? (active.textContent ?? "").replace(/\s+/g, " ").trim() : "nothing";
}

async function opened(el: TestDialog): Promise<HTMLDialogElement> {
  const opener = part(el, "[data-opener]");
  opener.focus();
  opener.click();
  await waitUntil(() => el.dialog.open, "the dialog did not open");
  return part(el, "dialog") as HTMLDialogElement;
}

describe("shared dialog", () => {
  describe("opening", () => {
    it("opens as a modal named by its title and described by its body, with the first focus on Cancel", async () => {
      const el = await fixture<TestDialog>(html`<tsunagu-test-dialog></tsunagu-test-dialog>`);
      const dialog = await opened(el);
      expect(dialog.matches(":modal")).to.equal(true);
      expect(dialog.getAttribute("part")).to.equal("dialog");
      expect(dialog.getAttribute("aria-labelledby")).to.equal("test-title");
      expect(dialog.getAttribute("aria-describedby")).to.equal("test-body");
      expect(focused(el)).to.equal("Cancel");
    });

    it("is accessible while open", async () => {
      const el = await fixture<TestDialog>(html`<tsunagu-test-dialog></tsunagu-test-dialog>`);
      await opened(el);
      await expect(el).to.be.accessible();
    });
  });

  describe("focus trap", () => {
    it("brings Tab past the last control back to the first", async () => {
      const el = await fixture<TestDialog>(html`<tsunagu-test-dialog></tsunagu-test-dialog>`);
      await opened(el);
      const visited: string[] = [];
      for (let press = 0; press < 4; press++) {
        await sendKeys({ press: "Tab" });
        visited.push(focused(el));
      }
      expect(visited).to.deep.equal(["Remove", "More", "Cancel", "Remove"]);
    });

    it("brings Shift+Tab before the first control round to the last", async () => {
      const el = await fixture<TestDialog>(html`<tsunagu-test-dialog></tsunagu-test-dialog>`);
      await opened(el);
      part(el, "a").focus();
      await sendKeys({ down: "Shift" });
      const visited: string[] = [];
      for (let press = 0; press < 3; press++) {
        await sendKeys({ press: "Tab" });
        visited.push(focused(el));
      }
      await sendKeys({ up: "Shift" });
      expect(visited).to.deep.equal(["Remove", "Cancel", "More"]);
    });

    it("keeps the page behind it out of reach", async () => {
      const el = await fixture<TestDialog>(html`<tsunagu-test-dialog></tsunagu-test-dialog>`);
      await opened(el);
      part(el, "[data-elsewhere]").focus();
      expect(focused(el)).to.equal("Cancel");
    });
  });

  describe("Escape", () => {
    it("closes it, gives the focus back to the control that opened it and reports the close", async () => {
      const el = await fixture<TestDialog>(html`<tsunagu-test-dialog></tsunagu-test-dialog>`);
      const dialog = await opened(el);
      await sendKeys({ press: "Escape" });
      await waitUntil(() => !dialog.open, "Escape did not close the dialog");
      await waitUntil(() => el.closedCount === 1, "the close was not reported");
      expect(focused(el)).to.equal("Open");
    });

    it("leaves it open while an action runs", async () => {
      const el = await fixture<TestDialog>(html`<tsunagu-test-dialog busy></tsunagu-test-dialog>`);
      const dialog = await opened(el);
      await sendKeys({ press: "Escape" });
      await el.updateComplete;
      expect(dialog.open).to.equal(true);
      expect(part(el, "[data-confirm]").getAttribute("aria-disabled")).to.equal("true");
    });
  });

  describe("closing", () => {
    it("puts the focus nowhere when the element moves it itself", async () => {
      const el = await fixture<TestDialog>(html`<tsunagu-test-dialog></tsunagu-test-dialog>`);
      const dialog = await opened(el);
      el.dialog.close({ restoreFocus: false });
      part(el, "[data-elsewhere]").focus();
      await waitUntil(() => el.closedCount === 1, "the close was not reported");
      expect(dialog.open).to.equal(false);
      expect(focused(el)).to.equal("Elsewhere");
    });

    it("gives the focus to where show() was told", async () => {
      const el = await fixture<TestDialog>(html`<tsunagu-test-dialog></tsunagu-test-dialog>`);
      await el.dialog.show(() => part(el, "[data-elsewhere]").focus());
      part(el, "[data-cancel]").click();
      await waitUntil(() => el.closedCount === 1, "the close was not reported");
      expect(focused(el)).to.equal("Elsewhere");
    });

    it("tells no close when shown again in the same task: the new dialog keeps its focus to restore", async () => {
      const el = await fixture<TestDialog>(html`<tsunagu-test-dialog></tsunagu-test-dialog>`);
      const dialog = await opened(el);
      el.dialog.close();
      await el.dialog.show(() => part(el, "[data-elsewhere]").focus());
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect([dialog.open, el.closedCount]).to.deep.equal([true, 0]);
      await sendKeys({ press: "Escape" });
      await waitUntil(() => el.closedCount === 1, "the close was not reported");
      expect(focused(el)).to.equal("Elsewhere");
    });
  });

  describe("backdrop", () => {
    it("dims the page behind", async () => {
      const el = await fixture<TestDialog>(html`<tsunagu-test-dialog></tsunagu-test-dialog>`);
      const dialog = await opened(el);
      expect(getComputedStyle(dialog, "::backdrop").backgroundColor).to.not.be.oneOf([
        "rgba(0, 0, 0, 0)",
        "transparent",
        "",
      ]);
    });

    it("closes nothing when clicked", async () => {
      const el = await fixture<TestDialog>(html`<tsunagu-test-dialog></tsunagu-test-dialog>`);
      const dialog = await opened(el);
      const box = dialog.getBoundingClientRect();
      await sendMouse({
        type: "click",
        position: [Math.max(1, Math.floor(box.left / 2)), Math.max(1, Math.floor(box.top / 2))],
      });
      await el.updateComplete;
      expect(dialog.open).to.equal(true);
      expect(el.closedCount).to.equal(0);
    });
  });

  describe("several in one element", () => {
    it("opens only the dialog whose controller was asked", async () => {
      const el = await fixture<TestTwoDialogs>(html`<tsunagu-test-two-dialogs></tsunagu-test-two-dialogs>`);
      await el.second.show();
      expect([el.first.open, el.second.open]).to.deep.equal([false, true]);
      expect(el.second.element?.getAttribute("aria-labelledby")).to.equal("second-title");
    });
  });

  describe("in a window 320 px wide", () => {
    afterEach(async () => {
      await setViewport({ width: 800, height: 600 });
    });

    it("puts a button that no longer fits beside the others on a line of its own, its words on one line", async () => {
      await setViewport({ width: 320, height: 640 });
      const el = await fixture<TestDialog>(html`<tsunagu-test-dialog></tsunagu-test-dialog>`);
      el.confirmLabel = "Cancel the interview now";
      await opened(el);
      const lines = (button: HTMLElement) => {
        const range = document.createRange();
        range.selectNodeContents(button);
        return new Set([...range.getClientRects()].map((rect) => Math.round(rect.top))).size;
      };
      expect(lines(part(el, "[data-confirm]")), "the long label broke over two lines").to.equal(1);
      expect(lines(part(el, "[data-cancel]"))).to.equal(1);
      const cancel = part(el, "[data-cancel]").getBoundingClientRect();
      expect(part(el, "[data-confirm]").getBoundingClientRect().top).to.be.at.least(cancel.bottom);
    });
  });

  describe("styling from the page", () => {
    it("takes --tsunagu-dialog-width and ::part(dialog)", async () => {
      const wrapper = await fixture<HTMLElement>(html`<div style="--tsunagu-dialog-width: 300px">
        <style>
          tsunagu-test-dialog::part(dialog) {
            border-color: rgb(200, 30, 90);
          }
        </style>
        <tsunagu-test-dialog></tsunagu-test-dialog>
      </div>`);
      const el = wrapper.querySelector("tsunagu-test-dialog")!;
      const dialog = await opened(el);
      expect(getComputedStyle(dialog).width).to.equal("300px");
      expect(getComputedStyle(dialog).borderTopColor).to.equal("rgb(200, 30, 90)");
    });
  });
});
