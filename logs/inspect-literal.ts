/**
 * A small, tolerant reader for Node's `util.inspect` object-literal output, the format a trigger
 * writes with `console.log(event)` in the text log format:
 * `{ autoConfirmUser: 'true', 'cognito:user_status': 'CONFIRMED', request: [Object] }`.
 *
 * It also reads JSON (a near subset). Values `util.inspect` elides or that have no plain-data form
 * (`[Object]`, `[Array]`, `[Function: x]`, `[Getter]`, `[Circular *1]`, `... 3 more items`,
 * `Symbol(x)`, `123n`, regular expressions, `<Buffer ..>`, error stacks) become `Elided` markers so
 * a validator can tell "present but unknown" from a wrong value. Never throws; what it returns
 * depends on its input alone (the one module state, a bounded memo of keys read before, only
 * saves work: see KEY_MEMO).
 */
import { Elided } from '../contracts/elided';
import {
  LITERAL_FAIL as FAIL,
  isSpace,
  LiteralScanner,
  nameCharTable,
  readWholeLiteral,
  setKey,
} from './literal-reader';

const DATE = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z/y;
const NUMBER = /-?(?:Infinity|(?:\d[\d_]*(?:\.[\d_]*)?|\.\d[\d_]*)(?:[eE][+-]?\d+)?(n?))/y;
const EMPTY_ITEMS = /<\d+ empty items?>/y;
const MORE = /\.\.\. \d+ more (?:items?|characters?|properties|bytes?)/y;
/** Boxed primitives print as `[String: 'x']`, `[Number: 3]`, `[Boolean: true]`. */
const BOXED_PREFIXES = ['[String: ', '[Number: ', '[Boolean: '] as const;
/**
 * The markers of every value past util.inspect's depth, one instance each (frozen, so sharing
 * them is safe): a logged response holds several, and they are read on their first characters.
 */
const ELIDED_OBJECT: Elided = Object.freeze(new Elided('[Object]'));
const ELIDED_ARRAY: Elided = Object.freeze(new Elided('[Array]'));
/** The words a box may hold: `[Boolean: true]`, `[Number: NaN]`. */
const BOXED_WORDS: ReadonlySet<string> = new Set(['true', 'false', 'NaN', 'Infinity']);

/** What `\s` matches, for one character code (a regex on one character is bounded). */
const isRegExpSpace = (code: number): boolean =>
  isSpace(code) || code === 11 || code === 12 || (code > 127 && /\s/.test(String.fromCharCode(code)));
const isUpper = (code: number): boolean => code >= 65 && code <= 90;
/** 1: may start an identifier (`A-Za-z_$`), 2: may continue one (also digits). */
const IDENT_CHARS = nameCharTable(/[A-Za-z_$]/);

/** End of the identifier at `from`, or `from` when there is none. */
const identEnd = (text: string, from: number, limit: number): number => {
  if (from >= limit || IDENT_CHARS[text.charCodeAt(from)] !== 1) return from;
  let end = from + 1;
  while (end < limit && (IDENT_CHARS[text.charCodeAt(end)] as number) > 0) end++;
  return end;
};

/** Slots of the key memo: a power of two. */
const KEY_SLOTS = 4096;
/** Longer keys are cut each time: the memo holds a bounded amount of text. */
const MAX_MEMO_KEY = 64;
/** What a memo text ends with after `key: `: nothing, `[Object]`/`[Array]`, or `true`/`false`/`null`. */
const KEY_ALONE = 0;
/** `[Object]` or `[Array]`: its `]` ends it, and an own-property block may follow it. */
const ELIDED_VALUE = 1;
/** `true`, `false` or `null`: it ends there only when no name goes on (`true` in `trueish`). */
const LITERAL_VALUE = 2;

