// How `pnpm demo` shows the server's JSON log lines: one short line each, so
// the console stays readable. Requests read "GET /v1/accounts 200 4ms", a refusal with its code
// ("GET /v1/me 401 token_signature 1ms"); preflights (but refused ones, with the origin refused)
// and successful health checks are left out; other lines keep their
// level, message and scalar fields (but those the message already says). Lines that are not JSON pass unchanged.

const hiddenFields = new Set(["time", "level", "message", "requestId", "stack"]);

/** The compact form of one server log line, or null to leave it out. */
export function formatServerLine(line) {
  let entry;
  try {
    entry = JSON.parse(line);
  } catch {
    return line;
  }
  if (!entry || typeof entry !== "object" || typeof entry.message !== "string") return line;
  if (entry.message === "request") {
    if (entry.method === "OPTIONS" && entry.status < 400) return null;
    if (entry.path === "/healthz" && entry.status < 400) return null;
    const who = entry.user ? ` (${entry.org}/${entry.user})` : "";
    const refusal = entry.errorCode ? ` ${entry.errorCode}` : "";
    const from = entry.origin ? ` (from ${entry.origin})` : "";
    return `${entry.method} ${entry.path} ${entry.status}${refusal} ${entry.ms}ms${who}${from}`;
  }
  const fields = Object.entries(entry)
    .filter(([key, value]) => !hiddenFields.has(key) && value !== null && value !== undefined)
    // A field the message already says (a file's path, say) is not said twice.
    .filter(([, value]) => typeof value !== "string" || value.length < 8 || !entry.message.includes(value))
    .map(([key, value]) => `${key}=${typeof value === "object" ? JSON.stringify(value) : value}`);
  const level = entry.level === "info" ? "" : `${entry.level}: `;
  return `${level}${entry.message}${fields.length ? ` ${fields.join(" ")}` : ""}`;
}
