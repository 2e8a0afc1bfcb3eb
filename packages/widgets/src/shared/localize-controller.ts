/**
 * Picks the element's language and time zone and formats for it. Language:
 * the element's `locale` property/attribute, then its `lang` attribute, then
 * the host token's `locale` claim, then the document's `lang`; the first one
 * present wins, Japanese when it says ja, English otherwise. Time zone: the
 * element's `timeZone` property (`time-zone` attribute), then the token's
 * `tz` claim, then the browser's. Japanese times use a 24-hour clock.
 *
 * Each language's table is its own module, loaded when an element first
 * speaks it (`import()`), so a page carries only the language it shows; a
 * bundler splits them into chunks of their own. An element awaits its table
 * before rendering (`ready()` in its `scheduleUpdate`), so it never shows a
 * half-translated frame. The terms of the later steps (`LaterTerms`) and the
 * error messages are chunks of their own, loaded when a step first needs
 * them. `registerTranslation` adds a language (or replaces ours) without
 * forking the package.
 */
import type { ReactiveController, ReactiveControllerHost } from "lit";
import { TsunaguApiError } from "./api-error.ts";
import type { HostTokenClaims } from "./host-token-claims.ts";
import type {
  ErrorMessages,
  Language,
  LaterTerms,
  TermArgs,
  TermKey,
  TranslatedErrorCode,
  Translation,
  WallDay,
} from "./translation.ts";

/** A language's table, or a function that loads it (`() => import("./ko.js").then((module) => module.ko)`). */
export type TranslationSource = Translation | (() => Promise<Translation>);

const loaders = new Map<string, () => Promise<Translation>>([
  ["ja", async () => (await import("./locales/ja.ts")).ja],
  ["en", async () => (await import("./locales/en.ts")).en],
]);
const tables = new Map<string, Translation>();
/** What a host that renders before its first table arrives shows: nothing, for one frame. */
const blankTranslation = new Proxy({} as Translation, {
  get: (_, key) => (key === "errors" || key === "later" ? {} : ""),
});
const pending = new Map<string, Promise<Translation>>();

/**
 * Adds a language the elements can speak, or replaces one of ours, by its
 * primary language subtag (`ko`, `zh`, `ja`). The table is typed by
 * `Translation`, so a missing term or error message fails the typecheck.
 * Elements already on the page re-render in it when it is theirs.
 */
export function registerTranslation(language: string, source: TranslationSource): void {
  const code = language.trim().toLowerCase();
  if (!/^[a-z]{2,3}$/.test(code)) throw new TypeError(`"${language}" is not a primary language subtag such as "ko".`);
  pending.delete(code);
  tables.delete(code);
  if (typeof source === "function") loaders.set(code, source);
  else {
    loaders.set(code, async () => source);
    tables.set(code, source);
  }
  for (const watcher of documentWatchers) watcher.requestUpdate();
}

/** The table of `language`, loading it once; a failed load is tried again on the next call. */
function loadTranslation(language: string): Promise<Translation> {
  const table = tables.get(language);
  if (table) return Promise.resolve(table);
  let loading = pending.get(language);
  if (!loading) {
    const load = loaders.get(language) ?? loaders.get("en");
    if (!load) return Promise.reject(new Error(`no translation for "${language}"`));
    loading = load().then(
      (loaded) => {
        tables.set(language, loaded);
        pending.delete(language);
        return loaded;
      },
      (error: unknown) => {
        pending.delete(language);
        throw error;
      },
    );
    pending.set(language, loading);
  }
  return loading;
}

/** The properties an element may declare to override the page's choices. */
export interface LocaleSource {
  locale?: string | null | undefined;
  timeZone?: string | null | undefined;
}

export type LocalizeHost = ReactiveControllerHost & HTMLElement & LocaleSource;

export interface LocalizeControllerOptions {
  /** The host token's claims, usually `() => this.hostToken.claims`. */
  claims?: () => HostTokenClaims | undefined;
}