/** One key read before, with the text it was read from. */
interface KeyMemo {
  /** The key, internalized. */
  readonly key: string;
  /**
   * The text the key was read from: `key: `, and the value when that is one util.inspect writes
   * the same way each time (`[Object]` or `[Array]` past its depth, `true`, `false`, `null`), in
   * pieces of at most {@link MEMO_PIECE} characters: the first here, the others in `rest`.
   */
  readonly head: string;
  readonly rest: readonly string[];
  /** The length of the whole text. */
  readonly length: number;
  /** What the text ends with: {@link KEY_ALONE}, {@link ELIDED_VALUE} or {@link LITERAL_VALUE}. */
  readonly kind: number;
  /** The value the text ends with, if any. */
  readonly value: unknown;
}

/**
 * The key last read in each context (the key before it in its object, or the key holding the
 * object, and its own first character), with the `: ` util.inspect writes after it. Logged
 * objects repeat their shapes, so the key at a context is mostly the one seen there before: a
 * few native comparisons of the text with the memo's confirm the key, its end and its colon,
 * with no character loop, and as an internalized string the key is stored into the result
 * without V8 hashing and looking it up (a key cut from the line is, on every store). One record
 * per slot, so a hit reads one place. A memo of what was read, not state: the values read never
 * depend on it.
 */
const KEY_MEMO: (KeyMemo | undefined)[] = new Array<KeyMemo | undefined>(KEY_SLOTS).fill(undefined);
/** A memo text of one piece has no others. */
const NO_PIECES: readonly string[] = Object.freeze([]);
/**
 * The longest piece a memo text is compared in. V8 copies a cut of up to 12 characters, and one
 * such copy compares with an internalized string in a few native steps; a longer cut is a view
 * into the line, and comparing a view goes through the runtime at several times the cost.
 */
const MEMO_PIECE = 12;

/**
 * The slot of the key starting with `first` (an ASCII code) in `context`: the slot of the key
 * before it in its object, or for an object's first key that of the key holding the object plus
 * {@link KEY_SLOTS}. A multiplicative hash: the top 12 bits.
 */
const keySlot = (context: number, first: number): number =>
  Math.imul(context * 128 + first, 0x9e3779b1) >>> 20;

/** `key` as an internalized string: a property name V8 holds once (its table lookup happens here, once). */
const internalize = (key: string): string => Object.keys({ [key]: 0 })[0] as string;

/** `[Object]` or `[Array]` at `start` (before `limit`): its shared marker, else undefined. */
const elidedAt = (text: string, start: number, limit: number): Elided | undefined => {
  const code = text.charCodeAt(start + 1);
  if (
    code === 79 && // O
    start + 8 <= limit &&
    text.charCodeAt(start + 7) === 93 &&
    text.charCodeAt(start + 2) === 98 &&
    text.charCodeAt(start + 3) === 106 &&
    text.charCodeAt(start + 4) === 101 &&
    text.charCodeAt(start + 5) === 99 &&
    text.charCodeAt(start + 6) === 116
  )
    return ELIDED_OBJECT;
  if (
    code === 65 && // A
    start + 7 <= limit &&
    text.charCodeAt(start + 6) === 93 &&
    text.charCodeAt(start + 2) === 114 &&
    text.charCodeAt(start + 3) === 114 &&
    text.charCodeAt(start + 4) === 97 &&
    text.charCodeAt(start + 5) === 121
  )
    return ELIDED_ARRAY;
  return undefined;
};

/** What {@link literalAt} gives for a name that is no literal. */
const NOT_A_LITERAL: unique symbol = Symbol('not a literal');

/** Whether `text[start, start + name.length)` is `name` (its length is checked by the caller). */
const isNameAt = (text: string, start: number, name: string): boolean => {
  for (let i = 1; i < name.length; i++) if (text.charCodeAt(start + i) !== name.charCodeAt(i)) return false;
  return true;
};

