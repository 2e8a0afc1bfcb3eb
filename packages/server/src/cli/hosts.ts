/**
 * `tsunagu hosts …`: manages the host registry file. Every change is validated
 * with the same rules the server loads the file with, then written atomically
 * (temporary file + rename) at mode 0600, so a running server never reads a
 * half-written or invalid registry. Secrets are printed once, when generated,
 * and never by `list`.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { mkdir, open, readFile, rename, rm } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { parseArgs } from "node:util";
import { type HostEntry, HostsFileError, defaultAudience, parseHostsFile } from "../auth/host-registry.ts";

export interface CommandIO {
  out(line: string): void;
  err(line: string): void;
}

const usage = [
  "usage: tsunagu hosts add <id> --origin <origin> [--origin …] (--secret-generate | --jwk <file> | --jwks-url " +
    "<url>) [--alg <alg> …] [--audience <aud>] [--webhook-url <url>]",
  "       tsunagu hosts list",
  "       tsunagu hosts rotate-key <id> (--secret-generate | --jwk <file> | --jwks-url <url>) [--alg <alg> …]",
  "       tsunagu hosts rotate-webhook <id> [--webhook-url <url>]   (a new webhook secret, printed once)",
  "       tsunagu hosts remove <id>",
];

const optionSpec = {
  origin: { type: "string", multiple: true },
  "secret-generate": { type: "boolean" },
  jwk: { type: "string" },
  "jwks-url": { type: "string" },
  alg: { type: "string", multiple: true },
  audience: { type: "string" },
  "webhook-url": { type: "string" },
} as const;

type Flags = ReturnType<typeof parseArgs<{ options: typeof optionSpec; allowPositionals: true }>>["values"];
type KeySource = Pick<HostEntry, "secret" | "jwk" | "jwksUrl">;

/** Thrown for operator mistakes: printed as is, exit code 1 (2 for usage). */
class CommandError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

export async function runHostsCommand(args: string[], io: CommandIO, options: { hostsFile: string }): Promise<number> {
  try {
    const { positionals, values } = parseFlags(args);
    const [command, id, ...extra] = positionals;
    if (extra.length > 0) throw new CommandError(`unexpected argument "${extra[0]}"`, 2);
    const file = options.hostsFile;
    switch (command) {
      case "add":
        return await addHost(file, requireId(id), values, io);
      case "list":
        return await listHosts(file, io);
      case "rotate-key":
        return await rotateKey(file, requireId(id), values, io);
      case "rotate-webhook":
        return await rotateWebhook(file, requireId(id), values, io);
      case "remove":
        return await removeHost(file, requireId(id), io);
      default:
        throw new CommandError(command ? `unknown hosts command "${command}"` : "missing hosts command", 2);
    }
  } catch (error) {
    if (error instanceof HostsFileError) {
      io.err(`tsunagu hosts: ${error.file} would not be valid:`);
      for (const problem of error.problems) io.err(`  ${problem}`);
      return 1;
    }
    if (!(error instanceof CommandError)) throw error;
    io.err(`tsunagu hosts: ${error.message}`);
    if (error.exitCode === 2) for (const line of usage) io.err(line);
    return error.exitCode;
  }
}

async function addHost(file: string, id: string, flags: Flags, io: CommandIO): Promise<number> {
  const entries = await readEntries(file);
  if (entries.some((entry) => entry.id === id))
    throw new CommandError(`host "${id}" already exists; use rotate-key to change its key`);
  if (!flags.origin?.length) throw new CommandError("add needs at least one --origin", 2);
  const { source, generatedSecret, defaultAlgorithms } = await keySourceFrom(flags);
  const entry: HostEntry = {
    id,
    origins: flags.origin,
    ...source,
    algorithms: algorithmsFrom(flags, defaultAlgorithms),
  };
  if (flags.audience !== undefined) entry.audience = flags.audience;
  const webhookSecret = flags["webhook-url"] === undefined ? undefined : newSecret();
  if (flags["webhook-url"] !== undefined) Object.assign(entry, { webhookUrl: flags["webhook-url"], webhookSecret });
  await writeEntries(file, [...entries, entry]);
  io.out(`added host "${id}" (${entry.algorithms.join(", ")}, audience ${entry.audience ?? defaultAudience})`);
  printSecretOnce(io, generatedSecret);
  printWebhookSecretOnce(io, webhookSecret);
  io.out("A running server picks the change up on SIGHUP.");
  return 0;
}

