/**
 * A lone UTF-16 surrogate: half of a pair without its other half, which is no character. Only a JSON `\uD800`-`\uDFFF`
 * escape makes one (UTF-8 bytes decode to none), and neither database keeps it: SQLite and PostgreSQL each store
 * U+FFFD instead, so a value holding one would read back as another. Request bodies (http/nul-characters.ts) and
 * host-token claims (auth/host-token.ts) refuse it.
 */
export const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