/**
 * The value of the literal name `text[start, start + length)` (`true`, `false`, `null`,
 * `undefined`, `NaN`, `Infinity`), decided on its length and first character before its other
 * characters are compared (no cut, no table walk); {@link NOT_A_LITERAL} for other names.
 */
const literalAt = (text: string, start: number, length: number): unknown => {
  const first = text.charCodeAt(start);
  switch (length) {
    case 4:
      if (first === 110) return isNameAt(text, start, 'null') ? null : NOT_A_LITERAL;
      if (first === 116) return isNameAt(text, start, 'true') ? true : NOT_A_LITERAL;
      return NOT_A_LITERAL;
    case 5:
      return first === 102 && isNameAt(text, start, 'false') ? false : NOT_A_LITERAL;
    case 3:
      return first === 78 && isNameAt(text, start, 'NaN') ? Number.NaN : NOT_A_LITERAL;
    case 8:
      return first === 73 && isNameAt(text, start, 'Infinity') ? Number.POSITIVE_INFINITY : NOT_A_LITERAL;
    case 9:
      return first === 117 && isNameAt(text, start, 'undefined') ? undefined : NOT_A_LITERAL;
  }
  return NOT_A_LITERAL;
};

class InspectReader extends LiteralScanner {
  /** The memo slot of the key read last: the context of the next key and of the keys of its value. */
  keySlot = 0;
  /** The elided value `tryKey` read with its key from the memo, until {@link keyedValue} takes it. */
  memoValue: unknown = undefined;
  /** What `memoValue` is (a memo text's kind): {@link KEY_ALONE} when there is none. */
  memoKind = KEY_ALONE;
  /** Position of the next `\\` at or after `pos`; -1 when there is none left. Starts unknown (0). */
  nextBackslash = 0;
  /** Where `titleEnd` last looked from, the end of that text line (next `\n`, or `end`), and its title end. */
  cachedFrom = -1;
  cachedLineEnd = -1;
  cachedTitleEnd = -1;

  /** Moves past the character `code` at `pos`; fails on anything else. */
  expect(code: number): void {
    if (this.pos >= this.end || this.text.charCodeAt(this.pos) !== code) throw FAIL;
    this.pos++;
  }

  startsWith(prefix: string): boolean {
    return this.text.startsWith(prefix, this.pos);
  }

  match(pattern: RegExp): RegExpExecArray | null {
    pattern.lastIndex = this.pos;
    const found = pattern.exec(this.text);
    if (!found || pattern.lastIndex > this.end) return null;
    this.pos = pattern.lastIndex;
    return found;
  }

  /** Index just past the bracket that closes the one at `this.pos`, skipping quoted text. */
  closing(open: number, close: number): number {
    const { text } = this;
    let depth = 0;
    let quote = -1;
    for (let i = this.pos; i < this.end; i++) {
      const code = text.charCodeAt(i);
      if (quote !== -1) {
        if (code === 92) i++;
        else if (code === quote) quote = -1;
      } else if (code === 39 || code === 34 || code === 96) {
        quote = code;
      } else if (code === open) {
        depth++;
      } else if (code === close && --depth === 0) {
        return i + 1;
      }
    }
    throw FAIL;
  }

  value(): unknown {
    const code = this.skipSpace();
    switch (code) {
      case 39:
      case 34:
      case 96:
        return this.stringValue();
      case 123:
        return this.object(false);
      case 91: {
        const next = this.text.charCodeAt(this.pos + 1);
        if (isUpper(next) || (next === 99 && this.text.startsWith('[class', this.pos))) return this.tag();
        return this.array();
      }
      case 60:
        return this.angle();
      case 47:
        return this.regExp();
      case 45:
      case 46:
        return this.numberOrDate();
      case -1:
        throw FAIL;
    }
    if (code >= 48 && code <= 57) return this.numberOrDate();
    return this.word();
  }

