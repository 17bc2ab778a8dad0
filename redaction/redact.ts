/**
 * Redaction of secrets and personal data from anything that leaves the monitor (alerts, CLI output,
 * logs). Log lines carry whole trigger events, so this reads the shapes those lines come in: JSON
 * (also JSON nested in a JSON string), Node's `util.inspect` output, and `key=value` text.
 *
 * Removed, each replaced by `[redacted:<kind>]`:
 * - JWTs (`eyJ...` with three segments) and JWE refresh tokens (five segments);
 * - the value under a key that names a secret: passwords, secrets and SECRET_HASH, tokens
 *   (refresh, access, id, session tokens), authorization headers, cookies, credentials, string
 *   `session` values, challenge answers and private challenge parameters;
 * - `Bearer`/`Basic` credentials and `user:password@` in URLs;
 * - the value under a key that names personal data: username, email, phone number, names,
 *   address, birthdate, IP address;
 * - email addresses and phone numbers (E.164 `+12065551212`, North American `(206) 555-1212`,
 *   `206-555-1212`, `206.555.1212`) anywhere;
 * - AWS access key ids (`AKIA…`, `ASIA…`) under any key or none, and a 40-character secret access
 *   key under its key or right after an access key id;
 * - by shape, with no key: JWT fragments (any `eyJ…` segment, so half a JWT too) and high-entropy
 *   runs (20+ base64 characters mixing upper case, lower case and digits; 32+ mixing letters and
 *   digits; hex-only runs such as request ids and hashes are kept).
 *
 * Cut text: a text that starts or ends with `…` was cut there. At such an edge the value of a key
 * whose name was cut off is redacted whatever the key was, and partial shapes are redacted too: a
 * half email address (`diego.ramirez@e…`), phone number (`+120655…`), access key id or token.
 * {@link redactThenClip} is the one way to shorten text: it redacts the whole text, then cuts.
 *
 * Linear: every scan moves forward; a value the key scan skips is never read again, and every
 * pattern can only start at the beginning of a run of its characters. {@link countRedactionSteps}
 * counts the work, for tests.
 *
 * Kept: request ids (UUIDs), pool and client ids, ARNs, ISO timestamps, durations, account ids,
 * epoch times, flag values such as `autoConfirmUser: 'true'`, and error class names under `name`.
 * Ordinary words after a key in prose (`PASSWORD: the variable is not set`) are kept.
 * Known gaps: a password with no key naming it cannot be recognised; national phone numbers
 * written as bare digit runs are kept, since they cannot be told from epoch times; a hex-only
 * secret without its key is kept (it cannot be told from a request id or a hash).
 */

/** The kinds of value redaction removes; the kind appears in the marker. */
export const REDACTION_KINDS = [
  'jwt',
  'refresh-token',
  'token',
  'password',
  'secret',
  'credential',
  'session',
  'email',
  'phone',
  'username',
  'name',
  'address',
  'birthdate',
  'ip-address',
  'aws-access-key',
] as const;
export type RedactionKind = (typeof REDACTION_KINDS)[number];

/** The text that replaces a redacted value. */
export const redactionMarker = (kind: RedactionKind): string => `[redacted:${kind}]`;

const MARKER_PREFIX = '[redacted:';

/** How the value under a secret or personal key is redacted. */
export interface KeyRule {
  kind: RedactionKind;
  /** Only string and number values are secret under this key; objects and arrays are searched. */
  scalarOnly?: boolean;
  /** A value this key may hold that is not personal data (error class names under `name`). */
  keep?: RegExp;
}

