/**
 * The sandbox's state file (TSUNAGU_SANDBOX_STATE): the four fakes' memory
 * and the sandbox clock's offset as one JSON document, so that what was
 * linked and booked against the fakes is still there after the server
 * restarts. It is read once at start; a missing file starts the fakes from
 * the seed, and so does one that cannot be read or does not fit (with one
 * warning naming it). It is written after every request that changed a
 * fake, before the answer leaves (see `withControl`), whole and atomically: a
 * temporary file in the same directory renamed over it, mode 0600 (it holds
 * the fakes' tokens). Not fsynced: a killed process loses nothing, only a
 * machine that loses power may.
 */
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { z } from "zod";
import type { Logger } from "../log.ts";
import type { ProviderId } from "../providers/errors.ts";
import type { SandboxClock } from "./clock.ts";
import { describeIssue, type FakeMemory } from "./memory.ts";

export interface SandboxStateFile {
  /** Takes the file's state into the fakes, or leaves them at the seed (see the header). */
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
}

const providers = ["google", "microsoft", "zoom", "slack"] as const satisfies readonly ProviderId[];

const stateFileSchema = z.object({
  format: z.literal("tsunagu-sandbox-state"),
  version: z.literal(1),
  /** A clock moved past the dates JavaScript can hold (a hand-edited file) would fail every fake's first use of it. */
  clockOffsetMs: z
    .number()
    .refine((ms) => !Number.isNaN(new Date(Date.now() + ms).getTime()), "moves the sandbox clock past any valid date"),
  /**
   * Each fake's origin when the file was written: links the fakes made (an event's page, a Meet or Teams join URL)
   * carry it, and are moved to the fake's origin now when it listens elsewhere (TSUNAGU_SANDBOX_PORT changed, or 0).
   */
  origins: z.object({ google: z.string(), microsoft: z.string(), zoom: z.string(), slack: z.string() }),
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

  const startFromSeed = (reason: string) =>
    logger.warn(
      `sandbox state file ${path} could not be used (${reason}); the fake providers start from the seed, and the ` +
        "file is replaced at their first change",
      { file: path },
    );

  /** Undefined when every fake took its state; else why none did. */
  const take = (text: string): string | undefined => {
    let document: unknown;
    try {
      document = JSON.parse(text);
    } catch (error) {
      return `not JSON: ${(error as Error).message}`;
    }
    const parsed = stateFileSchema.safeParse(document);
    if (!parsed.success) return `not a sandbox state file of this version: ${describeIssue(parsed.error)}`;
    const loads: Array<() => void> = [];
    for (const provider of providers) {
      const moved = moveOrigin(parsed.data.fakes[provider], parsed.data.origins[provider], origins[provider]);
      const checked = fakes[provider].check(moved);
      if (!checked.ok) return `${provider}: ${checked.problem}`;
      loads.push(checked.load);
    }
    for (const load of loads) load();
    clock.reset();
    clock.advance(parsed.data.clockOffsetMs);
    return undefined;
  };

  return {
    load() {
      let text: string | undefined;
      let problem: string | undefined;
      try {
        text = readFileSync(path, "utf8");
        problem = take(text);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code !== "ENOENT") problem = `cannot read it: ${code ?? (error as Error).message}`;
      }
      if (problem) startFromSeed(problem);
      else if (text === undefined)
        logger.info(`sandbox state file ${path} does not exist yet; the fake providers start from the seed`, {
          file: path,
        });
      else logger.info(`sandbox state loaded from ${path}`, { file: path });
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
}

/** The saved state with the links made on `from` moved to `to` (the same document when the origin did not move). */
function moveOrigin(saved: unknown, from: string, to: string): unknown {
  if (from === to || saved === undefined) return saved;
  return JSON.parse(JSON.stringify(saved).replaceAll(`${from}/`, `${to}/`));
}