  /** `{ key: value, 'quoted key': value, [Symbol(k)]: value }`; Map `{ k => v }` and Set `{ v }` entries too. */
  object(asArray: boolean): unknown {
    this.expect(123);
    this.enter();
    const result: Record<string, unknown> = {};
    let context = this.keySlot + KEY_SLOTS;
    // Only Set/Promise-style entries without keys need a list; plain objects never allocate one.
    let items: unknown[] | undefined;
    for (;;) {
      const code = this.skipSpace();
      if (code === 125) {
        this.pos++;
        this.depth--;
        return asArray ? (items ?? []) : result;
      }
      const start = this.pos;
      if (code === 46 && this.match(MORE)) {
        items ??= [];
        items.push(new Elided(this.text.slice(start, this.pos)));
      } else {
        const key = this.tryKey(context);
        context = this.keySlot;
        if (key === undefined) {
          const entry = this.value();
          this.skipSpace();
          if (this.startsWith('=>')) {
            this.pos += 2;
            setKey(result, typeof entry === 'string' ? entry : String(entry), this.value());
          } else {
            items ??= [];
            setKey(result, String(items.length), entry);
            items.push(entry);
          }
        } else if (key === '__proto__') {
          setKey(result, key, this.keyedValue());
        } else {
          result[key] = this.keyedValue();
        }
      }
      // util.inspect writes `, ` straight after a value: the comma is taken without a skip.
      if (this.text.charCodeAt(this.pos) === 44 && this.pos < this.end) {
        this.pos++;
        continue;
      }
      const after = this.skipSpace();
      if (after === 44) this.pos++;
      else if (after !== 125) throw FAIL;
    }
  }

  /**
   * A key followed by `:`, or undefined (pos unchanged) when the entry has no key. `context` is
   * the memo slot of the key before it (see {@link KEY_MEMO}); `keySlot` is set to this key's.
   */
  tryKey(context: number): string | undefined {
    const start = this.pos;
    const code = this.text.charCodeAt(start);
    let key: string | undefined;
    if (code === 39 || code === 34 || code === 96) {
      key = this.string();
    } else if (code === 91) {
      // `['__proto__']: 1` is a string key inspect brackets; `[Symbol(k)]: 1` keeps its brackets.
      // Anything else in brackets is a value (a nested array, a tag): not scanned here, so nested
      // arrays are not each scanned to their end before being read.
      const quote = this.text.charCodeAt(start + 1);
      if (quote === 39 || quote === 34 || quote === 96) {
        this.pos = start + 1;
        const quoted = this.string();
        if (this.pos < this.end && this.text.charCodeAt(this.pos) === 93) {
          key = quoted;
          this.pos++;
        }
      } else if (this.text.startsWith('[Symbol(', start)) {
        const end = this.closing(91, 93);
        key = this.text.slice(start, end);
        this.pos = end;
      }
    } else if (code < 128 && IDENT_CHARS[code] === 1) {
      const slot = keySlot(context, code);
      this.keySlot = slot;
      const memo = KEY_MEMO[slot];
      if (memo !== undefined) {
        const memoEnd = start + memo.length;
        // The memo holds `key: `: a match is the whole key (`:` is no identifier character) and its colon.
        if (memoEnd <= this.end && this.memoAt(start, memo)) {
          const { kind } = memo;
          const next = kind === LITERAL_VALUE && memoEnd < this.end ? this.text.charCodeAt(memoEnd) : 0;
          if (next >= 128 || IDENT_CHARS[next] === 0) {
            this.pos = memoEnd;
            this.memoKind = kind;
            this.memoValue = memo.value;
            return memo.key;
          }
          this.pos = start + memo.key.length + 2;
          return memo.key;
        }
      }
      key = this.identifierKey(start, slot);
    }
    if (key !== undefined && this.skipSpace() === 58) {
      this.pos++;
      return key;
    }
    this.pos = start;
    return undefined;
  }