export class LocalizeController implements ReactiveController {
  readonly #host: LocalizeHost;
  readonly #claims: () => HostTokenClaims | undefined;
  readonly #ownAttributes: MutationObserver;

  constructor(host: LocalizeHost, options: LocalizeControllerOptions = {}) {
    this.#host = host;
    this.#claims = options.claims ?? (() => undefined);
    // `lang` is a global attribute Lit does not watch; changing it must re-render.
    this.#ownAttributes = new MutationObserver(() => host.requestUpdate());
    host.addController(this);
    controllers.set(host, this);
  }

  hostConnected(): void {
    this.#ownAttributes.observe(this.#host, { attributes: true, attributeFilter: ["lang", "locale", "time-zone"] });
    watchDocumentLanguage(this.#host);
  }

  hostDisconnected(): void {
    this.#ownAttributes.disconnect();
    unwatchDocumentLanguage(this.#host);
  }

  /**
   * True when the element's own `locale` or `lang` says its language; false when the host token's `locale` claim
   * (then the document's `lang`) decides it, so an element that has not fetched its token yet should.
   */
  get hasOwnLanguage(): boolean {
    return Boolean((this.#host.locale ?? this.#host.getAttribute("locale"))?.trim() || this.#host.lang?.trim());
  }

  /** `ja`, `en`, or a language added with `registerTranslation`. */
  get language(): Language | (string & {}) {
    return languageOf(this.#localeTag());
  }

  /**
   * Resolves once the current language's table is loaded. Elements await it
   * in `scheduleUpdate` so their first frame (and the one after a language
   * change) is whole; `updateComplete` then includes it.
   */
  async ready(): Promise<void> {
    const language = this.language;
    if (!tables.has(language))
      try {
        await loadTranslation(language);
      } catch {
        // A table that fails to load (a chunk the network lost): English stands in.
        if (language !== "en") await loadTranslation("en");
      }
    // A step that started loading the later terms (`loadLaterTerms`) shows once they are in: its frame is whole.
    // (Nothing to wait for, no await: an update takes no longer than before.)
    const later = laterTerms.loading(tables.get(language) ?? tables.get("en"));
    if (later) await later;
  }

  /** The BCP 47 tag handed to `Intl`: the chosen source's own tag when it is well formed (`en-GB`), else `ja-JP` /
   * `en-US`. */
  get intlLocale(): string {
    const tag = this.#localeTag();
    const language = languageOf(tag);
    try {
      const [canonical] = Intl.getCanonicalLocales(tag);
      if (canonical && languageOf(canonical) === language && canonical.includes("-")) return canonical;
    } catch {
      // A malformed tag still told us the language; format with the default region.
    }
    return language === "ja" ? "ja-JP" : language === "en" ? "en-US" : language;
  }

  /** The viewer's IANA time zone. */
  get timeZone(): string {
    const candidates = [this.#host.timeZone ?? this.#host.getAttribute("time-zone"), this.#claims()?.tz];
    for (const zone of candidates) if (zone && isTimeZone(zone)) return zone;
    return new Intl.DateTimeFormat().resolvedOptions().timeZone;
  }

  /** The translation of `key`, called with `args` when the term is a function (counts, names). */
  term<K extends TermKey>(key: K, ...args: TermArgs<K>): string {
    const table = this.#table();
    const entry: unknown =
      key in table ? table[key as keyof Translation] : this.#laterTerms(table)[key as keyof LaterTerms];
    return typeof entry === "function" ? (entry as (...values: TermArgs<K>) => string)(...args) : String(entry ?? "");
  }

  /**
   * Loads the current language's later terms (once; a failed load is tried again on the next call). Call it when a
   * step that shows them begins: the host's next frame waits for them (`ready()`), and a toast awaits it first.
   */
  loadLaterTerms(): Promise<void> {
    // Once the host has rendered its table is here: the load starts now, so the update under way waits for it.
    const table = tables.get(this.language);
    return table ? laterTerms.load(table) : this.ready().then(() => laterTerms.load(this.#table()));
  }

  /**
   * The later terms of `language` (`ja`, `en`, or one added with `registerTranslation`; English for any other),
   * whatever the viewer's own: for text someone else reads, such as the message to a candidate who reads another
   * language. That table and its later terms load as the viewer's do (once, as chunks of their own, only when asked
   * for); rejects when they cannot load, rather than answering in another language.
   */
  async laterTermsIn(language: string): Promise<LaterTerms> {
    const table = await loadTranslation(languageOf(language));
    await laterTerms.load(table);
    const terms = laterTerms.of(table);
    if (!terms) throw new Error(`The later terms of "${language}" could not be loaded.`);
    return terms;
  }

  /** The table's later terms; until they have loaded none (empty text): they load and the host renders again. */
  #laterTerms(table: Translation): Partial<LaterTerms> {
    const terms = laterTerms.of(table);
    if (terms) return terms;
    if (typeof table.later === "function" && !laterTerms.failed.has(table)) {
      const update = () => this.#host.requestUpdate();
      void laterTerms.load(table).then(update);
    }
    return {};
  }

  /**
   * A message for the user: ours for the codes we know, otherwise the server's own words. The messages are a
   * chunk loaded on the first error: until it arrives this is empty and the host renders again when it does;
   * if it cannot load, the table's `errorHeading` stands in.
   */
  errorMessage(error: unknown): string {
    const table = this.#table();
    const messages = errorMessages.of(table);
    if (!messages) {
      if (errorMessages.failed.has(table)) return table.errorHeading;
      const update = () => this.#host.requestUpdate();
      void this.loadErrorMessages().then(update, update);
      return "";
    }
    if (error instanceof TsunaguApiError)
      return Object.hasOwn(messages, error.code) ? messages[error.code as TranslatedErrorCode] : error.message;
    return messages.internal_error;
  }

  /** What failed (`lead`, a sentence) and why (`error` as `errorMessage` words it), as one text in this language. */
  failure(lead: string, error: unknown): string {
    return this.term("sentences", [lead, this.errorMessage(error)]);
  }

  /**
   * Loads the current language's error messages (once; a failed load is tried again on the next call). Await it
   * before turning an error into text that is not rendered again, such as a toast.
   */
  async loadErrorMessages(): Promise<void> {
    await this.ready();
    await errorMessages.load(this.#table());
  }

  /** Date and time in the viewer's zone; default "2025年11月22日 14:30" / "Nov 22, 2025, 2:30 PM". */
  dateTime(
    value: Date | string | number,
    options: Intl.DateTimeFormatOptions = { dateStyle: "medium", timeStyle: "short" },
  ): string {
    return this.#dateTimeFormat(options).format(toDate(value));
  }

  /** The date alone, in the viewer's zone. */
  date(value: Date | string | number, options: Intl.DateTimeFormatOptions = { dateStyle: "medium" }): string {
    return this.#dateTimeFormat(options).format(toDate(value));
  }

  /** The time alone, in the viewer's zone: "14:30" / "2:30 PM". */
  time(
    value: Date | string | number,
    options: Intl.DateTimeFormatOptions = { hour: "numeric", minute: "2-digit" },
  ): string {
    return this.#dateTimeFormat(options).format(toDate(value));
  }

  /** A start–end range of clock times, the one way this language writes ranges: "14:00〜15:00" / "2:00 PM – 3:00 PM". */
  timeRange(start: Date | string | number, end: Date | string | number, options: WallOptions = {}): string {
    return this.term("rangeText", this.clock(start, options), this.clock(end, options));
  }

  /** A day as people read it, in the viewer's zone: "12月3日（水）" / "Wed, Dec 3"; with the year if asked. */
  day(value: Date | string | number, options: WallOptions & { withYear?: boolean } = {}): string {
    const wall = this.#wall(value, options.timeZone);
    return this.term("dayText", { ...wall, year: options.withYear ? wall.year : undefined });
  }

  /** A clock time in the viewer's zone: "9:00" (24-hour, no leading zero) / "9:00 AM". */
  clock(value: Date | string | number, options: WallOptions = {}): string {
    const wall = this.#wall(value, options.timeZone);
    return this.term("clockText", wall.hour, wall.minute);
  }

  /** A day and a time: "12月3日（水）9:00" / "Wed, Dec 3, 9:00 AM". */
  moment(value: Date | string | number, options: WallOptions & { withYear?: boolean } = {}): string {
    return this.term("momentText", this.day(value, options), this.clock(value, options));
  }

  /**
   * An interview's time as the server's notices write it: "12月3日（水）9:00〜10:00" / "Wed, Dec 3, 9:00 AM –
   * 10:00 AM", the end's day written too when it is another day.
   */
  when(start: Date | string | number, end: Date | string | number, options: { withYear?: boolean } = {}): string {
    const from = this.#wall(start);
    const to = this.#wall(end);
    const sameDay = from.year === to.year && from.month === to.month && from.day === to.day;
    return this.term(
      "rangeText",
      this.moment(start, options),
      sameDay ? this.clock(end) : this.moment(end, { withYear: from.year !== to.year }),
    );
  }

  /** `text` with the viewer's zone after it: "…（Asia/Tokyo）" / "… (Asia/Tokyo)". */
  inZone(text: string): string {
    return this.term("inZone", text, this.timeZone);
  }

  /** The numbers of an instant on the wall clock of `timeZone` (the viewer's by default), from one Intl format. */
  #wall(
    value: Date | string | number,
    timeZone = this.timeZone,
  ): WallDay & { year: number; hour: number; minute: number } {
    let format = wallFormats.get(timeZone);
    if (!format) {
      format = new Intl.DateTimeFormat("en-US", {
        timeZone,
        year: "numeric",
        month: "numeric",
        day: "numeric",
        weekday: "short",
        hour: "numeric",
        minute: "numeric",
        hourCycle: "h23",
      });
      wallFormats.set(timeZone, format);
    }
    const parts: Record<string, string> = {};
    for (const part of format.formatToParts(toDate(value))) parts[part.type] = part.value;
    return {
      year: Number(parts.year),
      month: Number(parts.month),
      day: Number(parts.day),
      weekday: weekdayNumbers.indexOf(parts.weekday ?? ""),
      // Some ICU versions write midnight as 24 with h23.
      hour: Number(parts.hour) % 24,
      minute: Number(parts.minute),
    };
  }

  number(value: number, options?: Intl.NumberFormatOptions): string {
    return new Intl.NumberFormat(this.intlLocale, options).format(value);
  }

  /** "Google、Zoom" / "Google and Zoom". */
  list(values: readonly string[], options: Intl.ListFormatOptions = { type: "conjunction" }): string {
    return new Intl.ListFormat(this.intlLocale, options).format(values);
  }

  #dateTimeFormat(options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
    const hasTime = options.hour !== undefined || options.timeStyle !== undefined;
    const clock: Intl.DateTimeFormatOptions =
      this.language === "ja" && hasTime && options.hour12 === undefined ? { hourCycle: "h23" } : {};
    return new Intl.DateTimeFormat(this.intlLocale, { timeZone: this.timeZone, ...clock, ...options });
  }

  /** The current language's table; until it has loaded (a host that does not await `ready()`), any loaded one. */
  #table(): Translation {
    const language = this.language;
    const table = tables.get(language) ?? tables.get("en") ?? tables.values().next().value;
    if (table && tables.has(language)) return table;
    // Not loaded yet: load it and render again when it arrives; meanwhile another loaded table, or blanks.
    void this.ready().then(() => this.#host.requestUpdate());
    return table ?? blankTranslation;
  }

  #localeTag(): string {
    const candidates = [
      this.#host.locale ?? this.#host.getAttribute("locale"),
      this.#host.lang,
      this.#claims()?.locale,
      document.documentElement.lang,
    ];
    for (const tag of candidates) if (tag?.trim()) return tag.trim();
    return "en";
  }
}

const controllers = new WeakMap<ReactiveControllerHost, LocalizeController>();

/**
 * Loads the error messages of `host`'s language (`LocalizeController.loadErrorMessages`); nothing for a host with
 * no `LocalizeController`. Never rejects: a failed load shows `errorHeading`.
 */
export function loadErrorMessagesOf(host: ReactiveControllerHost): Promise<void> {
  return (
    controllers
      .get(host)
      ?.loadErrorMessages()
      .catch(() => undefined) ?? Promise.resolve()
  );
}

/**
 * A part of each table that may be a function loading it (`errors`, `later`): loaded once per table, under way, or
 * failed (a render shows a stand-in; the next `load` tries again). `load` never rejects.
 */
function lazyPart<T extends object>(part: (table: Translation) => T | (() => Promise<T>)) {
  const loaded = new WeakMap<Translation, T>();
  const loading = new WeakMap<Translation, Promise<void>>();
  const failed = new WeakSet<Translation>();
  return {
    failed,
    loading: (table: Translation | undefined) => (table ? loading.get(table) : undefined),
    of(table: Translation): T | undefined {
      const value = part(table);
      return typeof value === "function" ? loaded.get(table) : value;
    },
    load(table: Translation): Promise<void> {
      const load = part(table);
      if (typeof load !== "function" || loaded.has(table)) return Promise.resolve();
      let pending = loading.get(table);
      if (!pending) {
        pending = load()
          .then(
            (value) => {
              loaded.set(table, value);
              failed.delete(table);
            },
            () => {
              failed.add(table);
            },
          )
          .finally(() => loading.delete(table));
        loading.set(table, pending);
      }
      return pending;
    },
  };
}

// Each table's error messages (shown as `errorHeading` when they cannot load) and later terms.
const errorMessages = lazyPart<ErrorMessages>((table) => table.errors);
const laterTerms = lazyPart<LaterTerms>((table) => table.later);

function languageOf(tag: string): Language | (string & {}) {
  const primary = tag.split(/[-_]/)[0]?.toLowerCase() ?? "";
  return loaders.has(primary) ? primary : "en";
}

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: zone });
    return true;
  } catch {
    // RangeError: not an IANA zone this browser knows.
    return false;
  }
}

/** Where a wall-clock method reads the time: the viewer's zone unless another is given (a grid's UTC labels). */
export interface WallOptions {
  timeZone?: string | undefined;
}

const weekdayNumbers = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
/** One format per zone for the page: building an Intl.DateTimeFormat costs more than formatting with it. */
const wallFormats = new Map<string, Intl.DateTimeFormat>();

function toDate(value: Date | string | number): Date {
  return value instanceof Date ? value : new Date(value);
}

// One observer for the whole document, created when the first element connects.
const documentWatchers = new Set<ReactiveControllerHost>();
let documentObserver: MutationObserver | undefined;

function watchDocumentLanguage(host: ReactiveControllerHost): void {
  documentWatchers.add(host);
  if (documentObserver) return;
  documentObserver = new MutationObserver(() => {
    for (const watcher of documentWatchers) watcher.requestUpdate();
  });
  documentObserver.observe(document.documentElement, { attributes: true, attributeFilter: ["lang"] });
}

function unwatchDocumentLanguage(host: ReactiveControllerHost): void {
  documentWatchers.delete(host);
  if (documentWatchers.size > 0 || !documentObserver) return;
  documentObserver.disconnect();
  documentObserver = undefined;
}
