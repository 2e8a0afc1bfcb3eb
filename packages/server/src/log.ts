/**
 * Structured JSON-lines logging. Anything that looks like a credential is
 * redacted before it is written: by key name, and by value shape (JWTs,
 * bearer strings, provider token prefixes, an OAuth parameter in a query or
 * form string, the authorization code Zoom quotes in its refusal).
 *
 * A field named `code` is an error's code (an ApiError's, a refusal's, Node's
 * ECONNREFUSED, a provider's invalid_grant or 124) and is written when its
 * value is shaped as one (`isErrorCode`); anything else under that name (an
 * OAuth authorization code: high-entropy, mixed case, digits, dots or
 * slashes) is redacted.
 */
import type { LogLevel } from "./config.ts";

export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  child(fields: LogFields): Logger;
}

const order: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };
// `authorization` covers authorizationCode and authorization_code, the names an OAuth code would be given elsewhere.
const secretKey = /token|secret|password|authorization|cookie|code_verifier|verifier|assertion|ciphertext|^key$/i;
/** The one name whose value decides: see `isErrorCode`. */
const codeKey = /^code$/i;
/**
 * What an error code looks like: words in snake, dotted or kebab case (invalid_grant, http_500, ratelimited), in
 * camel or Pascal case without digits (rateLimitExceeded, ErrorItemNotFound), in upper snake case (ECONNREFUSED,
 * ERR_INVALID_URL, SQLITE_BUSY, AADSTS50148), an SQLSTATE (57P01) or a number (Zoom's 124 and 3001). An OAuth
 * authorization code is none of these: Google's start with `4/`, Microsoft's hold dots and mixed case, Slack's are
 * digits, dots and hex, Zoom's and the sandbox's are mixed-case base64url.
 */