  /** Whether the text of `memo` is at `start` (it fits after). */
  memoAt(start: number, memo: KeyMemo): boolean {
    const { text } = this;
    const { head, rest } = memo;
    let at = start + head.length;
    if (text.slice(start, at) !== head) return false;
    for (let i = 0; i < rest.length; i++) {
      const piece = rest[i] as string;
      const next = at + piece.length;
      if (text.slice(at, next) !== piece) return false;
      at = next;
    }
    return true;
  }

  /** The value after a key: the one read with it from the memo, else read now. */
  keyedValue(): unknown {
    const kind = this.memoKind;
    if (kind === KEY_ALONE) return this.value();
    this.memoKind = KEY_ALONE;
    return kind === ELIDED_VALUE ? this.afterElided(this.memoValue as Elided) : this.memoValue;
  }

  /**
   * The identifier key at `start` (its first character is one); memoized in `slot` when `: `
   * follows it, as util.inspect writes every key, with `[Object]` or `[Array]` when that follows.
   */
  identifierKey(start: number, slot: number): string {
    const { text, end: limit } = this;
    let end = start + 1;
    while (end < limit && (IDENT_CHARS[text.charCodeAt(end)] as number) > 0) end++;
    this.pos = end;
    const key = text.slice(start, end);
    if (
      end - start > MAX_MEMO_KEY ||
      end + 2 > limit ||
      text.charCodeAt(end) !== 58 ||
      text.charCodeAt(end + 1) !== 32
    )
      return key;
    const interned = internalize(key);
    let value: unknown = elidedAt(text, end + 2, limit);
    let kind = value === undefined ? KEY_ALONE : ELIDED_VALUE;
    let valueText = value === undefined ? '' : (value as Elided).text;
    if (value === undefined) {
      const first = text.charCodeAt(end + 2);
      // `true`, `false` and `null` as whole names (a name going on is no literal).
      if (first === 116 || first === 102 || first === 110) {
        const wordEnd = identEnd(text, end + 2, limit);
        const literal = literalAt(text, end + 2, wordEnd - end - 2);
        if (literal === true || literal === false || literal === null) {
          value = literal;
          kind = LITERAL_VALUE;
          valueText = text.slice(end + 2, wordEnd);
        }
      }
    }
    const memo = `${key}: ${valueText}`;
    const rest: string[] = [];
    for (let at = MEMO_PIECE; at < memo.length; at += MEMO_PIECE)
      rest.push(internalize(memo.slice(at, at + MEMO_PIECE)));
    KEY_MEMO[slot] = {
      key: interned,
      head: internalize(memo.length > MEMO_PIECE ? memo.slice(0, MEMO_PIECE) : memo),
      rest: rest.length === 0 ? NO_PIECES : rest,
      length: memo.length,
      kind,
      value,
    };
    return interned;
  }

  array(): unknown[] {
    this.expect(91);
    this.enter();
    const items: unknown[] = [];
    // Every item is in the context of the key holding the array: items of one shape share memos.
    const holder = this.keySlot;
    for (;;) {
      this.keySlot = holder;
      const code = this.skipSpace();
      if (code === 93) {
        this.pos++;
        this.depth--;
        return items;
      }
      const start = this.pos;
      if (code === 46 && this.match(MORE)) {
        items.push(new Elided(this.text.slice(start, this.pos)));
      } else if (code === 60 && this.match(EMPTY_ITEMS)) {
        // Sparse arrays print holes as `<3 empty items>`; cap what a hostile count can allocate.
        const count = Math.min(Number.parseInt(this.text.slice(start + 1), 10), 1000);
        for (let i = 0; i < count; i++) items.push(undefined);
      } else {
        // Own-property keys on arrays (`[ 1, 2, extra: true ]`) are not array items.
        const key = this.tryKey(0);
        const item = this.keyedValue();
        if (key === undefined) items.push(item);
      }
      const after = this.skipSpace();
      if (after === 44) this.pos++;
      else if (after !== 93) throw FAIL;
    }
  }

