/**
 * Registers `<zoom-host-picker>`. Import this module (not the class) to use
 * the element: `import "@tsunagu/widgets/zoom-host-picker"`.
 */
import { ZoomHostPicker } from "./zoom-host-picker.ts";

if (!customElements.get("zoom-host-picker")) customElements.define("zoom-host-picker", ZoomHostPicker);

declare global {
  interface HTMLElementTagNameMap {
    "zoom-host-picker": ZoomHostPicker;
  }
}
