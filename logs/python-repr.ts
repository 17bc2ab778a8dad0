/**
 * A small, tolerant reader for Python's `repr` of plain data: what a Python trigger writes with
 * `print(event)`, `logger.info(event)` or `logger.info("Returning %s", event)`:
 * `{'triggerSource': 'PreSignUp_SignUp', 'response': {'autoConfirmUser': 'true', 'smsMessage': None}}`.
 *
 * Reads dicts, lists, tuples and sets (both become arrays), strings in either quote with Python's
 * escapes (`\'`, `\\`, `\n`, `\xhh`, `\uhhhh`, `\Uhhhhhhhh`), adjacent strings (`pprint` splits
 * long ones as `('abc' 'def')`), numbers, `True`/`False`/`None`, `inf`/`nan`. Values with no
 * plain-data form (`b'..'`, `datetime.datetime(2024, 5, 1, 0, 0)`, `Decimal('1.5')`,
 * `<object at 0x..>`, `Ellipsis`, `1j`) become `Elided` markers.
 *
 * Linear in the text read: every character is visited a bounded number of times (no rescans, no
 * backtracking regex), nesting is capped. Pure; never throws.
 */
import { Elided } from '../contracts/elided';
import {
  LITERAL_FAIL as FAIL,
  LiteralScanner,
  nameCharTable,
  readWholeLiteral,
  setKey,
} from './literal-reader';

/** Python's number literals as `repr` writes them: `-12`, `3.5`, `1e-05`, `1.5e+20`. */
const NUMBER = /-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/y;

/** 1: may start a name (`A-Za-z_`), 2: may continue one (digits). */
const NAME_CHARS = nameCharTable(/[A-Za-z_]/);

const isQuote = (code: number): boolean => code === 39 || code === 34;

const SIMPLE_ESCAPES: Readonly<Record<number, string>> = {
  110: '\n', // n
  114: '\r', // r
  116: '\t', // t
  97: '\u0007', // a
  98: '\b', // b
  102: '\f', // f
  118: '\v', // v
  92: '\\',
  39: "'",
  34: '"',
  48: '\0', // 0
};

/** Hex digits each escape takes after its letter: `\x41`, `\u00e9`, `\U0001f600`. */
const HEX_ESCAPES: Readonly<Record<number, number>> = { 120: 2, 117: 4, 85: 8 };

const keyOf = (value: unknown): string => {
  if (typeof value === 'string') return value;
  if (value === null) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  return String(value);
};

class PythonReader extends LiteralScanner {
  value(): unknown {
    const code = this.skipSpace();
    if (code === -1) throw FAIL;
    if (isQuote(code)) return this.strings();
    switch (code) {
      case 123: // {
        return this.braces();
      case 91: // [
        return this.sequence(93);
      case 40: // (
        return this.parenthesised();
      case 60: // <
        return this.angle();
      case 45: // -
      case 46: // .
        return this.number();
    }
    if (code >= 48 && code <= 57) return this.number();
    return this.word();
  }

  /** One string, or several adjacent ones joined (`'abc' 'def'`). */
  strings(): string {
    let value = this.string(false);
    for (;;) {
      const save = this.pos;
      if (!isQuote(this.skipSpace())) {
        this.pos = save;
        return value;
      }
      value += this.string(false);
    }
  }

  /** The quoted string at `pos`; `raw` keeps backslashes (an `r'..'` literal). */
  string(raw: boolean): string {
    const { text, end } = this;
    const quote = text.charCodeAt(this.pos);
    let out = '';
    let chunk = this.pos + 1;
    for (let i = chunk; i < end; i++) {
      const code = text.charCodeAt(i);
      if (code === quote) {
        this.pos = i + 1;
        return out + text.slice(chunk, i);
      }
      if (code !== 92) continue;
      if (raw) {
        i++;
        continue;
      }
      out += text.slice(chunk, i);
      const letter = text.charCodeAt(i + 1);
      const simple = SIMPLE_ESCAPES[letter];
      if (simple !== undefined) {
        out += simple;
        i += 1;
      } else {
        const digits = HEX_ESCAPES[letter];
        if (digits === undefined) {
          // Python keeps an unknown escape as written: `'\d'` is a backslash and a `d`.
          out += '\\';
          chunk = i + 1;
          continue;
        }
        const hex = text.slice(i + 2, i + 2 + digits);
        const point = hex.length === digits ? Number.parseInt(hex, 16) : Number.NaN;
        if (Number.isNaN(point) || point > 0x10ffff) throw FAIL;
        out += String.fromCodePoint(point);
        i += 1 + digits;
      }
      chunk = i + 1;
    }
    throw FAIL;
  }

  /** `{}` and `{k: v, ...}` (a dict), or `{v, ...}` (a set, read as an array). */
  braces(): unknown {
    if (this.text.startsWith('{...}', this.pos)) {
      // A dict that holds itself.
      this.pos += 5;
      return new Elided('{...}');
    }
    this.pos++;
    this.enter();
    if (this.skipSpace() === 125) {
      this.pos++;
      this.depth--;
      return {};
    }
    const first = this.value();
    if (this.skipSpace() !== 58) return this.rest([first], 125);
    const result: Record<string, unknown> = {};
    this.pos++;
    setKey(result, keyOf(first), this.value());
    for (;;) {
      const after = this.skipSpace();
      if (after === 125) break;
      if (after !== 44) throw FAIL;
      this.pos++;
      if (this.skipSpace() === 125) break;
      const key = this.value();
      if (this.skipSpace() !== 58) throw FAIL;
      this.pos++;
      setKey(result, keyOf(key), this.value());
    }
    this.pos++;
    this.depth--;
    return result;
  }