  /** `[Object]`, `[Function: x]`, `[Circular *1]`, `[Object: null prototype] {...}`, `[String: 'x']`, ... */
  tag(): unknown {
    const start = this.pos;
    const { text } = this;
    // Past util.inspect's depth every nested value prints as one of these: decided on character
    // codes (a native `startsWith` call costs several times more), no cut, search or copy.
    const common = elidedAt(text, start, this.end);
    if (common !== undefined) {
      this.pos = start + common.text.length;
      return this.afterElided(common);
    }
    for (const prefix of BOXED_PREFIXES) {
      if (text.startsWith(prefix, start)) return this.boxed(start, prefix.length);
    }
    const end = this.closing(91, 93);
    const inner = text.slice(start + 1, end - 1);
    this.pos = end;
    const save = this.pos;
    const next = this.skipSpace();
    if (inner.includes('null prototype')) {
      if (next === 123) return this.object(false);
      if (next === 91) return this.array();
    }
    // A function or error with own properties: `[Function: f] { a: 1 }`. The properties are not the value.
    if (next === 123) {
      this.object(false);
      return new Elided(`[${inner}]`);
    }
    this.pos = save;
    return new Elided(`[${inner}]`);
  }

  /** `elided`, read up to `pos`; an own-property block after it (`[Object] { a: 1 }`) is read and dropped. */
  afterElided(elided: Elided): Elided {
    const save = this.pos;
    if (this.skipSpace() === 123) this.object(false);
    else this.pos = save;
    return elided;
  }

  /**
   * `[String: 'x']`, `[Number: 3]`, `[Boolean: true]`: a box holds one primitive, read in place.
   * Anything else in it (another box, an object) is elided whole, as far as its closing bracket,
   * so nested boxes never read one another's text again.
   */
  boxed(start: number, prefixLength: number): unknown {
    this.pos = start + prefixLength;
    const code = this.skipSpace();
    const primitive =
      code === 39 ||
      code === 34 ||
      code === 96 ||
      code === 45 ||
      code === 46 ||
      (code >= 48 && code <= 57) ||
      BOXED_WORDS.has(this.text.slice(this.pos, identEnd(this.text, this.pos, this.end)));
    if (primitive) {
      try {
        const value = this.value();
        if (this.skipSpace() === 93) {
          this.pos++;
          return value;
        }
      } catch (error) {
        if (error !== FAIL) throw error;
      }
    }
    this.pos = start;
    const end = this.closing(91, 93);
    this.pos = end;
    return new Elided(this.text.slice(start, end));
  }

  stringValue(): unknown {
    let value = this.string();
    const next = this.text.charCodeAt(this.pos);
    // The usual case: the string is followed directly by `,` `}` `]` or a line break.
    if (next === 44 || next === 125 || next === 93 || next === 10) return value;
    for (;;) {
      const save = this.pos;
      const code = this.skipSpace();
      // Multi-line strings print as `'line 1\n' +\n  'line 2'`.
      if (code === 43) {
        this.pos++;
        const quote = this.skipSpace();
        if (quote === 39 || quote === 34 || quote === 96) {
          value += this.string();
          continue;
        }
        throw FAIL;
      }
      // A string cut by `maxStringLength`: `'abc'... 20 more characters`.
      if (code === 46 && this.match(MORE)) return new Elided(`'${value}'${this.text.slice(save, this.pos)}`);
      this.pos = save;
      return value;
    }
  }

