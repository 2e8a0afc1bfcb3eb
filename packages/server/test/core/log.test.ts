import { describe, expect, it } from "vitest";
import { createLogger, redact } from "../../src/log.ts";

describe("redact", () => {
  it("hides secrets by key name at any depth", () => {
    expect(redact({ access_token: "a", nested: { refreshToken: "b", clientSecret: "c", authorization: "Bearer x" }, code: "oauth-code", email: "a@b.example" })).toEqual({
      access_token: "[redacted]",
      nested: { refreshToken: "[redacted]", clientSecret: "[redacted]", authorization: "[redacted]" },
      code: "[redacted]",
      email: "a@b.example",
    });
  });

  it("hides secrets by shape inside free text", () => {
    const jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjMifQ.c2lnbmF0dXJl";
    const text = redact(`failed with ${jwt} and Bearer abc.def and xoxb-1234-secret`) as string;
    expect(text).not.toContain("eyJhbGci");
    expect(text).not.toContain("abc.def");
    expect(text).not.toContain("xoxb-1234");
  });
});

describe("createLogger", () => {
  it("writes one JSON line per entry above the level, with child fields", () => {
    const lines: string[] = [];
    const logger = createLogger({ level: "info", write: (line) => lines.push(line) }).child({ requestId: "r1" });
    logger.debug("hidden");
    logger.info("shown", { token: "secret-value" });
    expect(lines).toHaveLength(1);
    const entry = JSON.parse(lines[0] ?? "{}");
    expect(entry).toMatchObject({ level: "info", message: "shown", requestId: "r1", token: "[redacted]" });
    expect(lines[0]).not.toContain("secret-value");
  });
});
