/**
 * The sandbox's state file (TSUNAGU_SANDBOX_STATE): the four fakes' memory
 * and the sandbox clock's offset as one JSON document, so that what was
 * linked and booked against the fakes is still there after the server
 * restarts. It is read once at start; a missing file starts the fakes from
 * the seed. A file that is there but cannot be read or does not check (not
 * JSON, another version, a hand edit that left an event's start "not a date")
 * stops the start with every problem named by its place in the file, and is
 * left as it is: starting from the seed instead would replace it at the first
 * change, losing what it held, and would leave the server's database with
 * links to grants the fakes no longer have. It is written after every request
 * that changed a fake, before the answer leaves (see `withControl`), whole and
 * atomically: a temporary file in the same directory renamed over it, mode
 * 0600 (it holds the fakes' tokens). Not fsynced: a killed process loses
 * nothing, only a machine that loses power may.
 */
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { z } from "zod";
import type { Logger } from "../log.ts";
import type { ProviderId } from "../providers/errors.ts";
import type { SandboxClock } from "./clock.ts";
import { type FakeMemory, problemsOf, type SavedStateProblem } from "./memory.ts";

export interface SandboxStateFile {
  /** Takes the file's state into the fakes, or leaves them at the seed when there is no file (see the header). */
  load(): void;
  /** Writes the file when the fakes' state differs from what was last written or read. */
  saveIfChanged(): void;
}

export interface SandboxStateFileOptions {
  path: string;
  fakes: Record<ProviderId, FakeMemory>;
  clock: SandboxClock;
  /** Each fake's origin now. */
  origins: Record<ProviderId, string>;
  logger: Logger;
  /**
   * How many accounts and connections the server's database holds links for. A start from the seed (no file) with
   * links in the database leaves every one of them pointing at a grant the fakes never made: said at start.
   */
  linksInDatabase?: number | undefined;
}

/** The state file is there but cannot be used; `problems` say where in it and what, one each. */
export class SandboxStateFileError extends Error {
  override name = "SandboxStateFileError";
  constructor(
    readonly file: string,
    readonly problems: string[],
    options: { cause?: unknown } = {},
  ) {
    super(
      `the sandbox state file ${file} cannot be used:\n${problems.map((problem) => `  - ${problem}`).join("\n")}\n` +
        "Correct the file (it is JSON), or move it away to start the fake providers from the seed: accounts and " +
        "connections the server's database holds links for must then be linked again. To start everything afresh, " +
        "remove the file together with the server's database (`pnpm demo`: delete the .data directory).",
      options,
    );
  }
}

const providers = ["google", "microsoft", "zoom", "slack"] as const satisfies readonly ProviderId[];

/** At most this many problems are listed: a file broken throughout needs no more to be recognised. */
const listedProblems = 10;

/** An origin as the sandbox writes it (scheme, host and port, no path): links carrying it are moved by it. */
const savedOrigin = z
  .string()
  .refine(
    (value) => URL.canParse(value) && new URL(value).origin === value,
    "not an origin such as http://127.0.0.1:8788",
  );

const stateFileSchema = z.object({
  format: z.literal("tsunagu-sandbox-state"),
  version: z.literal(1),
  /** A clock moved past the dates JavaScript can hold (a hand-edited file) would fail every fake's first use of it. */
  clockOffsetMs: z
    .number()
    .refine((ms) => !Number.isNaN(new Date(Date.now() + ms).getTime()), "moves the sandbox clock past any valid date"),
  /**
   * Each fake's origin when the file was written: links the fakes made (an event's page, a Meet or Teams join URL, a
   * Zoom join URL in a Google or Outlook event) carry them, and are moved to the fakes' origins now when they listen
   * elsewhere (TSUNAGU_SANDBOX_PORT changed, or 0).
   */
  origins: z
    .object({ google: savedOrigin, microsoft: savedOrigin, zoom: savedOrigin, slack: savedOrigin })
    .refine((saved) => new Set(Object.values(saved)).size === providers.length, "two fakes cannot have had one origin"),
  fakes: z.object({ google: z.unknown(), microsoft: z.unknown(), zoom: z.unknown(), slack: z.unknown() }),
});

