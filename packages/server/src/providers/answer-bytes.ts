/**
 * Reading a provider answer's few wanted fields straight from its bytes,
 * for the free/busy answers availability reads in bulk (about a megabyte per
 * question for 50 people × 60 days, most of it Graph's subjects and
 * locations that nothing reads): decoding the bytes to text, JSON.parse
 * building every object, and the shape check (./answer-check.ts) cost more
 * than the rest of the request (bench/availability-reader-floor.ts).
 *
 * A byte reader is only a fast path in front of the one exact path, never a
 * second judge of an answer: it checks the JSON grammar of every byte it
 * passes over (strings, escapes, numbers, literals, nesting, whitespace,
 * nothing after the value), reads the wanted fields only in their plain form
 * (ASCII, no escapes, no repeated key) and gives up (`GiveUp`) on anything
 * else, be it malformed, out of shape or merely unusual. The request path
 * (http.ts) then reads the same bytes the usual way (text, JSON.parse, the
 * shape check), so an answer it gives up on is accepted or refused exactly as
 * before, with the same error; what it does accept reads to the same value
 * the shape check gives (the tests hold the two to the same bodies).
 */

/** Thrown where the reader leaves the answer to the exact path. One object: giving up makes no stack trace. */
export const GiveUp: unknown = Object.freeze({ giveUp: true });

const quote = 0x22;
const backslash = 0x5c;

/** A cursor over one answer's bytes. */
export class AnswerBytes {
  position = 0;
  /** The last key `key` read: its bytes [keyStart, keyEnd). */
  keyStart = 0;
  keyEnd = 0;
  /** The last plain string `plainSpan` passed over: its bytes [valueStart, valueEnd). */
  valueStart = 0;
  valueEnd = 0;
  constructor(readonly bytes: Buffer) {}

  /** The next byte that is not JSON whitespace (space, tab, line feed, carriage return); undefined at the end. */
  peek(): number | undefined {
    const bytes = this.bytes;
    let position = this.position;
    let byte = bytes[position];
    while (byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09) byte = bytes[++position];
    this.position = position;
    return byte;
  }

  /** Only whitespace is left. */
  end(): void {
    if (this.peek() !== undefined) throw GiveUp;
  }

  /**
   * Enters an object: true when it has a first member (read its `key`, then its value), false when it is empty
   * (and consumed). Then `more` after each member's value, until it answers false.
   */
  openObject(): boolean {
    if (this.peek() !== 0x7b) throw GiveUp;
    this.position++;
    if (this.peek() !== 0x7d) return true;
    this.position++;
    return false;
  }

  /** A member's key and colon; a key with an escape or beyond ASCII gives up (it could spell a wanted key). */
  key(): void {
    if (this.peek() !== quote) throw GiveUp;
    this.keyStart = this.position + 1;
    this.keyEnd = this.plainStringEnd(this.keyStart);
    this.position = this.keyEnd + 1;
    if (this.peek() !== 0x3a) throw GiveUp;
    this.position++;
  }

  /** The last key is `text` (ASCII). */
  keyIs(text: string): boolean {
    return this.bytesAre(this.keyStart, this.keyEnd, text);
  }

  /** Enters an array: true when it has a first element (read it, then `more`), false when it is empty (consumed). */
  openArray(): boolean {
    if (this.peek() !== 0x5b) throw GiveUp;
    this.position++;
    if (this.peek() !== 0x5d) return true;
    this.position++;
    return false;
  }

  /** After a member's value: true at a comma (another member follows), false at the object's close (consumed). */
  moreMembers(): boolean {
    return this.separator(0x7d);
  }

  /** After an element: true at a comma (another element follows), false at the array's close (consumed). */
  moreElements(): boolean {
    return this.separator(0x5d);
  }

  private separator(close: number): boolean {
    const next = this.peek();
    this.position++;
    if (next === 0x2c) return true;
    if (next === close) return false;
    throw GiveUp;
  }

  /** The next value is `null` (consumed) or not (left for the caller). */
  null(): boolean {
    if (this.peek() !== 0x6e) return false;
    this.literal("null");
    return true;
  }

  /** A string of printable ASCII with no escape, as a string; anything else gives up. */
  plainString(): string {
    if (this.peek() !== quote) throw GiveUp;
    const start = this.position + 1;
    const end = this.plainStringEnd(start);
    this.position = end + 1;
    return this.ascii(start, end);
  }

  /** A plain string (as `plainString`), left as its bytes [valueStart, valueEnd), with no string made. */
  plainSpan(): void {
    if (this.peek() !== quote) throw GiveUp;
    this.valueStart = this.position + 1;
    this.valueEnd = this.plainStringEnd(this.valueStart);
    this.position = this.valueEnd + 1;
  }

  /** The `count` decimal digits at `at` as a number, or -1 when they are not all digits. */
  digits(at: number, count: number): number {
    const bytes = this.bytes;
    let value = 0;
    for (let index = at; index < at + count; index++) {
      const digit = (bytes[index] as number) - 0x30;
      if (!(digit >= 0 && digit <= 9)) return -1;
      value = value * 10 + digit;
    }
    return value;
  }