  string(): string {
    const { text } = this;
    const quote = text.charCodeAt(this.pos);
    const close = text.indexOf(quote === 39 ? "'" : quote === 34 ? '"' : '`', this.pos + 1);
    if (close === -1 || close >= this.end) throw FAIL;
    // The next backslash is found once and reused, so strings without escapes cost one indexOf each.
    if (this.nextBackslash !== -1 && this.nextBackslash <= this.pos)
      this.nextBackslash = text.indexOf('\\', this.pos + 1);
    if (this.nextBackslash === -1 || this.nextBackslash > close) {
      const value = text.slice(this.pos + 1, close);
      this.pos = close + 1;
      return value;
    }
    let out = '';
    let chunk = this.pos + 1;
    for (let i = chunk; i < this.end; i++) {
      const code = text.charCodeAt(i);
      if (code === quote) {
        this.pos = i + 1;
        return out + text.slice(chunk, i);
      }
      if (code === 92) {
        out += text.slice(chunk, i);
        const [decoded, length] = decodeEscape(text, i + 1);
        out += decoded;
        i += length;
        chunk = i + 1;
      }
    }
    throw FAIL;
  }

  numberOrDate(): unknown {
    const date = this.match(DATE);
    if (date) return date[0];
    const start = this.pos;
    const found = this.match(NUMBER);
    if (!found || this.pos === start || found[0] === '-') throw FAIL;
    const raw = found[0];
    if (found[1] === 'n') return new Elided(raw);
    if (raw === 'Infinity') return Number.POSITIVE_INFINITY;
    if (raw === '-Infinity') return Number.NEGATIVE_INFINITY;
    const value = Number(raw.includes('_') ? raw.replaceAll('_', '') : raw);
    if (Number.isNaN(value)) throw FAIL;
    return value;
  }

  /** `<ref *1> {...}` (a reference label before the value), `<Buffer 61 62>`, `<pending>`. */
  angle(): unknown {
    const start = this.pos;
    const end = this.text.indexOf('>', start);
    if (end === -1 || end >= this.end) throw FAIL;
    const inner = this.text.slice(start, end + 1);
    this.pos = end + 1;
    if (inner.startsWith('<ref *')) return this.value();
    return new Elided(inner);
  }

  regExp(): Elided {
    const { text } = this;
    const start = this.pos;
    for (let i = start + 1; i < this.end; i++) {
      const code = text.charCodeAt(i);
      if (code === 92) i++;
      else if (code === 10) break;
      else if (code === 47) {
        this.pos = identEnd(text, i + 1, this.end);
        return new Elided(text.slice(start, this.pos));
      }
    }
    throw FAIL;
  }

  /** Literals (`true`, `undefined`, `NaN`), `Symbol(x)`, class-prefixed values (`Map(1) {...}`), error stacks. */
  word(): unknown {
    const start = this.pos;
    const end = identEnd(this.text, start, this.end);
    if (end === start) throw FAIL;
    this.pos = end;
    const literal = literalAt(this.text, start, end - start);
    if (literal !== NOT_A_LITERAL) return literal;
    const name = this.text.slice(start, end);
    if (name === 'Invalid' && this.startsWith(' Date')) {
      this.pos += 5;
      return new Elided('Invalid Date');
    }
    if (this.text.charCodeAt(this.pos) === 40) {
      this.pos = this.closing(40, 41);
      if (name === 'Symbol') return new Elided(this.text.slice(start, this.pos));
    }
    let next = this.skipSpace();
    // `Buffer(2) [Uint8Array] [ 97, 98 ]`, `Foo [Map] {}`: a tag naming the base class.
    if (next === 91 && isUpper(this.text.charCodeAt(this.pos + 1))) {
      this.pos = this.closing(91, 93);
      next = this.skipSpace();
    }
    if (next === 123) return this.object(name === 'Set' || name === 'Promise' || name === 'WeakSet');
    if (next === 91) return this.array();
    if (next === 58) return this.errorStack(start);
    throw FAIL;
  }

