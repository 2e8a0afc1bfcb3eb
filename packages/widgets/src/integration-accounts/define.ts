/**
 * Registers `<integration-accounts>`. Import this module (not the class) to
 * use the element: `import "@tsunagu/widgets/integration-accounts"`.
 */
import { IntegrationAccounts } from "./integration-accounts.ts";

if (!customElements.get("integration-accounts")) customElements.define("integration-accounts", IntegrationAccounts);

declare global {
  interface HTMLElementTagNameMap {
    "integration-accounts": IntegrationAccounts;
  }
}
