/**
 * Form association for an element that is a form control (`<zoom-host-picker>`,
 * and any later picker): `static formAssociated` and `ElementInternals`, so
 * a plain `<form>` submits its `name` and value, `required` and the validity
 * API work as on a native control, a disabled `<fieldset>` disables it, and
 * the form's reset and the browser's restore reach it. The element says what
 * its value is and when it is missing; the mixin does the plumbing.
 * (The one mixin the widgets have: STYLE.md keeps mixins for this.)
 */
import type { LitElement, PropertyValues } from "lit";

// A mixin's constructor takes whatever its base takes (TypeScript requires any[] here).
// biome-ignore lint/suspicious/noExplicitAny: a mixin constructor's parameters must be any[].
type Constructor<T> = new (...args: any[]) => T;

/** What the mixin adds to the element's public API: the native form control's. */
export interface FormControl {
  name: string;
  required: boolean;
  disabled: boolean;
  readonly form: HTMLFormElement | null;
  readonly labels: NodeList;
  readonly validity: ValidityState;
  readonly validationMessage: string;
  readonly willValidate: boolean;
  checkValidity(): boolean;
  reportValidity(): boolean;
}

/** What the element fills in. */
export interface FormValueSource {
  /** The value submitted under `name`; "" submits nothing (as an unchecked radio group). */
  readonly formValue: string;
  /** The message when `required` and the value is missing, in the element's language. */
  readonly valueMissingMessage: string;
  /** The element to focus when `reportValidity()` points at the control. */
  readonly validationAnchor: HTMLElement | undefined;
}

/** What the element reads back. */
export interface FormAssociatedState {
  /** Disabled by its own `disabled` or by a disabled `<fieldset>` around it. */
  readonly effectivelyDisabled: boolean;
}

/**
 * Mixes form association into an element that implements `FormValueSource`.
 * The value and validity go to the form after every render (a new value,
 * `required` switched, another language for the message).
 */
export function FormAssociated<T extends Constructor<LitElement>>(Base: T) {
  class FormAssociatedElement extends Base implements FormControl {
    static formAssociated = true;
    static properties = {
      name: { reflect: true },
      required: { type: Boolean, reflect: true },
      disabled: { type: Boolean, reflect: true },
      fieldsetDisabled: { attribute: false },
    };

    readonly #internals: ElementInternals = this.attachInternals();

    /** The field name the value submits under. */
    name = "";
    /** A value must be chosen before the form submits (validity `valueMissing`). */
    required = false;
    disabled = false;

    private fieldsetDisabled = false;

    get form(): HTMLFormElement | null {
      return this.#internals.form;
    }

    get labels(): NodeList {
      return this.#internals.labels;
    }

    get validity(): ValidityState {
      return this.#internals.validity;
    }

    get validationMessage(): string {
      return this.#internals.validationMessage;
    }

    get willValidate(): boolean {
      return this.#internals.willValidate;
    }

    get effectivelyDisabled(): boolean {
      return this.disabled || this.fieldsetDisabled;
    }

    checkValidity(): boolean {
      return this.#internals.checkValidity();
    }

    reportValidity(): boolean {
      return this.#internals.reportValidity();
    }

    formDisabledCallback(disabled: boolean): void {
      this.fieldsetDisabled = disabled;
    }

    protected override updated(changed: PropertyValues): void {
      super.updated(changed);
      const source = this as unknown as FormValueSource;
      const value = source.formValue;
      // "" submits nothing under the name, as an unchecked radio group; the state restores the same value.
      this.#internals.setFormValue(value === "" ? null : value, value);
      if (this.required && value === "")
        this.#internals.setValidity({ valueMissing: true }, source.valueMissingMessage, source.validationAnchor);
      else this.#internals.setValidity({});
    }
  }
  return FormAssociatedElement as unknown as Constructor<FormControl & FormAssociatedState> &
    T & { formAssociated: boolean };
}