const PERSONAL_KEYS: ReadonlyMap<string, KeyRule> = new Map<string, KeyRule>([
  ['username', { kind: 'username' }],
  ['cognitousername', { kind: 'username' }],
  ['preferredusername', { kind: 'username' }],
  ['email', { kind: 'email' }],
  ['emailaddress', { kind: 'email' }],
  ['phone', { kind: 'phone' }],
  ['phonenumber', { kind: 'phone' }],
  ['name', { kind: 'name', keep: /^(?:[A-Z][\w$]*(?:Error|Exception|Fault)|Error|Runtime\.\w+)$/ }],
  ['givenname', { kind: 'name' }],
  ['familyname', { kind: 'name' }],
  ['middlename', { kind: 'name' }],
  ['nickname', { kind: 'name' }],
  ['address', { kind: 'address' }],
  ['birthdate', { kind: 'birthdate' }],
  ['ipaddress', { kind: 'ip-address' }],
  ['sourceip', { kind: 'ip-address' }],
  ['xforwardedfor', { kind: 'ip-address' }],
]);

const SECRET_SUFFIXES: ReadonlyArray<readonly [string, KeyRule]> = [
  ['refreshtoken', { kind: 'refresh-token' }],
  ['token', { kind: 'token' }],
  ['password', { kind: 'password' }],
  ['passwd', { kind: 'password' }],
  ['pwd', { kind: 'password' }],
  ['passphrase', { kind: 'password' }],
  ['secret', { kind: 'secret' }],
  ['secrethash', { kind: 'secret' }],
  ['secretkey', { kind: 'secret' }],
  ['secretaccesskey', { kind: 'secret' }],
  ['apikey', { kind: 'secret' }],
  ['privatekey', { kind: 'secret' }],
  ['challengeanswer', { kind: 'secret' }],
  ['answer', { kind: 'secret' }],
  ['privatechallengeparameters', { kind: 'secret' }],
  ['authorization', { kind: 'credential' }],
  ['cookie', { kind: 'credential' }],
  ['credentials', { kind: 'credential' }],
  ['credential', { kind: 'credential' }],
  ['accesskeyid', { kind: 'aws-access-key' }],
  ['sessionid', { kind: 'session' }],
  // Cognito's `Session` string continues an auth flow; DefineAuthChallenge's `session` is an array of results.
  ['session', { kind: 'session', scalarOnly: true }],
];

const normaliseKey = (key: string): string =>
  (key.split('.').at(-1) ?? key).toLowerCase().replace(/[-_:\s]/g, '');

const classifyNormalised = (normalised: string): KeyRule | null => {
  const personal = PERSONAL_KEYS.get(normalised);
  if (personal !== undefined) return personal;
  for (const [suffix, rule] of SECRET_SUFFIXES) if (normalised.endsWith(suffix)) return rule;
  return null;
};

// Log lines repeat the same few dozen keys (`userName`, `triggerSource`, ...): classify each once.
const KEY_RULES = new Map<string, KeyRule | null>();
const MAX_KEY_RULES = 4096;

/** The redaction rule for a key, or `undefined` when its value is not secret or personal. */
export const classifyKey = (key: string): KeyRule | undefined => {
  let rule = KEY_RULES.get(key);
  if (rule === undefined) {
    rule = classifyNormalised(normaliseKey(key));
    if (KEY_RULES.size >= MAX_KEY_RULES) KEY_RULES.clear();
    KEY_RULES.set(key, rule);
  }
  return rule ?? undefined;
};

// --- work counter --------------------------------------------------------------------------------

let steps = 0;

/**
 * Redacts `text` and says how much work that took: characters read by the value scanners and the
 * length of every key and pattern match. Tests use it to prove the work grows linearly with the
 * input, with no clock involved.
 */
export const countRedactionSteps = (text: string): { output: string; steps: number } => {
  steps = 0;
  const output = redact(text);
  return { output, steps };
};

// --- keyed values in text ------------------------------------------------------------------------

/** Marks where text was cut; an edge next to it may hold part of a secret. */
export const CUT_MARK = '…';