  /**
   * An error printed with its stack inside an object (`err: Error: boom\n    at f (x.js:1:2),`). The
   * stack runs to the `,` that ends a line, an own-property block `{`, or the closing bracket.
   */
  errorStack(start: number): Elided {
    const { text, end } = this;
    const title = text.slice(start, this.titleEnd(start));
    for (let i = this.pos; i < end; i++) {
      const code = text.charCodeAt(i);
      if (code === 44 && (text.charCodeAt(i + 1) === 10 || text.charCodeAt(i + 1) === 13)) {
        this.pos = i;
        return new Elided(title);
      }
      if (code === 10 || code === 13) {
        let j = i + 1;
        while (j < end && isSpace(text.charCodeAt(j))) j++;
        const after = text.charCodeAt(j);
        if (after === 125 || after === 93 || j >= end) {
          this.pos = i;
          return new Elided(title);
        }
        // The run of whitespace holds nothing that ends the stack; each character is read once.
        i = j - 1;
      }
      if (code === 123 && text.charCodeAt(i - 1) === 32) {
        this.pos = i;
        this.object(false);
        return new Elided(title);
      }
    }
    this.pos = end;
    return new Elided(title);
  }

  /**
   * End of the text line holding `from`, less its trailing `,` and whitespace, never before
   * `from`. Cached per line: several errors on one line would otherwise each rescan it.
   */
  titleEnd(from: number): number {
    const { text, end } = this;
    if (from < this.cachedFrom || from > this.cachedLineEnd) {
      let lineEnd = from;
      while (lineEnd < end && text.charCodeAt(lineEnd) !== 10) lineEnd++;
      let titleEnd = lineEnd;
      while (titleEnd > from) {
        const code = text.charCodeAt(titleEnd - 1);
        if (code !== 44 && !isRegExpSpace(code)) break;
        titleEnd--;
      }
      this.cachedFrom = from;
      this.cachedLineEnd = lineEnd;
      this.cachedTitleEnd = titleEnd;
    }
    return Math.max(from, this.cachedTitleEnd);
  }
}

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  n: '\n',
  r: '\r',
  t: '\t',
  b: '\b',
  f: '\f',
  v: '\v',
  '0': '\0',
};

/** Decodes the escape starting after a backslash at `at`; returns the text and how many characters it used. */
const decodeEscape = (text: string, at: number): [string, number] => {
  const char = text[at];
  if (char === undefined) throw FAIL;
  const simple = SIMPLE_ESCAPES[char];
  if (simple !== undefined) return [simple, 1];
  if (char === 'x') {
    const code = Number.parseInt(text.slice(at + 1, at + 3), 16);
    if (Number.isNaN(code)) throw FAIL;
    return [String.fromCharCode(code), 3];
  }
  if (char === 'u') {
    if (text[at + 1] === '{') {
      const close = text.indexOf('}', at);
      const code = Number.parseInt(text.slice(at + 2, close), 16);
      if (close === -1 || Number.isNaN(code) || code > 0x10ffff) throw FAIL;
      return [String.fromCodePoint(code), close - at + 1];
    }
    const code = Number.parseInt(text.slice(at + 1, at + 5), 16);
    if (Number.isNaN(code)) throw FAIL;
    return [String.fromCharCode(code), 5];
  }
  return [char, 1];
};

/**
 * Parses `util.inspect` output (or JSON) into plain values, with `Elided` markers for elided or
 * non-data parts. Maps become objects keyed by their (stringified) keys, Sets become arrays,
 * class-name prefixes (`Foo {}`, `[Object: null prototype] {}`) are dropped, unquoted dates become
 * ISO strings, `-0`, `NaN` and `±Infinity` become numbers, bigints and symbols become `Elided`.
 *
 * Reads `text[start, end)` (the whole text by default). Returns `undefined` when that is not one
 * complete literal (the literal text `undefined` also reads as `undefined`). Never throws.
 */
export const parseInspectLiteral = (text: string, start = 0, end = text.length): unknown =>
  readWholeLiteral((source, pos, limit) => new InspectReader(source, pos, limit), text, start, end);