export function sandboxStateFile(options: SandboxStateFileOptions): SandboxStateFile {
  const { path, fakes, clock, origins, logger } = options;
  const temporaryPath = `${path}.${process.pid}.tmp`;
  /** What the file holds now (as far as this process knows); undefined until `load`, so nothing is written before. */
  let written: string | undefined;
  let writeFailing = false;

  const snapshot = (): string =>
    JSON.stringify({
      format: "tsunagu-sandbox-state",
      version: 1,
      clockOffsetMs: clock.offsetMs,
      origins,
      fakes: {
        google: fakes.google.save(),
        microsoft: fakes.microsoft.save(),
        zoom: fakes.zoom.save(),
        slack: fakes.slack.save(),
      },
    } satisfies z.input<typeof stateFileSchema>);

  /** Takes the file's state into every fake, or throws naming every problem; nothing is taken unless all of it fits. */
  const take = (text: string): void => {
    let document: unknown;
    try {
      document = JSON.parse(text);
    } catch (error) {
      throw new SandboxStateFileError(path, [`not JSON: ${(error as Error).message}`], { cause: error });
    }
    const parsed = stateFileSchema.safeParse(document);
    if (!parsed.success) {
      const problems = problemsOf(parsed.error);
      // A file of another format or version is said to be that, not listed field by field.
      const foreign = problems.find((problem) => ["format", "version"].includes(String(problem.path[0])));
      throw new SandboxStateFileError(
        path,
        foreign
          ? [`not a sandbox state file of this version (${describe(document, foreign)})`]
          : listed(problems.map((problem) => describe(document, problem))),
      );
    }
    const moves = providers.map((provider) => ({ from: parsed.data.origins[provider], to: origins[provider] }));
    const loads: Array<() => void> = [];
    const problems: string[] = [];
    for (const provider of providers) {
      const moved = moveOrigins(parsed.data.fakes[provider], moves);
      const checked = fakes[provider].check(moved);
      if (checked.ok) loads.push(checked.load);
      else
        for (const problem of checked.problems)
          problems.push(describe(document, { ...problem, path: ["fakes", provider, ...problem.path] }));
    }
    if (problems.length > 0) throw new SandboxStateFileError(path, listed(problems));
    for (const load of loads) load();
    clock.reset();
    clock.advance(parsed.data.clockOffsetMs);
  };

  return {
    load() {
      let text: string;
      try {
        text = readFileSync(path, "utf8");
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code !== "ENOENT")
          throw new SandboxStateFileError(path, [`cannot be read: ${code ?? (error as Error).message}`], {
            cause: error,
          });
        startFromTheSeed();
        written = snapshot();
        return;
      }
      take(text);
      logger.info(`sandbox state loaded from ${path}`, { file: path });
      written = snapshot();
    },

    saveIfChanged() {
      if (written === undefined) return;
      try {
        const text = snapshot();
        if (text === written) return;
        mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
        rmSync(temporaryPath, { force: true });
        writeFileSync(temporaryPath, text, { mode: 0o600, flag: "wx" });
        renameSync(temporaryPath, path);
        written = text;
        writeFailing = false;
      } catch (error) {
        rmSync(temporaryPath, { force: true });
        // Said once until a write succeeds again: the fakes go on answering, from memory.
        if (!writeFailing)
          logger.error(`cannot write the sandbox state file ${path}; the fakes' changes are kept in memory only`, {
            file: path,
            reason: (error as NodeJS.ErrnoException).code ?? (error as Error).message,
          });
        writeFailing = true;
      }
    },
  };

  function startFromTheSeed(): void {
    const links = options.linksInDatabase ?? 0;
    if (links === 0) {
      logger.info(`sandbox state file ${path} does not exist yet; the fake providers start from the seed`, {
        file: path,
      });
      return;
    }
    // The server's database and this file were kept together and are apart now (the file deleted, or
    // TSUNAGU_SANDBOX_STATE changed): every link's tokens are unknown to the fakes, and the accounts read
    // "needs relinking" (再連携が必要) as soon as the server uses them.
    logger.warn(
      `sandbox state file ${path} does not exist, but the server's database holds ${links} linked account(s) and ` +
        "connection(s) made against the fake providers, which start from the seed and know none of their grants: " +
        "each will turn to needs_reauth (再連携が必要) when the server next uses it. Link them again, or stop the " +
        "server and delete its database as well to start afresh (`pnpm demo`: delete the .data directory)",
      { file: path, links },
    );
  }
}

/** The problems to list, the rest counted. */
function listed(problems: string[]): string[] {
  if (problems.length <= listedProblems) return problems;
  return [...problems.slice(0, listedProblems), `and ${problems.length - listedProblems} more`];
}

/**
 * One problem where a person finds it in the file: its path from the document's root, each list item with its id
 * when it has one (`fakes.google.events.events[0] (id "…").resource.start.dateTime`), and the value found there when
 * it is a plain one.
 */
function describe(document: unknown, problem: SavedStateProblem): string {
  let at: unknown = document;
  let place = "";
  for (const key of problem.path) {
    if (typeof key === "number") {
      place += `[${key}]`;
      at = Array.isArray(at) ? at[key] : undefined;
      // Its own id, or its resource's (a Google event keeps its id there).
      const item = at as { id?: unknown; resource?: { id?: unknown } } | undefined;
      const id = item?.id ?? item?.resource?.id;
      if (typeof id === "string" || typeof id === "number") place += ` (id ${JSON.stringify(id).slice(0, 80)})`;
    } else {
      place += `${place ? "." : ""}${String(key)}`;
      at = typeof at === "object" && at !== null ? (at as Record<PropertyKey, unknown>)[key] : undefined;
    }
  }
  const found =
    at === null || ["string", "number", "boolean"].includes(typeof at)
      ? ` (found ${JSON.stringify(at).slice(0, 80)})`
      : "";
  return `${place || "the document"}: ${problem.message}${found}`;
}

/**
 * The saved state with every link made on a fake's old origin moved to its origin now, in one pass: a port one fake
 * had before may be another's now (the fakes take consecutive ports), and a link moved once must not move again. A
 * fake's state carries the others' links too (a Zoom join URL in a Google event's location and description).
 */
function moveOrigins(saved: unknown, moves: Array<{ from: string; to: string }>): unknown {
  const moving = moves.filter(({ from, to }) => from !== to);
  if (moving.length === 0 || saved === undefined) return saved;
  const to = new Map(moving.map((move) => [`${move.from}/`, `${move.to}/`]));
  const pattern = new RegExp([...to.keys()].map((from) => from.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|"), "g");
  return JSON.parse(JSON.stringify(saved).replace(pattern, (from) => to.get(from) ?? from));
}
