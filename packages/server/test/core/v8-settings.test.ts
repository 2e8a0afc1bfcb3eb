import { describe, expect, it } from "vitest";
import { v8FlagsToApply } from "../../src/v8-settings.ts";

describe("the server's V8 setting", () => {
  it("is applied when Node's command line says nothing of it", () => {
    expect(v8FlagsToApply([])).toEqual(["--no-allocation-site-pretenuring"]);
    expect(v8FlagsToApply(["--enable-source-maps", "--max-semi-space-size=64"])).toEqual([
      "--no-allocation-site-pretenuring",
    ]);
  });

  it("leaves the operator's own choice on the command line as it is, in either form and spelling", () => {
    for (const given of [
      "--allocation-site-pretenuring",
      "--no-allocation-site-pretenuring",
      "--allocation_site_pretenuring",
      "--no-allocation_site_pretenuring",
    ])
      expect(v8FlagsToApply(["--enable-source-maps", given])).toEqual([]);
  });

  it("does not take a flag that only begins the same for it", () => {
    expect(v8FlagsToApply(["--allocation-site-pretenuring-extra"])).toEqual(["--no-allocation-site-pretenuring"]);
  });
});
