/**
 * Picks the element's language and time zone and formats for it. Language:
 * the element's `locale` property/attribute, then its `lang` attribute, then
 * the host token's `locale` claim, then the document's `lang`; the first one
 * present wins, Japanese when it says ja, English otherwise. Time zone: the
 * element's `timeZone` property (`time-zone` attribute), then the token's
 * `tz` claim, then the browser's. Japanese times use a 24-hour clock.
 */
import type { ReactiveController, ReactiveControllerHost } from "lit";
import { TsunaguApiError } from "./api-error.ts";
import type { HostTokenClaims } from "./host-token-claims.ts";
import { en } from "./locales/en.ts";
import { ja } from "./locales/ja.ts";
import type { Language, TermArgs, TermKey, TranslatedErrorCode, Translation } from "./translation.ts";

const translations: Record<Language, Translation> = { ja, en };

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
  private readonly host: LocalizeHost;
  private readonly claims: () => HostTokenClaims | undefined;
  private readonly ownAttributes: MutationObserver;

  constructor(host: LocalizeHost, options: LocalizeControllerOptions = {}) {
    this.host = host;
    this.claims = options.claims ?? (() => undefined);
    // `lang` is a global attribute Lit does not watch; changing it must re-render.
    this.ownAttributes = new MutationObserver(() => host.requestUpdate());
    host.addController(this);
  }

  hostConnected(): void {
    this.ownAttributes.observe(this.host, { attributes: true, attributeFilter: ["lang", "locale", "time-zone"] });
    watchDocumentLanguage(this.host);
  }

  hostDisconnected(): void {
    this.ownAttributes.disconnect();
    unwatchDocumentLanguage(this.host);
  }

  /** `ja` or `en`. */
  get language(): Language {
    return languageOf(this.localeTag());
  }

  /** The BCP 47 tag handed to `Intl`: the chosen source's own tag when it is well formed (`en-GB`), else `ja-JP` / `en-US`. */
  get intlLocale(): string {
    const tag = this.localeTag();
    const language = languageOf(tag);
    try {
      const [canonical] = Intl.getCanonicalLocales(tag);
      if (canonical && languageOf(canonical) === language && canonical.includes("-")) return canonical;
    } catch {
      // A malformed tag still told us the language; format with the default region.
    }
    return language === "ja" ? "ja-JP" : "en-US";
  }

  /** The viewer's IANA time zone. */
  get timeZone(): string {
    const candidates = [this.host.timeZone ?? this.host.getAttribute("time-zone"), this.claims()?.tz];
    for (const zone of candidates) if (zone && isTimeZone(zone)) return zone;
    return new Intl.DateTimeFormat().resolvedOptions().timeZone;
  }

  /** The translation of `key`, called with `args` when the term is a function (counts, names). */
  term<K extends TermKey>(key: K, ...args: TermArgs<K>): string {
    const entry: unknown = translations[this.language][key];
    return typeof entry === "function" ? (entry as (...values: TermArgs<K>) => string)(...args) : String(entry);
  }

  /** A message for the user: ours for the codes we know, otherwise the server's own words. */
  errorMessage(error: unknown): string {
    const messages = translations[this.language].errors;
    if (error instanceof TsunaguApiError) return Object.hasOwn(messages, error.code) ? messages[error.code as TranslatedErrorCode] : error.message;
    return messages.internal_error;
  }

  /** Date and time in the viewer's zone; default "2025年11月22日 14:30" / "Nov 22, 2025, 2:30 PM". */
  dateTime(value: Date | string | number, options: Intl.DateTimeFormatOptions = { dateStyle: "medium", timeStyle: "short" }): string {
    return this.dateTimeFormat(options).format(toDate(value));
  }

  /** The date alone, in the viewer's zone. */
  date(value: Date | string | number, options: Intl.DateTimeFormatOptions = { dateStyle: "medium" }): string {
    return this.dateTimeFormat(options).format(toDate(value));
  }

  /** The time alone, in the viewer's zone: "14:30" / "2:30 PM". */
  time(value: Date | string | number, options: Intl.DateTimeFormatOptions = { hour: "numeric", minute: "2-digit" }): string {
    return this.dateTimeFormat(options).format(toDate(value));
  }

  /** A start–end range in CLDR's interval format, sharing what the two have in common: "14時00分～15時00分" / "2:00 – 3:00 PM". */
  timeRange(start: Date | string | number, end: Date | string | number, options: Intl.DateTimeFormatOptions = { hour: "numeric", minute: "2-digit" }): string {
    return this.dateTimeFormat(options).formatRange(toDate(start), toDate(end));
  }

  number(value: number, options?: Intl.NumberFormatOptions): string {
    return new Intl.NumberFormat(this.intlLocale, options).format(value);
  }

  /** "Google、Zoom" / "Google and Zoom". */
  list(values: readonly string[], options: Intl.ListFormatOptions = { type: "conjunction" }): string {
    return new Intl.ListFormat(this.intlLocale, options).format(values);
  }

  private dateTimeFormat(options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
    const hasTime = options.hour !== undefined || options.timeStyle !== undefined;
    const clock: Intl.DateTimeFormatOptions = this.language === "ja" && hasTime && options.hour12 === undefined ? { hourCycle: "h23" } : {};
    return new Intl.DateTimeFormat(this.intlLocale, { timeZone: this.timeZone, ...clock, ...options });
  }

  private localeTag(): string {
    const candidates = [this.host.locale ?? this.host.getAttribute("locale"), this.host.lang, this.claims()?.locale, document.documentElement.lang];
    for (const tag of candidates) if (tag?.trim()) return tag.trim();
    return "en";
  }
}

function languageOf(tag: string): Language {
  return /^ja(?:-|_|$)/i.test(tag) ? "ja" : "en";
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
