import { expect, fixture, html, waitUntil } from "@open-wc/testing";
import { sendKeys } from "@web/test-runner-commands";
import type { TsunaguZoomHostChangedEvent } from "../events/tsunagu-zoom-host-changed.ts";
import { fakeServer } from "../test-support/fake-host-token.ts";
import {
  busyHour,
  type FakeZoomTenant,
  freeHalfHour,
  pickerSettled,
  radioOf,
  sakuraHosts,
  seedZoomHosts,
  shownHosts,
} from "../test-support/fake-zoom-hosts.ts";
import type { ZoomHostPicker } from "./zoom-host-picker.ts";
import "./define.ts";

interface InterviewForm {
  form: HTMLFormElement;
  picker: ZoomHostPicker;
  title: HTMLInputElement;
  after: HTMLButtonElement;
}

/** A portal's plain interview form: a title, the picker, a submit button. */
async function interviewForm(
  tenant: FakeZoomTenant,
  options: { time?: { start: string; end: string }; required?: boolean; locale?: string; disabled?: boolean } = {},
): Promise<InterviewForm> {
  const time = options.time ?? busyHour;
  const form = await fixture<HTMLFormElement>(html`<form>
    <input name="title" value="一次面接" aria-label="Title" />
    <fieldset ?disabled=${options.disabled === true}>
      <legend>Web interview</legend>
      <zoom-host-picker
        name="zoomHostUserId"
        ?required=${options.required === true}
        server=${fakeServer}
        token=${tenant.token()}
        locale=${options.locale ?? "en"}
        debounce="0"
        start=${time.start}
        end=${time.end}
        participants="u_ken,u_aiko"
      ></zoom-host-picker>
    </fieldset>
    <button type="submit">Schedule</button>
  </form>`);
  const picker = form.querySelector("zoom-host-picker")!;
  await pickerSettled(picker);
  return { form, picker, title: form.querySelector("input")!, after: form.querySelector("button")! };
}

/** What the form submits, as the browser builds it. */
function submitted(form: HTMLFormElement): Array<[string, string]> {
  return [...new FormData(form)].map(([key, value]) => [key, String(value)]);
}

/** Submits like a person pressing the submit button; resolves with the submitted fields, or null when the browser
 * refused. */
function submit(form: HTMLFormElement): Array<[string, string]> | null {
  let fields: Array<[string, string]> | null = null;
  const onSubmit = (event: SubmitEvent) => {
    event.preventDefault();
    fields = submitted(form);
  };
  form.addEventListener("submit", onSubmit);
  form.requestSubmit();
  form.removeEventListener("submit", onSubmit);
  return fields;
}

function focusedHost(picker: ZoomHostPicker): string | undefined {
  return (picker.shadowRoot!.activeElement as HTMLElement | null)?.dataset.zoomUserId;
}