const errorCodeShape = new RegExp(
  [
    /[a-z]+(?:[_.-][a-z0-9]+)*/, // snake, dotted, kebab
    /[a-z]+(?:[A-Z][a-z]+)+/, // camel
    /(?:[A-Z][a-z]+)+/, // Pascal
    /[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*/, // upper snake
    /[0-9A-Z]{5}/, // SQLSTATE
    /\d{1,9}/,
  ]
    .map((shape) => `^(?:${shape.source})$`)
    .join("|"),
);

/** Whether a `code` field's value is an error's code, written as it is (else it is redacted). */
function isErrorCode(value: unknown): boolean {
  if (value === undefined || value === null) return true;
  if (typeof value === "number") return Number.isInteger(value);
  return typeof value === "string" && value.length <= 64 && errorCodeShape.test(value);
}

const secretValue = [
  /eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g, // JWT
  /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi,
  /\bxox[abeprs]-[A-Za-z0-9-]+/g, // Slack tokens
  // An OAuth parameter's value in a URL or a form body (a callback URL quoted in an error, a token request's body).
  /(?<=(?:^|[?&#\s])(?:code|code_verifier|state|client_secret|[a-z_]*token)=)[^&#\s"']+/gi,
  // Zoom quotes the code it refuses: {"reason":"Invalid authorization code jH8s…","error":"invalid_grant"}
  // (https://devforum.zoom.us/t/in-client-auth-invalid-authorization-code/77062).
  /(?<=\binvalid authorization code:?\s+)[^\s"',]+/gi,
  // A candidate scheduling link's secret (32 random bytes, base64url) in a path: the link is the capability, so the
  // request line says /s/[redacted] (README, "Candidate scheduling links").
  /(?<=\/s\/)[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])/g,
];

/**
 * Whether a field name is a secret's (`secretKey`), remembered per name: a line's field names come from the code, a
 * few dozen in all, and the request line has eight (issue 15). At most `knownKeysMax` names are remembered.
 */
const knownKeys = new Map<string, boolean>();
const knownKeysMax = 1_000;
function isSecretKey(key: string): boolean {
  let secret = knownKeys.get(key);
  if (secret === undefined) {
    secret = secretKey.test(key);
    if (knownKeys.size < knownKeysMax) knownKeys.set(key, secret);
  }
  return secret;
}

let isoSecond = Number.NaN;
let isoSecondText = "";
/**
 * `new Date(now).toISOString()`, its text up to the second formatted once a second rather than for every line (issue
 * 15: a Date and its formatting per request).
 */
export function isoTime(now = Date.now()): string {
  const second = Math.floor(now / 1000);
  if (second !== isoSecond) {
    isoSecondText = new Date(second * 1000).toISOString().slice(0, -4);
    isoSecond = second;
  }
  const ms = now - second * 1000;
  return `${isoSecondText}${ms < 10 ? "00" : ms < 100 ? "0" : ""}${ms}Z`;
}

/** Each secret shape above starts with one of these: a string holding none is written as it is, without the
 * replacements. */
const secretMarker =
  /eyJ|Bearer|Basic|xox[abeprs]-|\/s\/|(?:code|verifier|state|secret|token)=|invalid authorization code/i;

export function redact(value: unknown, depth = 0): unknown {
  if (depth > 6) return "[deep]";
  if (typeof value === "string")
    return secretMarker.test(value)
      ? secretValue.reduce((text, pattern) => text.replace(pattern, "[redacted]"), value)
      : value;
  if (value instanceof Error)
    return {
      name: value.name,
      message: redact(value.message, depth + 1),
      code: redactField("code", (value as { code?: unknown }).code, depth + 1),
    };
  if (Array.isArray(value)) return value.map((item) => redact(item, depth + 1));
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[key] = redactField(key, item, depth + 1);
    return out;
  }
  return value;
}

/** A field's value as a line writes it: redacted for a secret's name, and for a `code` not shaped as an error's. */
function redactField(key: string, value: unknown, depth: number): unknown {
  return isSecretKey(key) || (codeKey.test(key) && !isErrorCode(value)) ? "[redacted]" : redact(value, depth);
}

/**
 * Collects the lines written during one turn of the event loop and hands them to `sink` as one chunk at the end of
 * the turn (setImmediate), or at once when a turn has gathered `maxChars`: a write per request would be a system call
 * per request (issue 15). `flush()` writes what is pending now.
 */
export function batchLines(
  sink: (chunk: string) => void,
  maxChars = 64 * 1024,
): { write(line: string): void; flush(): void } {
  let pending = "";
  let scheduled = false;
  const flush = () => {
    if (pending === "") return;
    const chunk = pending;
    pending = "";
    sink(chunk);
  };
  const flushAtTurnEnd = () => {
    scheduled = false;
    flush();
  };
  return {
    write(line) {
      pending += `${line}\n`;
      if (pending.length >= maxChars) flush();
      else if (!scheduled) {
        scheduled = true;
        setImmediate(flushAtTurnEnd);
      }
    },
    flush,
  };
}

let stdoutLines: { write(line: string): void } | undefined;

/**
 * Standard output, a turn's lines at a time. Pending lines are written when the process exits (`process.exit`, the
 * end of the event loop, an uncaught exception), where stdout writes are synchronous on Linux; only a process killed
 * outright (SIGKILL, a crash of Node itself) loses them: at most the lines of the turn it was killed in.
 */
function writeToStdout(line: string): void {
  if (stdoutLines === undefined) {
    const lines = batchLines((chunk) => process.stdout.write(chunk));
    process.on("exit", lines.flush);
    stdoutLines = lines;
  }
  stdoutLines.write(line);
}

/**
 * A field name's part of a line: `"name":` as JSON writes it, and whether the name is a secret's (`secretKey`),
 * remembered per name as `isSecretKey` is (one lookup per field, issue 15); null for a name a line cannot simply
 * append (`lineText`).
 */
interface LineField {
  prefix: string;
  secret: boolean;
  /** A `code`: written only when shaped as an error's (`isErrorCode`). */
  code: boolean;
}
const lineFields = new Map<string, LineField | null>();
/** Names JSON.stringify would not write in the order they were set: integer-like names go first. */
const integerLike = /^(?:0|[1-9]\d*)$/;
function lineField(key: string): LineField | null {
  let field = lineFields.get(key);
  if (field === undefined) {
    field =
      integerLike.test(key) || lineStart.has(key)
        ? null
        : { prefix: `,${JSON.stringify(key)}:`, secret: isSecretKey(key), code: codeKey.test(key) };
    if (lineFields.size < knownKeysMax) lineFields.set(key, field);
  }
  return field;
}
const lineStart = new Set(["time", "level", "message"]);

/**
 * The line `JSON.stringify` writes of `{time, level, message, ...base, ...fields}`, each field redacted, written
 * straight as text: building that object field by field, then serialising it, cost as much again as the text itself on
 * every request (issue 15). Undefined when a field would take the place of an earlier one (`time`, `level`, `message`,
 * a child's field given again) or be written out of order (an integer-like name): the object is built then, as before.
 */
function lineText(
  level: string,
  message: string,
  base: LogFields,
  baseKeys: ReadonlySet<string>,
  fields: LogFields | undefined,
): string | undefined {
  let text = `{"time":"${isoTime()}","level":"${level}","message":${redactedJson(message, 0)}`;
  for (const key in base) {
    const field = lineField(key);
    if (field === null) return undefined;
    text = appendField(text, field, base[key]);
  }
  for (const key in fields) {
    const field = lineField(key);
    if (field === null || baseKeys.has(key)) return undefined;
    text = appendField(text, field, fields[key]);
  }
  return `${text}}`;
}

function appendField(text: string, field: LineField, value: unknown): string {
  // As in an object: a field JSON cannot write (undefined, a function) is left out.
  const json = field.secret || (field.code && !isErrorCode(value)) ? '"[redacted]"' : redactedJson(value, 1);
  return json === undefined ? text : text + field.prefix + json;
}

/**
 * What JSON.stringify writes differently from the string itself: quotes, backslashes, control characters, and lone
 * surrogates (a string holding any surrogate goes through JSON.stringify).
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: the control characters JSON escapes are what it looks for.
const jsonEscaped = /["\\\u0000-\u001f\ud800-\udfff]/;

/**
 * `JSON.stringify(value)`, a plain string or a finite number written without it: the call into the runtime cost more
 * than the rest of a field (issue 15).
 */
function fieldJson(value: unknown): string | undefined {
  if (typeof value === "string") return jsonEscaped.test(value) ? JSON.stringify(value) : `"${value}"`;
  if (typeof value === "number" && Number.isFinite(value)) return `${value}`;
  return JSON.stringify(value) as string | undefined;
}

/**
 * What `secretMarker` or `jsonEscaped` finds, in one test: a string holding neither is written as it is. Two tests
 * per field cost about a tenth of the request line (issue 15).
 */
const notPlain = new RegExp(`${secretMarker.source}|${jsonEscaped.source}`, "i");

/** `fieldJson(redact(value, depth))`. */
function redactedJson(value: unknown, depth: number): string | undefined {
  if (typeof value === "string" && !notPlain.test(value)) return `"${value}"`;
  return fieldJson(redact(value, depth));
}

export function createLogger(options: { level: LogLevel; write?: (line: string) => void; fields?: LogFields }): Logger {
  const write = options.write ?? writeToStdout;
  const threshold = order[options.level];
  const base = options.fields ?? {};
  const baseKeys = new Set<string>();
  for (const key in base) baseKeys.add(key);
  const emit = (level: Exclude<LogLevel, "silent">, message: string, fields?: LogFields) => {
    if (order[level] < threshold) return;
    const text = lineText(level, message, base, baseKeys, fields);
    if (text !== undefined) {
      write(text);
      return;
    }
    // One object, written once: the fields are redacted straight into the line (a field may override time, level,
    // message, as before).
    const line: LogFields = { time: isoTime(), level, message: redact(message) };
    for (const key in base) line[key] = redactField(key, base[key], 1);
    for (const key in fields) line[key] = redactField(key, fields[key], 1);
    write(JSON.stringify(line));
  };
  return {
    debug: (message, fields) => emit("debug", message, fields),
    info: (message, fields) => emit("info", message, fields),
    warn: (message, fields) => emit("warn", message, fields),
    error: (message, fields) => emit("error", message, fields),
    child: (fields) => createLogger({ ...options, write, fields: { ...base, ...fields } }),
  };
}

export const silentLogger: Logger = createLogger({ level: "silent" });
