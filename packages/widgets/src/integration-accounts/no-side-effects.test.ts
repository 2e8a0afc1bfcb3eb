import { expect } from "@open-wc/testing";
import { IntegrationAccounts } from "./integration-accounts.ts";

describe("integration-accounts.ts", () => {
  it("registers nothing when the class alone is imported", () => {
    expect(typeof IntegrationAccounts).to.equal("function");
    expect(customElements.get("integration-accounts")).to.equal(undefined);
  });

  it("is registered once define.ts is imported", async () => {
    await import("./define.ts");
    expect(customElements.get("integration-accounts") === IntegrationAccounts).to.equal(true);
  });
});
