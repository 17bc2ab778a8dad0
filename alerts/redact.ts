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
 *   `206-555-1212`, `206.555.1212`) anywhere.
 *
 * Kept: request ids (UUIDs), pool and client ids, ARNs, ISO timestamps, durations, account ids,
 * epoch times, flag values such as `autoConfirmUser: 'true'`, and error class names under `name`.
 * Known gaps: a password with no key naming it cannot be recognised; national phone numbers
 * written as bare digit runs are kept, since they cannot be told from epoch times.
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
  ['sessionid', { kind: 'session' }],
  // Cognito's `Session` string continues an auth flow; DefineAuthChallenge's `session` is an array of results.
  ['session', { kind: 'session', scalarOnly: true }],
];

const normaliseKey = (key: string): string =>
  (key.split('.').at(-1) ?? key).toLowerCase().replace(/[-_:\s]/g, '');

/** The redaction rule for a key, or `undefined` when its value is not secret or personal. */
export const classifyKey = (key: string): KeyRule | undefined => {
  const normalised = normaliseKey(key);
  const personal = PERSONAL_KEYS.get(normalised);
  if (personal !== undefined) return personal;
  for (const [suffix, rule] of SECRET_SUFFIXES) if (normalised.endsWith(suffix)) return rule;
  return undefined;
};

// --- keyed values in text ------------------------------------------------------------------------

// A key: optionally quoted (with the backslashes of JSON nested in a string), then `:` or `=`. The
// lookbehinds let a match start only at the beginning of a token or of a backslash run, which keeps
// the scan linear on long runs of key-like characters or backslashes.
const KEY = /(?:(?<![\w$.:\\-])(\\*)(["'`])|(?<![\w$.:-]))([A-Za-z_$][\w$:.-]*)\1\2[ \t]*([:=])[ \t]*/g;
const UNQUOTED_VALUE = /(?:(?:Bearer|Basic)[ \t]+)?[^\s,;&)}\]'"`\\]+/y;
const QUOTE_OPENING = /(\\*)(["'`])/y;
const EMPTY_VALUES = new Set(['null', 'undefined', 'true', 'false', '[Object]', '[Array]', '[]', '{}']);
// After `\n` inside a JSON string the key seems to start with `n`; look at it without that letter too.
const ESCAPE_LETTER = /^[ntr]/;

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
        return index + run + 1;
      }
      index += run + 1;
      continue;
    }
    if (char === quote && escapes === 0) return index + 1;
    index += 1;
  }
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
      if (depth === 0) return index + 1;
    }
  }
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

const valueSpan = (text: string, start: number): ValueSpan | undefined => {
  QUOTE_OPENING.lastIndex = start;
  const quoted = QUOTE_OPENING.exec(text);
  if (quoted) {
    const escapes = quoted[1]?.length ?? 0;
    const quote = quoted[2] ?? '"';
    const end = quotedEnd(text, start, escapes, quote);
    const closing = end === text.length && !text.endsWith(quote) ? 0 : escapes + 1;
    return { from: start + escapes + 1, to: end - closing, next: end, kind: 'quoted' };
  }
  const first = text[start];
  if (first === '{' || first === '[') {
    const end = bracketEnd(text, start);
    return { from: start, to: end, next: end, kind: 'bracketed' };
  }
  UNQUOTED_VALUE.lastIndex = start;
  const bare = UNQUOTED_VALUE.exec(text);
  return bare
    ? { from: start, to: start + bare[0].length, next: start + bare[0].length, kind: 'bare' }
    : undefined;
};

const ruleForKeyToken = (key: string, escaped: boolean): KeyRule | undefined =>
  classifyKey(key) ?? (escaped && ESCAPE_LETTER.test(key) ? classifyKey(key.slice(1)) : undefined);

const redactKeyedValues = (text: string): string => {
  let out = '';
  let copied = 0;
  KEY.lastIndex = 0;
  for (let match = KEY.exec(text); match !== null; match = KEY.exec(text)) {
    const key = match[3] ?? '';
    const escaped = match.index > 0 && text[match.index - 1] === '\\';
    const rule = ruleForKeyToken(key, escaped);
    const valueStart = match.index + match[0].length;
    if (rule === undefined) continue;
    const span = valueSpan(text, valueStart);
    if (span === undefined) continue;
    const value = text.slice(span.from, span.to);
    const keep =
      value === '' ||
      value.startsWith(MARKER_PREFIX) ||
      (span.kind !== 'quoted' && EMPTY_VALUES.has(value)) ||
      (span.kind === 'bracketed' && rule.scalarOnly === true) ||
      (rule.keep?.test(value) ?? false);
    if (keep) continue;
    out += text.slice(copied, span.from) + redactionMarker(rule.kind);
    copied = span.to;
    KEY.lastIndex = Math.max(span.next, KEY.lastIndex);
  }
  return copied === 0 ? text : out + text.slice(copied);
};

// --- patterns anywhere ---------------------------------------------------------------------------

const B64 = '[A-Za-z0-9_-]';
// A token starts at a boundary, after a percent-escape (`%20eyJ...`) or after a JSON escape (`\neyJ...`);
// without this, runs such as `eyJeyJeyJ...` or long words would make the scan quadratic.
const TOKEN_START = `(?:(?<![A-Za-z0-9_-])|(?<=%[0-9A-Fa-f]{2})|(?<=\\\\[nrt]))`;
const PATTERNS: ReadonlyArray<readonly [RegExp, (match: string, ...groups: string[]) => string]> = [
  // JWE first: Cognito refresh tokens are five-segment `eyJ...` strings; the encrypted key may be empty.
  [
    new RegExp(`${TOKEN_START}eyJ${B64}{10,}\\.${B64}*\\.${B64}{2,}\\.${B64}{2,}\\.${B64}{2,}`, 'g'),
    () => redactionMarker('refresh-token'),
  ],
  [new RegExp(`${TOKEN_START}eyJ${B64}{10,}\\.${B64}{2,}\\.${B64}*`, 'g'), () => redactionMarker('jwt')],
  [
    /\b(Bearer|Basic)[ \t]+[A-Za-z0-9._~+/=-]{6,}/g,
    (_match, scheme) => `${scheme} ${redactionMarker('credential')}`,
  ],
  [/(:\/\/)[^\s/:@]+:[^\s/@]+@/g, (_match, scheme) => `${scheme}${redactionMarker('credential')}@`],
  [
    /(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+(?:@|%40)[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g,
    () => redactionMarker('email'),
  ],
  [/\+\d(?:[ .()-]{0,2}\d){6,14}/g, () => redactionMarker('phone')],
  [/(?<![\w.+-])(?:\(\d{3}\)[ .-]?|\d{3}[ .-])\d{3}[ .-]\d{4}(?![\w-])/g, () => redactionMarker('phone')],
];

/**
 * Returns `text` with secrets and personal data replaced by `[redacted:<kind>]` markers.
 * Idempotent: redacting redacted text changes nothing.
 */
export const redact = (text: string): string => {
  let result = redactKeyedValues(text);
  for (const [pattern, replace] of PATTERNS) result = result.replace(pattern, replace);
  return result;
};

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