async function listHosts(file: string, io: CommandIO): Promise<number> {
  const entries = await readEntries(file);
  if (entries.length === 0) io.out(`no hosts in ${file}`);
  for (const entry of entries) {
    const webhook = entry.webhookUrl === undefined ? [] : [`webhook=${entry.webhookUrl}`];
    io.out(
      [
        entry.id,
        entry.algorithms.join(","),
        describeKey(entry),
        `audience=${entry.audience ?? defaultAudience}`,
        entry.origins.join(","),
        ...webhook,
      ].join("\t"),
    );
  }
  return 0;
}

async function rotateKey(file: string, id: string, flags: Flags, io: CommandIO): Promise<number> {
  if (flags.origin !== undefined || flags.audience !== undefined || flags["webhook-url"] !== undefined)
    throw new CommandError("rotate-key changes only the key (and --alg)", 2);
  const entries = await readEntries(file);
  const current = findEntry(entries, id);
  const { source, generatedSecret, defaultAlgorithms } = await keySourceFrom(flags);
  // A new JWK that names its alg decides; otherwise a key of the same kind keeps the host's algorithms.
  const sameKind = keyKind(current) === keyKind(source);
  const fallback =
    keyKind(source) === "jwk" && defaultAlgorithms
      ? defaultAlgorithms
      : sameKind
        ? current.algorithms
        : defaultAlgorithms;
  const algorithms = algorithmsFrom(flags, fallback);
  const { secret: _secret, jwk: _jwk, jwksUrl: _jwksUrl, ...rest } = current;
  const rotated: HostEntry = { ...rest, ...source, algorithms };
  await writeEntries(
    file,
    entries.map((entry) => (entry.id === id ? rotated : entry)),
  );
  io.out(`rotated the key of host "${id}" (now ${describeKey(rotated)}, ${algorithms.join(", ")})`);
  printSecretOnce(io, generatedSecret);
  io.out("Tokens signed with the old key are refused once the server reloads (SIGHUP).");
  return 0;
}

/** A new webhook secret (and URL, when given): the portal must take the new secret before deliveries verify again. */
async function rotateWebhook(file: string, id: string, flags: Flags, io: CommandIO): Promise<number> {
  if (
    flags.origin !== undefined ||
    flags.audience !== undefined ||
    flags.alg !== undefined ||
    flags["secret-generate"] ||
    flags.jwk !== undefined ||
    flags["jwks-url"] !== undefined
  ) {
    throw new CommandError("rotate-webhook changes only the webhook secret (and --webhook-url)", 2);
  }
  const entries = await readEntries(file);
  const current = findEntry(entries, id);
  const webhookUrl = flags["webhook-url"] ?? current.webhookUrl;
  if (webhookUrl === undefined)
    throw new CommandError(`host "${id}" has no webhook URL yet; give --webhook-url <url>`, 2);
  const webhookSecret = newSecret();
  await writeEntries(
    file,
    entries.map((entry) => (entry.id === id ? { ...entry, webhookUrl, webhookSecret } : entry)),
  );
  io.out(`host "${id}" now receives webhooks at ${webhookUrl}, signed with a new secret`);
  printWebhookSecretOnce(io, webhookSecret);
  io.out("A running server signs with the new secret once it reloads (SIGHUP).");
  return 0;
}

async function removeHost(file: string, id: string, io: CommandIO): Promise<number> {
  const entries = await readEntries(file);
  findEntry(entries, id);
  await writeEntries(
    file,
    entries.filter((entry) => entry.id !== id),
  );
  io.out(`removed host "${id}"; its organisations and users stay in the database`);
  return 0;
}

function parseFlags(args: string[]) {
  try {
    return parseArgs({ args, options: optionSpec, allowPositionals: true, strict: true });
  } catch (error) {
    throw new CommandError((error as Error).message, 2);
  }
}

function requireId(id: string | undefined): string {
  if (!id) throw new CommandError("missing host id", 2);
  return id;
}

