import { expect } from "@open-wc/testing";
import { fakeHostToken } from "../test-support/fake-host-token.ts";
import { readHostTokenClaims } from "./host-token-claims.ts";

describe("readHostTokenClaims", () => {
  it("reads the payload, Japanese names included", () => {
    const token = fakeHostToken({
      sub: "hanako",
      name: "山田 花子",
      locale: "ja",
      tz: "Asia/Tokyo",
      exp: 1_900_000_000,
    });
    expect(readHostTokenClaims(token)).to.deep.equal({
      sub: "hanako",
      name: "山田 花子",
      locale: "ja",
      tz: "Asia/Tokyo",
      exp: 1_900_000_000,
    });
  });

  it("answers undefined for strings that are not a JWS with a JSON object payload", () => {
    expect(readHostTokenClaims("opaque-token")).to.equal(undefined);
    expect(readHostTokenClaims("a.b")).to.equal(undefined);
    expect(readHostTokenClaims("a.%%%.c")).to.equal(undefined);
    expect(readHostTokenClaims(`x.${btoa("[1,2]")}.y`)).to.equal(undefined);
  });
});