describe("<zoom-host-picker> in a form", () => {
  describe("form association", () => {
    it("submits the chosen Zoom user under its name with a plain form", async () => {
      const tenant = await seedZoomHosts({ hosts: sakuraHosts });
      const { form, picker } = await interviewForm(tenant);
      expect(picker.form).to.equal(form);
      expect(submit(form)).to.deep.equal([
        ["title", "一次面接"],
        ["zoomHostUserId", "zu_recruit"],
      ]);
      await expect(form).to.be.accessible();
    });

    it("submits nothing under its name when no host is chosen", async () => {
      const tenant = await seedZoomHosts({
        hosts: [{ zoomUserId: "zu_ken", displayName: "Ken Sato", owners: ["u_ken"], meetings: [busyHour] }],
      });
      const { form, picker } = await interviewForm(tenant);
      expect(picker.value).to.equal("");
      expect(submit(form)).to.deep.equal([["title", "一次面接"]]);
    });

    it("when required, is valueMissing until a host can be chosen, and keeps the form from submitting", async () => {
      const tenant = await seedZoomHosts({
        hosts: [{ zoomUserId: "zu_ken", displayName: "Ken Sato", owners: ["u_ken"], meetings: [busyHour] }],
      });
      const { form, picker } = await interviewForm(tenant, { required: true });
      expect(picker.validity.valueMissing).to.equal(true);
      expect(picker.validationMessage).to.equal("Choose a Zoom host.");
      expect(picker.checkValidity()).to.equal(false);
      expect(form.checkValidity()).to.equal(false);
      expect(submit(form)).to.equal(null);
      expect(picker.shadowRoot!.querySelector('[role="radiogroup"]')!.getAttribute("aria-required")).to.equal("true");

      picker.start = freeHalfHour.start;
      picker.end = freeHalfHour.end;
      await pickerSettled(picker);
      expect(picker.validity.valid).to.equal(true);
      expect(submit(form)).to.deep.equal([
        ["title", "一次面接"],
        ["zoomHostUserId", "zu_ken"],
      ]);
    });

    it("words its validation message in the element's language", async () => {
      const tenant = await seedZoomHosts({ hosts: [] });
      const { picker } = await interviewForm(tenant, { required: true, locale: "ja" });
      expect(picker.validationMessage).to.equal("Zoom 主催者を選んでください。");
    });

    it("goes back to the server's pick when the form is reset, and restores a saved value", async () => {
      const tenant = await seedZoomHosts({ hosts: sakuraHosts });
      const { form, picker } = await interviewForm(tenant, { time: freeHalfHour });
      radioOf(picker, "zu_basic").click();
      expect(picker.value).to.equal("zu_basic");
      form.reset();
      await picker.updateComplete;
      expect(picker.value).to.equal("zu_ken");
      expect(submitted(form)).to.deep.equal([
        ["title", "一次面接"],
        ["zoomHostUserId", "zu_ken"],
      ]);

      // What the browser hands back when the page is restored (back/forward, autofill).
      picker.formStateRestoreCallback("zu_recruit");
      await picker.updateComplete;
      expect(shownHosts(picker)).to.deep.equal(["zu_ken", "zu_aiko", "zu_recruit*", "zu_basic"]);
    });

    it("takes a value set by the page before the candidates arrive, when that host can host", async () => {
      const tenant = await seedZoomHosts({ hosts: sakuraHosts });
      const form = await fixture<HTMLFormElement>(html`<form>
        <zoom-host-picker name="host" server=${fakeServer} token=${tenant.token()} locale="en" .value=${"zu_basic"}
          start=${freeHalfHour.start} end=${freeHalfHour.end}></zoom-host-picker>
      </form>`);
      const picker = form.querySelector("zoom-host-picker")!;
      await pickerSettled(picker);
      expect(picker.value).to.equal("zu_basic");
      expect(submitted(form)).to.deep.equal([["host", "zu_basic"]]);
    });

    it("is left out of the form and cannot be changed inside a disabled fieldset", async () => {
      const tenant = await seedZoomHosts({ hosts: sakuraHosts });
      const { form, picker } = await interviewForm(tenant, { time: freeHalfHour, disabled: true });
      radioOf(picker, "zu_basic").click();
      expect(picker.value).to.equal("zu_ken");
      expect(radioOf(picker, "zu_basic").getAttribute("aria-disabled")).to.equal("true");
      expect(submitted(form)).to.deep.equal([["title", "一次面接"]]);
    });
    it("shows its hosts disabled, and back, when the fieldset around it is disabled after it rendered", async () => {
      const tenant = await seedZoomHosts({ hosts: sakuraHosts });
      const { picker } = await interviewForm(tenant, { time: freeHalfHour });
      const fieldset = picker.closest("fieldset")!;
      expect(radioOf(picker, "zu_basic").getAttribute("aria-disabled")).to.equal(null);
      fieldset.disabled = true;
      await waitUntil(
        () => radioOf(picker, "zu_basic").getAttribute("aria-disabled") === "true",
        "the hosts did not show disabled",
      );
      fieldset.disabled = false;
      await waitUntil(
        () => radioOf(picker, "zu_basic").getAttribute("aria-disabled") === null,
        "the hosts did not show enabled again",
      );
    });
  });

  describe("keyboard", () => {
    it("is one Tab stop, on the chosen host", async () => {
      const tenant = await seedZoomHosts({ hosts: sakuraHosts });
      const { picker, title, after } = await interviewForm(tenant);
      title.focus();
      await sendKeys({ press: "Tab" });
      expect(document.activeElement).to.equal(picker);
      expect(focusedHost(picker)).to.equal("zu_recruit");
      await sendKeys({ press: "Tab" });
      expect(document.activeElement).to.equal(after);
    });

    it(
      "chooses with the arrow keys, skipping hosts that cannot " + "host and wrapping at the ends, and fires change",
      async () => {
        const tenant = await seedZoomHosts({ hosts: sakuraHosts });
        const { picker, title } = await interviewForm(tenant, { time: freeHalfHour });
        const changes: TsunaguZoomHostChangedEvent["detail"][] = [];
        let nativeChanges = 0;
        picker.addEventListener("tsunagu-zoom-host-changed", (event) => changes.push(event.detail));
        picker.addEventListener("change", () => nativeChanges++);
        title.focus();
        await sendKeys({ press: "Tab" });
        expect(focusedHost(picker)).to.equal("zu_ken");

        // zu_aiko needs linking again: the arrow goes past it.
        await sendKeys({ press: "ArrowDown" });
        expect(focusedHost(picker)).to.equal("zu_recruit");
        expect(picker.value).to.equal("zu_recruit");
        await sendKeys({ press: "ArrowRight" });
        expect(picker.value).to.equal("zu_basic");
        await sendKeys({ press: "ArrowDown" });
        expect(picker.value).to.equal("zu_ken");
        await sendKeys({ press: "ArrowUp" });
        expect(picker.value).to.equal("zu_basic");
        await sendKeys({ press: "Home" });
        expect(picker.value).to.equal("zu_ken");
        await sendKeys({ press: "End" });
        expect(focusedHost(picker)).to.equal("zu_basic");
        await picker.updateComplete;
        expect(shownHosts(picker)).to.deep.equal(["zu_ken", "zu_aiko", "zu_recruit", "zu_basic*"]);
        // The live region spoke when the list came in; each move is said by the focused radio, not again by it.
        expect(picker.shadowRoot!.querySelector('[part~="status"]')!.textContent).to.equal(
          "4 Zoom hosts listed. Ken Sato is chosen.",
        );
        expect(picker.shadowRoot!.querySelectorAll('[role="radio"][tabindex="0"]').length).to.equal(1);
        expect(changes.map((change) => `${change.zoomUserId}${change.auto ? " (auto)" : ""}`)).to.deep.equal([
          "zu_recruit",
          "zu_basic",
          "zu_ken",
          "zu_basic",
          "zu_ken",
          "zu_basic",
        ]);
        expect(nativeChanges).to.equal(6);
      },
    );

    it("chooses nothing with the keys or a click on a host that cannot host", async () => {
      const tenant = await seedZoomHosts({ hosts: sakuraHosts });
      const { picker } = await interviewForm(tenant);
      radioOf(picker, "zu_ken").click();
      expect(picker.value).to.equal("zu_recruit");
      radioOf(picker, "zu_ken").focus();
      await sendKeys({ press: "Space" });
      expect(picker.value).to.equal("zu_recruit");
    });

    it("names its radio group and describes each host with its state, reason and load", async () => {
      const tenant = await seedZoomHosts({ hosts: sakuraHosts });
      const { picker } = await interviewForm(tenant);
      const root = picker.shadowRoot!;
      const group = root.querySelector('[role="radiogroup"]')!;
      expect(root.getElementById(group.getAttribute("aria-labelledby")!)!.textContent).to.equal("Zoom host");
      const ken = radioOf(picker, "zu_ken");
      expect(root.getElementById(ken.getAttribute("aria-labelledby")!)!.textContent).to.equal("Ken Sato");
      const description = ken
        .getAttribute("aria-describedby")!
        .split(" ")
        .map((id) => root.getElementById(id)!.textContent!.replace(/\s+/g, " ").trim());
      expect(description).to.deep.equal([
        "Cannot host",
        "Already hosting another meeting at this time.",
        "Meetings at this time: 1 of 1",
      ]);
      await expect(picker).to.be.accessible();
    });
  });
});
