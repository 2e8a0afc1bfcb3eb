/**
 * What the test runner's fake Tsunagu routes share: JSON answers with a
 * request id, reading the (unverified) claims of a fake host token, and
 * reading a request body. Test support only.
 */

export function json(context, status, body) {
  context.status = status;
  context.set("X-Request-Id", context.get("x-request-id") || "fake-request-id");
  context.type = "application/json";
  context.body = JSON.stringify(body);
}

/** The payload of `Authorization: Bearer <jwt>`, not verified: the fakes trust the tests' own tokens. */
export function readClaims(authorization) {
  const match = /^Bearer ([^.]+)\.([^.]+)\.([^.]*)$/.exec(authorization ?? "");
  if (!match) return undefined;
  try {
    return JSON.parse(Buffer.from(match[2], "base64url").toString("utf8"));
  } catch {
    return undefined;
  }
}

export async function readText(request) {
  const chunks = [];
  for await (const chunk of request) chunks.push(chunk);
  return Buffer.concat(chunks).toString("utf8");
}

export async function readJson(request) {
  const text = await readText(request);
  return text ? JSON.parse(text) : undefined;
}