function findEntry(entries: HostEntry[], id: string): HostEntry {
  const entry = entries.find((candidate) => candidate.id === id);
  if (!entry) throw new CommandError(`no host "${id}"; see tsunagu hosts list`);
  return entry;
}

async function keySourceFrom(
  flags: Flags,
): Promise<{ source: KeySource; generatedSecret?: string; defaultAlgorithms?: string[] }> {
  const chosen = [
    flags["secret-generate"] ? "--secret-generate" : "",
    flags.jwk !== undefined ? "--jwk" : "",
    flags["jwks-url"] !== undefined ? "--jwks-url" : "",
  ].filter(Boolean);
  if (chosen.length !== 1)
    throw new CommandError("give exactly one of --secret-generate, --jwk <file>, --jwks-url <url>", 2);
  if (flags["secret-generate"]) {
    const secret = newSecret();
    return { source: { secret }, generatedSecret: secret, defaultAlgorithms: ["HS256"] };
  }
  if (flags.jwk !== undefined) {
    const jwk = await readJwk(flags.jwk);
    return {
      source: { jwk: jwk as HostEntry["jwk"] },
      ...(typeof jwk.alg === "string" ? { defaultAlgorithms: [jwk.alg] } : {}),
    };
  }
  return { source: { jwksUrl: flags["jwks-url"] as string } };
}

async function readJwk(path: string): Promise<Record<string, unknown>> {
  let value: unknown;
  try {
    value = JSON.parse(await readFile(path, "utf8"));
  } catch (error) {
    throw new CommandError(`cannot read a JWK from ${path}: ${(error as Error).message}`);
  }
  if (!value || typeof value !== "object" || Array.isArray(value))
    throw new CommandError(`${path} does not hold a JSON object`);
  if ("keys" in value)
    throw new CommandError(`${path} holds a JWK set; pass one public JWK, or publish the set and use --jwks-url`);
  return value as Record<string, unknown>;
}

function algorithmsFrom(flags: Flags, fallback: readonly string[] | undefined): HostEntry["algorithms"] {
  const algorithms = flags.alg?.length ? flags.alg : fallback;
  if (!algorithms?.length)
    throw new CommandError("say which algorithm the portal signs with: --alg RS256 (or ES256, …)", 2);
  // The registry's schema checks the values when the new file is validated.
  return [...algorithms] as HostEntry["algorithms"];
}

function keyKind(source: KeySource): string {
  return source.secret !== undefined ? "secret" : source.jwk !== undefined ? "jwk" : "jwksUrl";
}

function describeKey(entry: HostEntry): string {
  if (entry.secret !== undefined) return "secret";
  if (entry.jwk !== undefined)
    return `jwk ${entry.jwk.kty}${typeof entry.jwk.kid === "string" ? ` kid=${entry.jwk.kid}` : ""}`;
  return `jwks-url ${entry.jwksUrl}`;
}

function printSecretOnce(io: CommandIO, secret: string | undefined): void {
  if (secret === undefined) return;
  io.out(`secret (shown once; give it to the portal's backend, base64url, decode to get the HMAC key): ${secret}`);
}

function printWebhookSecretOnce(io: CommandIO, secret: string | undefined): void {
  if (secret === undefined) return;
  io.out(
    `webhook secret (shown once; the portal verifies Tsunagu-Signature with it, base64url, decode to get the HMAC ` +
      `key): ${secret}`,
  );
}

function newSecret(): string {
  return randomBytes(32).toString("base64url");
}

/** A missing file is an empty registry: `hosts add` creates it. */
async function readEntries(file: string): Promise<HostEntry[]> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw new CommandError(`cannot read ${file}: ${(error as Error).message}`);
  }
  return parseHostsFile(text, file);
}

async function writeEntries(file: string, entries: HostEntry[]): Promise<void> {
  const text = `${JSON.stringify(entries, null, 2)}\n`;
  await parseHostsFile(text, file);
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  // Same directory as the target, so rename is atomic; readers see the old file or the new one, never a mix.
  const temporary = join(dirname(file), `.${basename(file)}.${randomUUID()}.tmp`);
  const handle = await open(temporary, "wx", 0o600);
  try {
    await handle.writeFile(text);
    await handle.chmod(0o600);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temporary, file).catch(async (error: unknown) => {
    await rm(temporary, { force: true });
    throw error;
  });
}