// A key: optionally quoted (with the backslashes of JSON nested in a string), then `:` or `=`. The
// lookbehinds let a match start only at the beginning of a token or of a backslash run, which keeps
// the scan linear on long runs of key-like characters or backslashes.
const KEY = /(?:(?<![\w$.:\\-])(\\*)(["'`])|(?<![\w$.:-]))([A-Za-z_$][\w$:.-]*)\1\2[ \t]*([:=])[ \t]*/g;
const UNQUOTED_VALUE = /(?:(?:Bearer|Basic)[ \t]+)?[^\s,;&)}\]'"`\\]+/y;
const QUOTE_OPENING = /(\\*)(["'`])/y;
const EMPTY_VALUES = new Set(['null', 'undefined', 'true', 'false', '[Object]', '[Array]', '[]', '{}']);
// After `\n` inside a JSON string the key seems to start with `n`; look at it without that letter too.
const ESCAPE_LETTER = /^[ntr]/;
// Prose such as `PASSWORD: the variable is not set`: these words after `key: ` are never credentials.
const ORDINARY_WORDS = new Set([
  'a',
  'an',
  'the',
  'is',
  'are',
  'was',
  'were',
  'be',
  'been',
  'not',
  'no',
  'none',
  'missing',
  'empty',
  'unset',
  'required',
  'invalid',
  'expired',
  'wrong',
  'incorrect',
  'rejected',
  'denied',
  'changed',
  'reset',
  'set',
  'ok',
  'failed',
  'must',
  'should',
  'has',
  'have',
  'had',
  'does',
  'did',
  'for',
  'from',
  'of',
  'in',
  'on',
  'to',
  'and',
  'or',
  'if',
  'when',
  'with',
  'without',
  'this',
  'that',
  'it',
  'its',
  'variable',
  'value',
  'field',
  'parameter',
  'see',
  'use',
  'check',
]);
// A value under a key cut off at the edge: only these carry no data.
const CUT_KEY_RULE: KeyRule = { kind: 'secret', keep: /^-?\d{1,5}(?:\.\d+)?$/ };

/** End (exclusive) of a quoted value opening at `start` with `escapes` backslashes before the quote. */
const quotedEnd = (text: string, start: number, escapes: number, quote: string): number => {
  let index = start + escapes + 1;
  while (index < text.length) {
    const char = text[index];
    if (char === '\\') {
      let run = 0;
      while (text[index + run] === '\\') run += 1;
      // At nesting depth n the closing quote has n backslashes; an escaped quote has 2(n+1) more.
      if (text[index + run] === quote && run >= escapes && (run - escapes) % (2 * (escapes + 1)) === 0) {
        steps += index + run + 1 - start;
        return index + run + 1;
      }
      index += run + 1;
      continue;
    }
    if (char === quote && escapes === 0) {
      steps += index + 1 - start;
      return index + 1;
    }
    index += 1;
  }
  steps += text.length - start;
  return text.length;
};

/** End (exclusive) of a bracketed value (`{...}` or `[...]`) at `start`; strings are not parsed. */
const bracketEnd = (text: string, start: number): number => {
  let depth = 0;
  for (let index = start; index < text.length; index += 1) {
    const char = text[index];
    if (char === '{' || char === '[') depth += 1;
    else if (char === '}' || char === ']') {
      depth -= 1;
      if (depth === 0) {
        steps += index + 1 - start;
        return index + 1;
      }
    }
  }
  steps += text.length - start;
  return text.length;
};

interface ValueSpan {
  /** Where the replaced part starts and ends (quotes stay). */
  from: number;
  to: number;
  /** Where scanning resumes. */
  next: number;
  kind: 'quoted' | 'bracketed' | 'bare';
}

const BRACKETED_EMPTY = ['{}', '[]', '[Object]', '[Array]'] as const;

/**
 * The value at `start`, or `undefined` when it is kept without reading it (a marker, an empty
 * bracket, or a bracketed value under a scalar-only key, which is searched as text instead). Every
 * value that is read is skipped afterwards, so no character is read twice.
 */
const valueSpan = (text: string, start: number, rule: KeyRule): ValueSpan | undefined => {
  QUOTE_OPENING.lastIndex = start;
  const quoted = QUOTE_OPENING.exec(text);
  if (quoted) {
    const escapes = quoted[1]?.length ?? 0;
    const quote = quoted[2] ?? '"';
    if (text.startsWith(MARKER_PREFIX, start + escapes + 1)) return undefined;
    const end = quotedEnd(text, start, escapes, quote);
    const closing = end === text.length && !text.endsWith(quote) ? 0 : escapes + 1;
    return { from: start + escapes + 1, to: end - closing, next: end, kind: 'quoted' };
  }
  const first = text[start];
  if (first === '{' || first === '[') {
    if (rule.scalarOnly === true || text.startsWith(MARKER_PREFIX, start)) return undefined;
    if (BRACKETED_EMPTY.some((empty) => text.startsWith(empty, start))) return undefined;
    const end = bracketEnd(text, start);
    return { from: start, to: end, next: end, kind: 'bracketed' };
  }
  UNQUOTED_VALUE.lastIndex = start;
  const bare = UNQUOTED_VALUE.exec(text);
  if (!bare) return undefined;
  steps += bare[0].length;
  return { from: start, to: start + bare[0].length, next: start + bare[0].length, kind: 'bare' };
};

const ruleForKeyToken = (key: string, escaped: boolean): KeyRule | undefined =>
  classifyKey(key) ?? (escaped && ESCAPE_LETTER.test(key) ? classifyKey(key.slice(1)) : undefined);

/** Whether the value under a key stays: empty, a flag, a marker, a kept value, or a word of prose. */
const keepsValue = (value: string, span: ValueSpan, rule: KeyRule, prose: boolean): boolean =>
  value === '' ||
  value.startsWith(MARKER_PREFIX) ||
  (span.kind !== 'quoted' && EMPTY_VALUES.has(value)) ||
  (rule.keep?.test(value) ?? false) ||
  (prose && span.kind === 'bare' && ORDINARY_WORDS.has(value.toLowerCase()));

// The part of a key left at the start of a cut text (`…sword":`, `…":`), then the separator.
const CUT_KEY = /[\w$.-]*\\*["'`]?[ \t]*[:=][ \t]*/y;

/** The next `:` and `=` at or after a position, each found with indexOf and kept until passed. */
interface SeparatorFinder {
  colon: number;
  equals: number;
}

const createSeparatorFinder = (text: string): SeparatorFinder => ({
  colon: text.indexOf(':'),
  equals: text.indexOf('='),
});

/** A character of a key token: `[\w$:.-]`. */
const isKeyChar = (code: number): boolean =>
  (code >= 48 && code <= 58) || // 0-9 and `:`
  (code >= 65 && code <= 90) ||
  (code >= 97 && code <= 122) ||
  code === 95 || // _
  code === 36 || // $
  code === 46 || // .
  code === 45; // -

/** A quote or a backslash: what opens and closes a quoted key. */
const isQuoting = (code: number): boolean => code === 34 || code === 39 || code === 96 || code === 92;

const isBlank = (code: number): boolean => code === 32 || code === 9;

/**
 * The leftmost place a key match ending at `separator` can start: walking back over what a match
 * holds before its separator, in reverse order (blanks, the closing quote, the key, the opening
 * quote), never before `from`.
 */
const keyRunStart = (text: string, separator: number, from: number): number => {
  let start = separator;
  while (start > from && isBlank(text.charCodeAt(start - 1))) start -= 1;
  while (start > from && isQuoting(text.charCodeAt(start - 1))) start -= 1;
  while (start > from && isKeyChar(text.charCodeAt(start - 1))) start -= 1;
  while (start > from && isQuoting(text.charCodeAt(start - 1))) start -= 1;
  return start;
};

/**
 * The next key match at or after `KEY.lastIndex`. Every match ends in a `:` or `=` separator, so
 * the separators are found first (indexOf) and the regex starts where a key ending at the next one
 * can start ({@link keyRunStart}): stretches without a separator are never read by the regex. No
 * match can start between `KEY.lastIndex` and there (a key holds `:` but no `=`, so a match whose
 * separator lies further on still covers this one with key characters), so the result is the one
 * a scan from `KEY.lastIndex` would find.
 */
const nextKey = (text: string, separators: SeparatorFinder): RegExpExecArray | null => {
  const from = KEY.lastIndex;
  if (separators.colon !== -1 && separators.colon < from) separators.colon = text.indexOf(':', from);
  if (separators.equals !== -1 && separators.equals < from) separators.equals = text.indexOf('=', from);
  const { colon, equals } = separators;
  const separator = colon === -1 ? equals : equals === -1 ? colon : Math.min(colon, equals);
  if (separator === -1) return null;
  const start = keyRunStart(text, separator, from);
  KEY.lastIndex = start;
  const match = KEY.exec(text);
  // The characters walked back over, and every position the regex tried before its match.
  steps += separator - start + (match === null ? text.length : match.index) - start;
  return match;
};

const redactKeyedValues = (text: string): string => {
  let out = '';
  let copied = 0;
  const replace = (span: ValueSpan, rule: KeyRule, value: string, prose: boolean): void => {
    if (keepsValue(value, span, rule, prose)) return;
    out += text.slice(copied, span.from) + redactionMarker(rule.kind);
    copied = span.to;
  };
  KEY.lastIndex = 0;
  if (text.startsWith(CUT_MARK)) {
    // The key was cut off: whatever it was, its value may be secret.
    CUT_KEY.lastIndex = CUT_MARK.length;
    const cutKey = CUT_KEY.exec(text);
    const span = cutKey ? valueSpan(text, CUT_MARK.length + cutKey[0].length, CUT_KEY_RULE) : undefined;
    if (span !== undefined) {
      replace(span, CUT_KEY_RULE, text.slice(span.from, span.to), false);
      KEY.lastIndex = span.next;
    }
  }
  const separators = createSeparatorFinder(text);
  for (let match = nextKey(text, separators); match !== null; match = nextKey(text, separators)) {
    steps += match[0].length;
    const key = match[3] ?? '';
    const escaped = match.index > 0 && text[match.index - 1] === '\\';
    const rule = ruleForKeyToken(key, escaped);
    if (rule === undefined) continue;
    const valueStart = match.index + match[0].length;
    const span = valueSpan(text, valueStart, rule);
    if (span === undefined) continue;
    const prose = match[2] === undefined && match[4] === ':' && valueStart > match.index + key.length + 1;
    replace(span, rule, text.slice(span.from, span.to), prose);
    KEY.lastIndex = Math.max(span.next, KEY.lastIndex);
  }
  return copied === 0 ? text : out + text.slice(copied);
};

// --- patterns anywhere ---------------------------------------------------------------------------

const B64 = '[A-Za-z0-9_-]';
// A token starts at a boundary, after a percent-escape (`%20eyJ...`) or after a JSON escape (`\neyJ...`);
// without this, runs such as `eyJeyJeyJ...` or long words would make the scan quadratic.
const TOKEN_START = `(?:(?<![A-Za-z0-9_-])|(?<=%[0-9A-Fa-f]{2})|(?<=\\\\[nrt]))`;

interface CharClasses {
  upper: boolean;
  lower: boolean;
  digit: boolean;
  symbol: boolean;
  hexOnly: boolean;
}

const classesOf = (run: string): CharClasses => {
  steps += run.length;
  const found: CharClasses = { upper: false, lower: false, digit: false, symbol: false, hexOnly: true };
  for (let index = 0; index < run.length; index += 1) {
    const code = run.charCodeAt(index);
    if (code >= 65 && code <= 90) {
      found.upper = true;
      if (code > 70) found.hexOnly = false;
    } else if (code >= 97 && code <= 122) {
      found.lower = true;
      if (code > 102) found.hexOnly = false;
    } else if (code >= 48 && code <= 57) found.digit = true;
    else if (code === 43 || code === 47) {
      found.symbol = true;
      found.hexOnly = false;
    } else if (code !== 45 && code !== 61) found.hexOnly = false;
  }
  return found;
};

// A path (`/aws/lambda/MyFunction2`, `var/task/index`) is not a secret even when it mixes cases.
const PATH_WORD = /(?:^|\/)[a-z]{3,}(?:\/|$)/;

/**
 * Whether a run of base64 characters looks like key material rather than a word, an id or a path:
 * 20+ characters mixing upper and lower case with digits or `+`/`/`, or 32+ mixing letters and
 * digits. Hex-only runs (request ids, hashes, log stream ids) never count.
 */
const isHighEntropy = (run: string, minLength = 20): boolean => {
  if (run.length < minLength) return false;
  if (run.includes('/') && (run.startsWith('/') || PATH_WORD.test(run))) return false;
  const c = classesOf(run);
  if (c.hexOnly) return false;
  if (c.upper && c.lower && (c.digit || c.symbol)) return true;
  return run.length >= Math.max(32, minLength) && (c.upper || c.lower) && c.digit;
};

type Replacer = (match: string, ...groups: string[]) => string;
/** A pattern, its replacement, and a cheap test that it can match at all (skips a whole pass). */
type Pattern = readonly [RegExp, Replacer, ((text: string) => boolean)?];
const has =
  (...needles: string[]) =>
  (text: string): boolean =>
    needles.some((needle) => text.includes(needle));

const PATTERNS: readonly Pattern[] = [
  // JWE first: Cognito refresh tokens are five-segment `eyJ...` strings; the encrypted key may be empty.
  [
    new RegExp(`${TOKEN_START}eyJ${B64}{10,}\\.${B64}*\\.${B64}{2,}\\.${B64}{2,}\\.${B64}{2,}`, 'g'),
    () => redactionMarker('refresh-token'),
    has('eyJ'),
  ],
  // Any JWT with two or more segments, so also half a JWT (header and part of the payload).
  [
    new RegExp(`${TOKEN_START}eyJ${B64}{6,}(?:\\.${B64}+)+\\.?`, 'g'),
    () => redactionMarker('jwt'),
    has('eyJ'),
  ],
  [
    /\b(Bearer|Basic)[ \t]+[A-Za-z0-9._~+/=-]{6,}/g,
    (_match, scheme) => `${scheme} ${redactionMarker('credential')}`,
    has('Bearer', 'Basic'),
  ],
  [
    /(:\/\/)[^\s/:@]+:[^\s/@]+@/g,
    (_match, scheme) => `${scheme}${redactionMarker('credential')}@`,
    has('://'),
  ],
  [
    /(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+(?:@|%40)[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g,
    () => redactionMarker('email'),
    has('@', '%40'),
  ],
  [/\+\d(?:[ .()-]{0,2}\d){6,14}/g, () => redactionMarker('phone'), has('+')],
  [/(?<![\w.+-])(?:\(\d{3}\)[ .-]?|\d{3}[ .-])\d{3}[ .-]\d{4}(?![\w-])/g, () => redactionMarker('phone')],
  // AWS access key ids (long-term AKIA, temporary ASIA), then a secret access key right after one.
  [
    /(?<![A-Za-z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Za-z0-9])/g,
    () => redactionMarker('aws-access-key'),
    has('AKIA', 'ASIA'),
  ],
  [
    /(\[redacted:aws-access-key\][\s,;:=|"'`]{1,8})[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])/g,
    (_match, before) => `${before}${redactionMarker('secret')}`,
    has('[redacted:aws-access-key]'),
  ],
  // Key material with no key naming it: client secrets, SECRET_HASH values, secret access keys, sessions.
  [
    /(?<![A-Za-z0-9+/=])[A-Za-z0-9+/]{20,}={0,2}(?![A-Za-z0-9+/=])/g,
    (run) => (isHighEntropy(run) ? redactionMarker('secret') : run),
  ],
];

// --- cut edges -----------------------------------------------------------------------------------

/** How far from a cut a partial secret is looked for, in characters. */
const EDGE_WINDOW = 256;
const EDGE_TOKEN_CHARS = /[A-Za-z0-9+/=._%@()-]/;

const PARTIAL_AT_END: ReadonlyArray<readonly [RegExp, RedactionKind]> = [
  [/[A-Za-z0-9._%+-]+(?:@|%40)[A-Za-z0-9.-]*$/, 'email'],
  [/\+\d[\d .()-]*$/, 'phone'],
  [/(?:AKIA|ASIA)[A-Z0-9]*$/, 'aws-access-key'],
  [/eyJ[A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]*)*$/, 'jwt'],
];
const PARTIAL_AT_START: ReadonlyArray<readonly [RegExp, RedactionKind]> = [
  [/^[A-Za-z0-9._%+-]*(?:@|%40)[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*/, 'email'],
  [/^[\d ().-]*\d{6,}/, 'phone'],
];

/** The token touching a cut edge, for the shapes that can be told from a fragment. */
const edgeToken = (text: string, atEnd: boolean): { from: number; to: number } => {
  if (atEnd) {
    const to = text.length - CUT_MARK.length;
    let from = to;
    while (from > Math.max(0, to - EDGE_WINDOW) && EDGE_TOKEN_CHARS.test(text[from - 1] ?? '')) from -= 1;
    steps += to - from;
    return { from, to };
  }
  const from = CUT_MARK.length;
  let to = from;
  while (to < Math.min(text.length, from + EDGE_WINDOW) && EDGE_TOKEN_CHARS.test(text[to] ?? '')) to += 1;
  steps += to - from;
  return { from, to };
};

const redactEdgeToken = (token: string, atEnd: boolean): string => {
  if (token === '' || token.includes(MARKER_PREFIX)) return token;
  for (const [pattern, kind] of atEnd ? PARTIAL_AT_END : PARTIAL_AT_START) {
    const found = pattern.exec(token);
    if (found && (kind !== 'phone' || /\d{3}/.test(found[0].replace(/\D/g, '')))) {
      return atEnd
        ? `${token.slice(0, found.index)}${redactionMarker(kind)}`
        : `${redactionMarker(kind)}${token.slice(found[0].length)}`;
    }
  }
  // Part of a value cut anywhere: judged whole, since its key and its other half are gone.
  if (token.length >= 8 && (token.startsWith('eyJ') || isHighEntropy(token, 8)))
    return redactionMarker(token.startsWith('eyJ') ? 'jwt' : 'secret');
  return token;
};

/**
 * Redacts partial secrets next to a `…` that marks where the text was cut (at its start or end).
 * For cuts made without {@link clipRedacted}, such as a byte-limited message.
 */
export const redactCutEdges = (text: string): string => {
  let result = text;
  if (result.endsWith(CUT_MARK)) {
    const { from, to } = edgeToken(result, true);
    result = `${result.slice(0, from)}${redactEdgeToken(result.slice(from, to), true)}${result.slice(to)}`;
  }
  if (result.startsWith(CUT_MARK) && result.length > CUT_MARK.length) {
    const { from, to } = edgeToken(result, false);
    result = `${result.slice(0, from)}${redactEdgeToken(result.slice(from, to), false)}${result.slice(to)}`;
  }
  return result;
};

/**
 * Returns `text` with secrets and personal data replaced by `[redacted:<kind>]` markers.
 * Idempotent: redacting redacted text changes nothing. Linear in the length of `text`.
 */
export const redact = (text: string): string => {
  let result = redactKeyedValues(text);
  for (const [pattern, replace, possible] of PATTERNS) {
    if (possible !== undefined && !possible(result)) continue;
    result = result.replace(pattern, (...args: string[]) => {
      steps += args[0]?.length ?? 0;
      return replace(...(args as [string, ...string[]]));
    });
  }
  return result.startsWith(CUT_MARK) || result.endsWith(CUT_MARK) ? redactCutEdges(result) : result;
};

// --- cutting -------------------------------------------------------------------------------------

/** A cut point moved out of a marker and out of a surrogate pair. */
const safeCut = (text: string, at: number, towardStart: boolean): number => {
  let cut = Math.max(0, Math.min(at, text.length));
  const open = text.lastIndexOf(MARKER_PREFIX, cut - 1);
  if (open !== -1 && open < cut) {
    const close = text.indexOf(']', open);
    if (close === -1 || close >= cut) cut = towardStart ? open : close === -1 ? text.length : close + 1;
  }
  const code = text.charCodeAt(cut - 1);
  if (cut > 0 && cut < text.length && code >= 0xd800 && code <= 0xdbff) cut += towardStart ? -1 : 1;
  return cut;
};

/** Options of {@link clipRedacted} and {@link redactThenClip}. */
export interface ClipOptions {
  /** Centre the window on the first occurrence of this text. */
  focus?: string;
  /** End at a space when one is this close to the cut (in characters), rather than mid-word. */
  wordBoundary?: number;
}

/**
 * Shortens text that is already redacted to at most `max` characters, marking each cut with `…`:
 * a cut never splits a redaction marker or a surrogate pair, and the fragments next to a cut are
 * redacted by their shape (half an email address, phone number, access key id or token).
 */
export const clipRedacted = (
  text: string,
  max: number,
  { focus, wordBoundary = 0 }: ClipOptions = {},
): string => {
  if (text.length <= max) return text;
  const room = Math.max(1, max - 2 * CUT_MARK.length);
  const at = focus ? text.indexOf(focus) : -1;
  // A window that reaches either end needs one mark only.
  const tail = text.length - (max - CUT_MARK.length);
  const wanted = at < 0 ? 0 : Math.max(0, Math.min(at - Math.floor(room / 2), tail));
  const start = wanted === 0 ? 0 : safeCut(text, wanted, false);
  let end =
    wanted === tail ? text.length : safeCut(text, start + (start === 0 ? max - CUT_MARK.length : room), true);
  const space = wordBoundary > 0 ? text.lastIndexOf(' ', end) : -1;
  if (space > start && space > end - wordBoundary) end = space;
  const body = text.slice(start, end);
  const clipped = `${start > 0 ? CUT_MARK : ''}${end < text.length ? body.trimEnd() : body}${end < text.length ? CUT_MARK : ''}`;
  return redactCutEdges(clipped);
};

/**
 * The one way to shorten text that may hold secrets: redacts the whole text first, then cuts it
 * to at most `max` characters with {@link clipRedacted}. A secret is never cut before it is seen.
 */
export const redactThenClip = (text: string, max: number, options: ClipOptions = {}): string =>
  clipRedacted(
    redact(text),
    max,
    options.focus === undefined ? options : { ...options, focus: redact(options.focus) },
  );

// --- structured values ---------------------------------------------------------------------------

const isPlainObject = (value: unknown): value is Record<string, unknown> => {
  if (typeof value !== 'object' || value === null) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
};

const redactUnder = (rule: KeyRule, value: unknown, seen: WeakSet<object>): unknown => {
  if (value === null || value === undefined || typeof value === 'boolean') return value;
  if (typeof value === 'string' && (value === '' || rule.keep?.test(value))) return value;
  if (rule.scalarOnly && typeof value === 'object') return walk(value, seen);
  return redactionMarker(rule.kind);
};

const walk = (value: unknown, seen: WeakSet<object>): unknown => {
  if (typeof value === 'string') return redact(value);
  if (Array.isArray(value)) {
    if (seen.has(value)) return '[circular]';
    seen.add(value);
    return value.map((item) => walk(item, seen));
  }
  if (isPlainObject(value)) {
    if (seen.has(value)) return '[circular]';
    seen.add(value);
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      const rule = classifyKey(key);
      out[key] = rule === undefined ? walk(item, seen) : redactUnder(rule, item, seen);
    }
    return out;
  }
  return value;
};

/**
 * Deep copy of `value` with every string redacted and every value under a secret or personal key
 * replaced by its marker (booleans, `null` and empty strings are kept: they carry no data). Plain
 * objects and arrays are copied; other objects (Dates, class instances) are returned as they are.
 */
export const redactDeep = <T>(value: T): T => walk(value, new WeakSet()) as T;
