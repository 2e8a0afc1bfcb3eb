import { describe, expect, it } from "vitest";
import { createLogger, isoTime, redact } from "../../src/log.ts";

describe("redact", () => {
  it("hides secrets by key name at any depth", () => {
    expect(
      redact({
        access_token: "a",
        nested: { refreshToken: "b", clientSecret: "c", authorization: "Bearer x" },
        authorizationCode: "4/0AX4XfWh",
        email: "a@b.example",
      }),
    ).toEqual({
      access_token: "[redacted]",
      nested: { refreshToken: "[redacted]", clientSecret: "[redacted]", authorization: "[redacted]" },
      authorizationCode: "[redacted]",
      email: "a@b.example",
    });
  });

  it("writes an error's code, whatever kind of error it is", () => {
    const codes = [
      "invalid_grant",
      "idempotency_in_flight",
      "http_500",
      "ratelimited",
      "rateLimitExceeded",
      "ErrorItemNotFound",
      "ECONNREFUSED",
      "ERR_INVALID_URL",
      "UND_ERR_CONNECT_TIMEOUT",
      "SQLITE_BUSY",
      "57P01",
      "AADSTS50148",
      "3001",
      124,
    ];
    for (const code of codes) expect(redact({ code })).toEqual({ code });
    const refused = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" });
    expect(redact({ error: refused })).toEqual({
      error: { name: "Error", message: "connect ECONNREFUSED 127.0.0.1:5432", code: "ECONNREFUSED" },
    });
  });

  it("never writes an OAuth authorization code, under the name code or inside text", () => {
    const authorizationCodes = [
      "4/0AX4XfWhZrVyYd0pN2Jq7tUvXcS8bE1gK3mLqR6sT9wYz", // Google
      "0.AXEAx5vD2kM8Z1pQ-uR7sTcW3yB6nJ4fH9gL2eK0aO5iU1", // Microsoft
      "M.C543_BAY.2.U.8f0a63c1-26a4-3d7e-9b1b-4c2d9e8f7a61", // Microsoft personal account
      "4724469134.4644010092847.232b4e6d82c333b475fc30f5f5a341d294feb1a9", // Slack
      "obBEe8ewaL_KdyNjniT4KPd8ffDWt9fGB", // Zoom
      "Wq3vN0sK_xR5tY8uZ1aB2cD3eF4gH5iJ", // the sandbox's (24 base64url characters and a prefix)
    ];
    for (const code of authorizationCodes) {
      expect(redact({ code })).toEqual({ code: "[redacted]" });
      expect(redact({ exchange: { code, grant_type: "authorization_code" } })).toEqual({
        exchange: { code: "[redacted]", grant_type: "authorization_code" },
      });
      const lines: string[] = [];
      const logger = createLogger({ level: "info", write: (line) => lines.push(line) });
      logger.info("oauth", {
        code,
        callback: `https://tsunagu.example/oauth/zoom/callback?code=${encodeURIComponent(code)}&state=s3cr3t`,
        body: `code=${encodeURIComponent(code)}&grant_type=authorization_code&code_verifier=v3r1f13r`,
        error: new Error(`Zoom OAuth answered invalid_request: Invalid authorization code ${code}`),
      });
      expect(lines[0]).not.toContain(code);
      expect(lines[0]).not.toContain(encodeURIComponent(code));
      expect(lines[0]).not.toMatch(/s3cr3t|v3r1f13r/);
      expect(JSON.parse(lines[0] ?? "{}")).toMatchObject({
        code: "[redacted]",
        callback: "https://tsunagu.example/oauth/zoom/callback?code=[redacted]&state=[redacted]",
        body: "code=[redacted]&grant_type=authorization_code&code_verifier=[redacted]",
        error: { message: "Zoom OAuth answered invalid_request: Invalid authorization code [redacted]" },
      });
    }
    // Words about a code stay.
    expect(redact("Zoom sent no authorization code back. Start linking again.")).toBe(
      "Zoom sent no authorization code back. Start linking again.",
    );
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

  it("redacts secrets in every field of a line, child fields included, whatever the case of Bearer or Basic", () => {
    const lines: string[] = [];
    const jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjMifQ.c2lnbmF0dXJl";
    const logger = createLogger({ level: "info", write: (line) => lines.push(line) }).child({
      clientSecret: "s3",
      note: `BEARER abc.def`,
    });
    logger.info("request", {
      path: `/v1/x/${jwt}`,
      header: "basic dXNlcjpwYXNz",
      plain: "nothing to hide",
      nested: { list: ["xoxp-99-secret"] },
    });
    const entry = JSON.parse(lines[0] ?? "{}");
    expect(entry).toMatchObject({
      level: "info",
      message: "request",
      clientSecret: "[redacted]",
      note: "[redacted]",
      path: "/v1/x/[redacted]",
      header: "[redacted]",
      plain: "nothing to hide",
    });
    expect(entry.nested).toEqual({ list: ["[redacted]"] });
    expect(lines[0]).not.toMatch(/s3|abc\.def|dXNlcjpwYXNz|eyJhbGci|xoxp-99/);
  });
});

describe("the line of an entry", () => {
  /** The line as it was built before it was written as text (issue 15): one object, then JSON.stringify. */
  function lineAsObject(time: string, level: string, message: string, ...parts: Record<string, unknown>[]): string {
    const line: Record<string, unknown> = { time, level, message: redact(message) };
    // Each field as `redact` writes an object's field.
    for (const part of parts)
      for (const key in part) line[key] = (redact({ [key]: part[key] }) as Record<string, unknown>)[key];
    return JSON.stringify(line);
  }
  const jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjMifQ.c2lnbmF0dXJl";
  const cases: { name: string; base: Record<string, unknown>; fields?: Record<string, unknown> }[] = [
    { name: "no fields at all", base: {} },
    {
      name: "the request line",
      base: {},
      fields: {
        requestId: "r-12345678",
        method: "GET",
        path: "/v1/me",
        status: 200,
        ms: 0,
        host: "h",
        org: "o",
        user: "u",
      },
    },
    {
      name: "every kind of value",
      base: { service: "tsunagu", 'quote"d': 'a "b" \\ c' },
      fields: {
        count: 3,
        ratio: Number.NaN,
        yes: true,
        none: null,
        missing: undefined,
        call: () => 1,
        list: [1, "two", undefined, { three: 3 }],
        nested: { deep: { deeper: { token: "x" } }, path: `/v1/${jwt}` },
        error: new Error(`failed with Bearer ${jwt}`),
        when: new Date(0),
        名前: "田中 健\u2028",
      },
    },
    {
      name: "strings JSON escapes and numbers it writes its own way",
      base: {},
      fields: {
        quote: 'say "hi"',
        backslash: "C:\\path",
        controls: "tab\there\nnul\u0000 del\u007f",
        lone: "half \ud83d of a pair",
        pair: "a pair 😀 and 日本語",
        separators: "\u2028\u2029",
        empty: "",
        zero: -0,
        big: 1e21,
        small: 1e-7,
        fraction: 0.1,
        infinite: Number.POSITIVE_INFINITY,
        below: Number.NEGATIVE_INFINITY,
        notANumber: Number.NaN,
        boxed: new String("boxed"),
      },
    },
    {
      name: "codes: an error's, and an authorization code",
      base: { code: "invalid_grant" },
      fields: {
        status: 400,
        Code: "obBEe8ewaL_KdyNjniT4KPd8ffDWt9fGB",
        nested: { code: 124, list: [{ code: "4/0A" }] },
      },
    },
    { name: "a field given again by the entry", base: { requestId: "r1", tag: "a" }, fields: { tag: "b", after: 1 } },
    { name: "a field named as the line's own", base: {}, fields: { message: "mine", level: "x", time: "t" } },
    { name: "integer-like names", base: { b: 1 }, fields: { z: 1, "10": "ten", "2": "two", "02": "not one" } },
  ];
  for (const { name, base, fields } of cases) {
    it(`is what serialising the line as one object wrote: ${name}`, () => {
      const lines: string[] = [];
      const logger = createLogger({ level: "info", write: (line) => lines.push(line) }).child(base);
      logger.info("said with Basic dXNlcjpwYXNz", fields);
      // The line's own time (unless a field replaced it, then the field's in both).
      const { time } = JSON.parse(lines[0] ?? "{}");
      expect(lines).toEqual([lineAsObject(time, "info", "said with Basic dXNlcjpwYXNz", base, fields ?? {})]);
    });
  }
});

describe("isoTime", () => {
  it("writes each instant as toISOString does, across seconds, days and years, milliseconds padded", () => {
    const instants = [0, 1, 9, 10, 99, 100, 999, 1000, 1001, -1, -1001, 1_764_460_799_999, 1_764_460_800_000];
    for (const base of [0, Date.UTC(2026, 10, 30, 23, 59, 59, 0), Date.UTC(2027, 0, 1)])
      for (const offset of [0, 7, 42, 999, 1000, 1005]) instants.push(base + offset);
    // In order and out of order: the second formatted last is no answer for another second.
    for (const now of [...instants, ...instants.reverse()]) expect(isoTime(now)).toBe(new Date(now).toISOString());
    expect(isoTime()).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });
});
