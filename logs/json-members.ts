/**
 * Reads the top-level members of a JSON object by its structure alone: where each key and value
 * starts and ends, without building any value. The payload reader uses it to parse only the
 * members a trigger's contract reads (a logged PreTokenGeneration event is mostly `request`, which
 * no check reads) instead of the whole event.
 *
 * Strings are skipped with native `indexOf` jumps from quote to quote (an escaped quote is told by
 * the parity of the backslashes before it), so the JavaScript work is per token, not per character.
 * Structure is checked (quotes, nesting, `:` and `,` between members, nothing after the object),
 * the lexical form of skipped scalars is not: a caller parses each member it needs with
 * `JSON.parse`, which checks that member fully. Linear in the length of the object, never throws.
 */

/** Nesting deeper than this inside one member is not followed: the caller falls back to a full parse. */
export const MAX_MEMBER_DEPTH = 64;

/**
 * The members of one object, four numbers each: `[keyStart, keyEnd, valueStart, valueEnd)` where
 * the key is `text.slice(keyStart, keyEnd)` (between its quotes, raw) and the value is
 * `text.slice(valueStart, valueEnd)` (its JSON text).
 */
export type MemberSpans = number[];

const isSpace = (code: number): boolean => code === 32 || code === 10 || code === 13 || code === 9;

/** Whether the quote at `at` is escaped: an odd run of backslashes before it. */
const isEscaped = (text: string, at: number, floor: number): boolean => {
  let run = 0;
  for (let i = at - 1; i > floor && text.charCodeAt(i) === 92; i--) run++;
  return (run & 1) === 1;
};

/**
 * Index of the quote closing the string whose opening quote is at `open`, or -1 before `end`.
 * Searched natively from quote to quote: a character loop, even over short strings, cost about
 * twice as much on a whole event.
 */
export const stringEnd = (text: string, open: number, end: number): number => {
  let at = text.indexOf('"', open + 1);
  while (at !== -1 && at < end && isEscaped(text, at, open)) at = text.indexOf('"', at + 1);
  return at === -1 || at >= end ? -1 : at;
};

/** Index of the quote closing a key that opens at `open`; -1 when it holds a backslash (the caller cannot compare it raw). */
const keyEnd = (text: string, open: number, end: number): number => {
  for (let i = open + 1; i < end; i++) {
    const code = text.charCodeAt(i);
    if (code === 34) return i;
    if (code === 92) return -1;
  }
  return -1;
};

const skipSpace = (text: string, at: number, end: number): number => {
  while (at < end && isSpace(text.charCodeAt(at))) at++;
  return at;
};

/**
 * Index just past the JSON value that starts at `at` (no leading space), or -1 when it is not a
 * balanced value before `end`. Containers are followed with a stack of their openers, so `{]` fails.
 */
export const valueEnd = (text: string, at: number, end: number): number => {
  const first = text.charCodeAt(at);
  if (first === 34) {
    const close = stringEnd(text, at, end);
    return close === -1 ? -1 : close + 1;
  }
  if (first !== 123 && first !== 91) {
    // A scalar: up to the next delimiter. Its spelling is JSON.parse's to check.
    let i = at;
    while (i < end) {
      const code = text.charCodeAt(i);
      if (code === 44 || code === 125 || code === 93 || code === 58 || isSpace(code) || code === 34) break;
      if (code === 123 || code === 91) return -1;
      i++;
    }
    return i === at ? -1 : i;
  }
  // Openers' closing codes: `}` is 125 = `{` + 2, `]` is 93 = `[` + 2.
  const stack: number[] = [first + 2];
  for (let i = at + 1; i < end; i++) {
    const code = text.charCodeAt(i);
    if (code === 34) {
      const close = stringEnd(text, i, end);
      if (close === -1) return -1;
      i = close;
    } else if (code === 123 || code === 91) {
      if (stack.length >= MAX_MEMBER_DEPTH) return -1;
      stack.push(code + 2);
    } else if (code === 125 || code === 93) {
      if (stack.pop() !== code) return -1;
      if (stack.length === 0) return i + 1;
    }
  }
  return -1;
};

/**
 * A member whose value is expected, e.g. the response every event of a function returns: where the
 * object holds exactly that text there, it is not read again.
 */
export interface KnownMember {
  readonly key: string;
  /** A whole JSON object, array or string (so its end cannot be the start of a longer value). */
  readonly value: string;
}

const isKnownValue = (text: string, keyStart: number, keyStop: number, at: number, known: KnownMember) => {
  const { key, value } = known;
  return (
    keyStop - keyStart === key.length &&
    text.startsWith(key, keyStart) &&
    text.slice(at, at + value.length) === value &&
    (value.charCodeAt(0) === 123 || value.charCodeAt(0) === 91 || value.charCodeAt(0) === 34)
  );
};

/**
 * The top-level members of the JSON object at `text[start, end)` (`text[start]` is `{` and only
 * whitespace may follow the closing brace before `end`), or undefined when its structure is not
 * that of one JSON object. Keys holding a backslash also give undefined: they would need decoding
 * to be compared, and the caller's full parse handles them. `spans` is emptied and filled (pass a
 * scratch array to read many objects without allocating). A `known` member's value is taken as is
 * where the text holds exactly it.
 */
export const readObjectMembers = (
  text: string,
  start: number,
  end: number,
  spans: MemberSpans = [],
  known?: KnownMember,
): MemberSpans | undefined => {
  if (text.charCodeAt(start) !== 123) return undefined;
  spans.length = 0;
  let at = skipSpace(text, start + 1, end);
  if (text.charCodeAt(at) === 125) return skipSpace(text, at + 1, end) === end ? spans : undefined;
  for (;;) {
    if (text.charCodeAt(at) !== 34) return undefined;
    const keyStart = at + 1;
    const close = keyEnd(text, at, end);
    if (close === -1) return undefined;
    at = skipSpace(text, close + 1, end);
    if (text.charCodeAt(at) !== 58) return undefined;
    const valueStart = skipSpace(text, at + 1, end);
    const valueStop =
      known !== undefined && isKnownValue(text, keyStart, close, valueStart, known)
        ? valueStart + known.value.length
        : valueEnd(text, valueStart, end);
    if (valueStop === -1) return undefined;
    spans.push(keyStart, close, valueStart, valueStop);
    at = skipSpace(text, valueStop, end);
    const code = text.charCodeAt(at);
    if (code === 44) {
      at = skipSpace(text, at + 1, end);
      continue;
    }
    if (code !== 125) return undefined;
    return skipSpace(text, at + 1, end) === end ? spans : undefined;
  }
};

/** Index in `spans` of the last member named `key` (JSON.parse keeps the last of duplicates), or -1. */
export const memberIndex = (text: string, spans: readonly number[], key: string): number => {
  for (let m = spans.length - 4; m >= 0; m -= 4) {
    const keyStart = spans[m] as number;
    if ((spans[m + 1] as number) - keyStart === key.length && text.startsWith(key, keyStart)) return m;
  }
  return -1;
};