  /** `[a, b]`; the caller is at the opening bracket. */
  sequence(close: number): unknown {
    if (this.text.startsWith('[...]', this.pos)) {
      // A list that holds itself.
      this.pos += 5;
      return new Elided('[...]');
    }
    this.pos++;
    this.enter();
    if (this.skipSpace() === close) {
      this.pos++;
      this.depth--;
      return [];
    }
    return this.rest([this.value()], close);
  }

  /** The items after the first of a list, tuple or set, to `close`. */
  rest(items: unknown[], close: number): unknown[] {
    for (;;) {
      const after = this.skipSpace();
      if (after === close) break;
      if (after !== 44) throw FAIL;
      this.pos++;
      if (this.skipSpace() === close) break;
      items.push(this.value());
    }
    this.pos++;
    this.depth--;
    return items;
  }

  /** A tuple `(a, b)` / `(a,)` / `()`, or a grouping `(value)` as `pprint` writes long strings. */
  parenthesised(): unknown {
    this.pos++;
    this.enter();
    if (this.skipSpace() === 41) {
      this.pos++;
      this.depth--;
      return [];
    }
    const first = this.value();
    if (this.skipSpace() === 41) {
      this.pos++;
      this.depth--;
      return first;
    }
    return this.rest([first], 41);
  }

  number(): unknown {
    NUMBER.lastIndex = this.pos;
    const found = NUMBER.exec(this.text);
    if (found && NUMBER.lastIndex <= this.end) {
      this.pos = NUMBER.lastIndex;
      const next = this.text.charCodeAt(this.pos);
      if (next === 106 || next === 74) {
        // A complex number, `1j`.
        this.pos++;
        return new Elided(`${found[0]}j`);
      }
      return Number(found[0]);
    }
    // `-inf`
    if (this.text.charCodeAt(this.pos) === 45) {
      this.pos++;
      const word = this.word();
      if (word === Number.POSITIVE_INFINITY) return Number.NEGATIVE_INFINITY;
    }
    throw FAIL;
  }

  /** End of the (dotted) name at `from`, or `from` when there is none. */
  nameEnd(from: number): number {
    const { text, end } = this;
    if (from >= end || NAME_CHARS[text.charCodeAt(from)] !== 1) return from;
    let at = from + 1;
    while (at < end) {
      const code = text.charCodeAt(at);
      if ((NAME_CHARS[code] ?? 0) > 0) at++;
      else if (code === 46 && at + 1 < end && NAME_CHARS[text.charCodeAt(at + 1)] === 1) at += 2;
      else break;
    }
    return at;
  }

  /** `True`, `None`, `inf`, a string prefix (`b'..'`, `r'..'`), or a call `datetime.datetime(...)`. */
  word(): unknown {
    const start = this.pos;
    const end = this.nameEnd(start);
    if (end === start) throw FAIL;
    const name = this.text.slice(start, end);
    this.pos = end;
    switch (name) {
      case 'True':
        return true;
      case 'False':
        return false;
      case 'None':
        return null;
      case 'inf':
        return Number.POSITIVE_INFINITY;
      case 'nan':
        return Number.NaN;
      case 'Ellipsis':
        return new Elided('Ellipsis');
    }
    const next = this.text.charCodeAt(end);
    if (isQuote(next) && end - start <= 2) {
      // String prefixes: `b'..'` / `rb'..'` are bytes (elided), `r'..'` is raw, `u'..'` is plain.
      const lower = name.toLowerCase();
      if (lower === 'u') return this.string(false);
      if (lower === 'r') return this.string(true);
      if (lower === 'b' || lower === 'br' || lower === 'rb') {
        this.string(lower !== 'b');
        return new Elided(this.text.slice(start, this.pos));
      }
      throw FAIL;
    }
    if (next === 40) {
      this.pos = this.closingParen(end);
      return new Elided(this.text.slice(start, this.pos));
    }
    throw FAIL;
  }

  /** Index just past the `)` that closes the `(` at `open`, skipping quoted text. */
  closingParen(open: number): number {
    const { text, end } = this;
    let depth = 0;
    let quote = -1;
    for (let i = open; i < end; i++) {
      const code = text.charCodeAt(i);
      if (quote !== -1) {
        if (code === 92) i++;
        else if (code === quote) quote = -1;
      } else if (isQuote(code)) {
        quote = code;
      } else if (code === 40) {
        depth++;
      } else if (code === 41 && --depth === 0) {
        return i + 1;
      }
    }
    throw FAIL;
  }

  /** `<__main__.Thing object at 0x7f..>`, `<function f at 0x..>`. */
  angle(): Elided {
    const start = this.pos;
    const close = this.text.indexOf('>', start);
    if (close === -1 || close >= this.end) throw FAIL;
    this.pos = close + 1;
    return new Elided(this.text.slice(start, this.pos));
  }
}

/**
 * Parses Python `repr` output at `text[start, end)` (the whole text by default) into plain values,
 * with `Elided` markers for values that have no plain-data form. Returns `undefined` when that is
 * not one complete literal. Never throws.
 */
export const parsePythonRepr = (text: string, start = 0, end = text.length): unknown =>
  readWholeLiteral((source, pos, limit) => new PythonReader(source, pos, limit), text, start, end);

/**
 * True when the object literal at `text[start]` is written as Python writes a dict: `{'` or `{"`
 * with no space between (util.inspect always writes `{ ` and JSON has no single quotes).
 */
export const looksLikePythonDict = (text: string, start: number, end: number): boolean =>
  end - start > 2 && text.charCodeAt(start) === 123 && isQuote(text.charCodeAt(start + 1));
