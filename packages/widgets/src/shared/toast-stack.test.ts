import { expect, fixture, html, waitUntil } from "@open-wc/testing";
import { sendKeys, setViewport } from "@web/test-runner-commands";
import { LitElement, nothing } from "lit";
import { customElement, property } from "lit/decorators.js";
import { buttonStyles } from "./button.ts";
import { themeStyles } from "./theme.ts";
import { ToastController } from "./toast-controller.ts";
import { renderToastStack, toastStyles } from "./toast-stack.ts";

/** Successes leave after 200 ms here, so a test can see one go. A heading and a button come before the toasts. */
@customElement("tsunagu-test-toasts")
class TestToasts extends LitElement {
  static override styles = [themeStyles, buttonStyles, toastStyles];

  readonly toasts = new ToastController(this, { successMs: 200 });
  @property({ type: Boolean }) saved = false;

  override render() {
    return html`<h2 part="heading" tabindex="-1">Candidates</h2>
      ${this.saved ? nothing : html`<button type="button">Save</button>`}
      ${renderToastStack(this.toasts, { lang: "en", dismissLabel: "Dismiss notification" })}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "tsunagu-test-toasts": TestToasts;
  }
}

/** The messages in the polite (`status`) or assertive (`alert`) region, in order. */
function messages(el: TestToasts, role: "status" | "alert"): string[] {
  return [...el.shadowRoot!.querySelectorAll(`[part="toasts"] [role="${role}"] [part="toast"] p:first-child`)].map(
    (p) => p.textContent?.trim() ?? "",
  );
}

/** What has the focus, as its text or name: in the element, else the page's (never the element itself: see `has`). */
function focused(el: TestToasts): string {
  const active = el.shadowRoot!.activeElement ?? document.activeElement;
  if (active === document.body) return "the page's body";
  return active?.getAttribute("aria-label") ?? active?.textContent?.trim() ?? "nothing";
}

/** Tabs from the Save button to the toast's ×, as a keyboard user gets there. */
async function tabToDismiss(el: TestToasts): Promise<void> {
  el.shadowRoot!.querySelector<HTMLButtonElement>("button")!.focus();
  await sendKeys({ press: "Tab" });
  expect(focused(el)).to.equal("Dismiss notification");
}

async function shown(tone: "success" | "info" | "error", message: string, note?: string): Promise<TestToasts> {
  const el = await fixture<TestToasts>(html`<tsunagu-test-toasts></tsunagu-test-toasts>`);
  el.toasts.show(tone, message, note);
  await el.updateComplete;
  return el;
}

describe("shared toast stack", () => {
  describe("announcing", () => {
    it("has both live regions in the page before there is anything to say", async () => {
      const el = await fixture<TestToasts>(html`<tsunagu-test-toasts></tsunagu-test-toasts>`);
      const status = el.shadowRoot!.querySelector('[role="status"]')!;
      const alert = el.shadowRoot!.querySelector('[role="alert"]')!;
      expect([status.getAttribute("aria-live"), alert.getAttribute("aria-live")]).to.deep.equal([
        "polite",
        "assertive",
      ]);
      expect(el.shadowRoot!.querySelectorAll('[part="toast"]')).to.have.length(0);
    });

    it("says successes and notes politely, with a second line", async () => {
      const el = await shown("success", "Linked the Zoom account.", "Zoom kept the grant.");
      el.toasts.show("info", "Linking was cancelled.");
      await el.updateComplete;
      expect(messages(el, "status")).to.deep.equal(["Linked the Zoom account.", "Linking was cancelled."]);
      expect(messages(el, "alert")).to.deep.equal([]);
      expect(el.shadowRoot!.querySelector('[data-tone="success"] p.muted')?.textContent).to.equal(
        "Zoom kept the grant.",
      );
    });

    it("says a failure at once, and a new failure replaces the old one", async () => {
      const el = await shown("error", "The server did not answer.");
      el.toasts.show("error", "The server refused.");
      await el.updateComplete;
      expect(messages(el, "alert")).to.deep.equal(["The server refused."]);
      expect(messages(el, "status")).to.deep.equal([]);
    });

    it("is accessible with a toast of each tone", async () => {
      const el = await shown("success", "Linked.");
      el.toasts.show("info", "Cancelled.");
      el.toasts.show("error", "Refused.");
      await el.updateComplete;
      await expect(el).to.be.accessible();
    });
  });

  describe("dismissing", () => {
    it("lets a success leave by itself", async () => {
      const el = await shown("success", "Linked.");
      await waitUntil(() => messages(el, "status").length === 0, "the success stayed", { timeout: 3000 });
    });

    it("keeps a failure until its dismiss button, named for screen readers, is pressed", async () => {
      const el = await shown("error", "Refused.");
      await new Promise((resolve) => setTimeout(resolve, 400));
      expect(messages(el, "alert")).to.deep.equal(["Refused."]);
      const dismiss = el.shadowRoot!.querySelector<HTMLButtonElement>('[part="toast"] button')!;
      expect(dismiss.getAttribute("aria-label")).to.equal("Dismiss notification");
      expect(dismiss.getAttribute("part")).to.equal("button");
      dismiss.click();
      await el.updateComplete;
      expect(messages(el, "alert")).to.deep.equal([]);
    });

    it("keeps each staying toast's node when another leaves or comes, so nothing is read twice", async () => {
      const el = await fixture<TestToasts>(html`<tsunagu-test-toasts></tsunagu-test-toasts>`);
      el.toasts.show("info", "First.");
      el.toasts.show("info", "Second.");
      await el.updateComplete;
      const nodes = () => [...el.shadowRoot!.querySelectorAll('[role="status"] [part="toast"]')];
      const [first, second] = nodes();
      const dismissFirst = first!.querySelector("button")!;
      dismissFirst.click();
      el.toasts.show("info", "Third.");
      await el.updateComplete;
      expect(messages(el, "status")).to.deep.equal(["Second.", "Third."]);
      expect(nodes()[0]).to.equal(second);
      expect(first!.isConnected).to.equal(false);
    });

    it("clears every toast at once", async () => {
      const el = await shown("success", "Linked.");
      el.toasts.show("error", "Refused.");
      el.toasts.clear();
      await el.updateComplete;
      expect(el.shadowRoot!.querySelectorAll('[part="toast"]')).to.have.length(0);
    });
  });

  describe("keyboard", () => {
    it("gives the focus back to the control it came from when a toast is dismissed with Enter", async () => {
      const el = await shown("error", "Refused.");
      await tabToDismiss(el);
      await sendKeys({ press: "Enter" });
      await el.updateComplete;
      expect(messages(el, "alert")).to.deep.equal([]);
      expect(focused(el)).to.equal("Save");
    });

    it("gives it to the element's heading when that control is gone, never to the page's body", async () => {
      const el = await shown("error", "Refused.");
      await tabToDismiss(el);
      el.saved = true;
      await el.updateComplete;
      await sendKeys({ press: "Space" });
      await el.updateComplete;
      expect(messages(el, "alert")).to.deep.equal([]);
      expect(focused(el)).to.equal("Candidates");
    });

    it("gives the focus back when a success leaves by itself while its dismiss button has it", async () => {
      const el = await shown("success", "Saved.");
      await tabToDismiss(el);
      await waitUntil(() => messages(el, "status").length === 0, "the success stayed", { timeout: 3000 });
      expect(focused(el)).to.equal("Save");
    });

    it("leaves the focus alone when a toast goes while the person is elsewhere", async () => {
      const el = await shown("error", "Refused.");
      el.shadowRoot!.querySelector<HTMLButtonElement>("button")!.focus();
      el.toasts.clear();
      await el.updateComplete;
      expect(focused(el)).to.equal("Save");
    });
  });

  describe("layout", () => {
    afterEach(async () => {
      await setViewport({ width: 800, height: 600 });
    });

    it("sits in the window's corner in a wide window", async () => {
      const el = await shown("success", "Saved.");
      const stack = el.shadowRoot!.querySelector<HTMLElement>('[part="toasts"]')!;
      expect(getComputedStyle(stack).position).to.equal("fixed");
      expect(innerWidth - stack.getBoundingClientRect().right).to.be.closeTo(16, 1);
      expect(innerHeight - stack.getBoundingClientRect().bottom).to.be.closeTo(16, 1);
    });

    it("comes after the element's content in a 320 px window, taking no room while empty", async () => {
      await setViewport({ width: 320, height: 480 });
      const el = await fixture<TestToasts>(html`<tsunagu-test-toasts></tsunagu-test-toasts>`);
      const stack = el.shadowRoot!.querySelector<HTMLElement>('[part="toasts"]')!;
      const save = el.shadowRoot!.querySelector("button")!;
      expect(stack.getBoundingClientRect().height).to.equal(0);
      el.toasts.show("error", "Refused.");
      el.toasts.show("success", "Saved.");
      await el.updateComplete;
      const toasts = [...el.shadowRoot!.querySelectorAll('[part="toast"]')].map((toast) =>
        toast.getBoundingClientRect(),
      );
      expect(getComputedStyle(stack).position).to.equal("sticky");
      expect(toasts.every((toast) => toast.top >= save.getBoundingClientRect().bottom)).to.equal(true);
      expect(el.getBoundingClientRect().bottom).to.be.closeTo(toasts.at(-1)!.bottom, 1);
    });
  });

  describe("styling from the page", () => {
    it("takes ::part(toast) and the theme's colours", async () => {
      const wrapper = await fixture<HTMLElement>(html`<div style="--tsunagu-color-danger: rgb(120, 10, 10)">
        <style>
          tsunagu-test-toasts::part(toast) {
            background-color: rgb(250, 240, 200);
          }
        </style>
        <tsunagu-test-toasts></tsunagu-test-toasts>
      </div>`);
      const el = wrapper.querySelector("tsunagu-test-toasts")!;
      el.toasts.show("error", "Refused.");
      await el.updateComplete;
      const toast = getComputedStyle(el.shadowRoot!.querySelector('[part="toast"]')!);
      expect(toast.backgroundColor).to.equal("rgb(250, 240, 200)");
      expect(toast.borderInlineStartColor).to.equal("rgb(120, 10, 10)");
    });
  });
});