  /** The byte at `at` is `text`'s one character. */
  byteIs(at: number, text: string): boolean {
    return this.bytes[at] === text.charCodeAt(0);
  }

  /** The bytes [start, end) of a plain string (ASCII, checked by the caller) as text. */
  ascii(start: number, end: number): string {
    return this.bytes.toString("latin1", start, end);
  }

  /** A string of printable ASCII with no escape equals `text` (ASCII); the cursor moves past it. */
  plainStringIs(text: string): boolean {
    if (this.peek() !== quote) throw GiveUp;
    const start = this.position + 1;
    const end = this.plainStringEnd(start);
    this.position = end + 1;
    return this.bytesAre(start, end, text);
  }

  /** The bytes [start, end) spell `text` (ASCII). */
  bytesAre(start: number, end: number, text: string): boolean {
    if (end - start !== text.length) return false;
    const bytes = this.bytes;
    for (let index = 0; index < text.length; index++) if (bytes[start + index] !== text.charCodeAt(index)) return false;
    return true;
  }

  /** Where the plain string starting at `start` (after its quote) ends: the closing quote's position. */
  private plainStringEnd(start: number): number {
    const bytes = this.bytes;
    let position = start;
    for (;;) {
      const byte = bytes[position];
      if (byte === quote) return position;
      // A control character, an escape, a non-ASCII byte or the end of the bytes.
      if (byte === undefined || byte < 0x20 || byte >= 0x7f || byte === backslash) throw GiveUp;
      position++;
    }
  }

  /** Passes over any one value, checking its grammar. */
  skip(): void {
    switch (this.peek()) {
      case 0x7b:
        if (this.openObject())
          do {
            this.skipKey();
            this.skip();
          } while (this.moreMembers());
        return;
      case 0x5b:
        if (this.openArray())
          do this.skip();
          while (this.moreElements());
        return;
      case quote:
        this.skipString();
        return;
      case 0x74:
        this.literal("true");
        return;
      case 0x66:
        this.literal("false");
        return;
      case 0x6e:
        this.literal("null");
        return;
      default:
        this.skipNumber();
    }
  }

  /** Passes over a member's key: any JSON string, escapes and all (a key nobody reads). */
  private skipKey(): void {
    if (this.peek() !== quote) throw GiveUp;
    this.skipString();
    if (this.peek() !== 0x3a) throw GiveUp;
    this.position++;
  }

  /** Any JSON string: no raw control character, only JSON's escapes; other bytes pass (decoding replaces bad UTF-8). */
  private skipString(): void {
    const bytes = this.bytes;
    let position = this.position + 1;
    for (;;) {
      const byte = bytes[position++];
      if (byte === quote) break;
      if (byte === undefined || byte < 0x20) throw GiveUp;
      if (byte !== backslash) continue;
      const escaped = bytes[position++];
      if (escaped === 0x75) {
        for (let digit = 0; digit < 4; digit++) if (!isHexDigit(bytes[position++])) throw GiveUp;
      } else if (
        escaped !== quote &&
        escaped !== backslash &&
        escaped !== 0x2f &&
        escaped !== 0x62 &&
        escaped !== 0x66 &&
        escaped !== 0x6e &&
        escaped !== 0x72 &&
        escaped !== 0x74
      ) {
        throw GiveUp;
      }
    }
    this.position = position;
  }

  /** -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)? */
  private skipNumber(): void {
    const bytes = this.bytes;
    let position = this.position;
    if (bytes[position] === 0x2d) position++;
    if (bytes[position] === 0x30) position++;
    else if (isNonZeroDigit(bytes[position])) while (isDigit(bytes[++position]));
    else throw GiveUp;
    if (bytes[position] === 0x2e) {
      if (!isDigit(bytes[++position])) throw GiveUp;
      while (isDigit(bytes[++position]));
    }
    if (bytes[position] === 0x65 || bytes[position] === 0x45) {
      position++;
      if (bytes[position] === 0x2b || bytes[position] === 0x2d) position++;
      if (!isDigit(bytes[position])) throw GiveUp;
      while (isDigit(bytes[++position]));
    }
    this.position = position;
  }

  private literal(text: string): void {
    if (!this.bytesAre(this.position, this.position + text.length, text)) throw GiveUp;
    this.position += text.length;
  }
}

function isDigit(byte: number | undefined): boolean {
  return byte !== undefined && byte >= 0x30 && byte <= 0x39;
}

function isNonZeroDigit(byte: number | undefined): boolean {
  return byte !== undefined && byte >= 0x31 && byte <= 0x39;
}

function isHexDigit(byte: number | undefined): boolean {
  return (
    byte !== undefined &&
    ((byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x46) || (byte >= 0x61 && byte <= 0x66))
  );
}

/**
 * Runs a byte reader over a whole answer: its value, or undefined when it gave up, and the caller reads the answer
 * the exact way. Any error counts as giving up (a value the reader cannot make, such as a Graph time it does not
 * read, is then refused by the exact path with the exact path's error).
 */
export function readOrGiveUp<T>(bytes: Buffer, read: (answer: AnswerBytes) => T): T | undefined {
  const answer = new AnswerBytes(bytes);
  try {
    const value = read(answer);
    answer.end();
    return value;
  } catch {
    return undefined;
  }
}
