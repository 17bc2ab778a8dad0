/**
 * What the two literal readers share (Node's `util.inspect` output in inspect-literal.ts, Python's
 * `repr` in python-repr.ts): the nesting cap, the internal failure signal, whitespace and name
 * character tests, safe key assignment and the whole-text entry point. Pure.
 */

/** Nesting deeper than this is treated as unreadable (inspect's own default depth is 2). */
export const MAX_LITERAL_DEPTH = 100;

/** Thrown internally on a syntax error; a plain object so no stack is captured. */
export const LITERAL_FAIL: { readonly fail: true } = { fail: true };

/** Space, line feed, carriage return or tab: the whitespace both formats write between tokens. */
export const isSpace = (code: number): boolean => code === 32 || code === 10 || code === 13 || code === 9;

/**
 * A table over ASCII codes: 1 where `start` matches (may start a name), 2 for digits (may continue
 * one), 0 elsewhere.
 */
export const nameCharTable = (start: RegExp): Uint8Array => {
  const table = new Uint8Array(128);
  for (let code = 0; code < 128; code++) {
    const char = String.fromCharCode(code);
    if (start.test(char)) table[code] = 1;
    else if (/[0-9]/.test(char)) table[code] = 2;
  }
  return table;
};

/** Adds `key` to `target` as an own, enumerable property, `__proto__` included. */
export const setKey = (target: Record<string, unknown>, key: string, value: unknown): void => {
  // Assigning `__proto__` would replace the prototype instead of adding a key.
  if (key === '__proto__') {
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    target[key] = value;
  }
};

/** A reader over `text[pos, end)`: one value, then whitespace up to the end (-1 there). */
export interface LiteralReader {
  value(): unknown;
  skipSpace(): number;
}

/**
 * The cursor both literal readers move over `text[pos, end)`: whitespace skipping and the nesting
 * guard. It reads the slice in place: a slice of a log line is a V8 sliced string, and reading one
 * char by char is markedly slower than reading the line itself.
 */
export abstract class LiteralScanner implements LiteralReader {
  depth = 0;

  constructor(
    readonly text: string,
    public pos: number,
    readonly end: number,
  ) {}

  abstract value(): unknown;

  /** The code of the next non-space character (moving past the spaces), or -1 at the end. */
  skipSpace(): number {
    const { text, end } = this;
    let { pos } = this;
    if (pos >= end) return -1;
    const first = text.charCodeAt(pos);
    if (first > 32) return first;
    // Mostly one space between tokens (`{ a`, `1 }`): taken without the loop.
    if (first === 32 && pos + 1 < end) {
      const second = text.charCodeAt(pos + 1);
      if (second > 32) {
        this.pos = pos + 1;
        return second;
      }
    }
    while (pos < end && isSpace(text.charCodeAt(pos))) pos++;
    this.pos = pos;
    return pos < end ? text.charCodeAt(pos) : -1;
  }

  /** One level deeper; fails past {@link MAX_LITERAL_DEPTH}. */
  enter(): void {
    if (++this.depth > MAX_LITERAL_DEPTH) throw LITERAL_FAIL;
  }
}

/**
 * Reads `text[start, end)` (clamped to the text) as exactly one literal with `create`'s reader;
 * `undefined` when it is not one complete literal. Never throws.
 */
export const readWholeLiteral = (
  create: (text: string, pos: number, end: number) => LiteralReader,
  text: string,
  start: number,
  end: number,
): unknown => {
  try {
    const reader = create(text, Math.max(0, start), Math.min(end, text.length));
    const value = reader.value();
    return reader.skipSpace() === -1 ? value : undefined;
  } catch {
    return undefined;
  }
};
