/**
 * A deterministic measure of a parser's work, with no clock: while `measureWork` runs a function,
 * every string built-in, `RegExp#exec` and `JSON.parse` call counts the characters it may visit.
 * A parser that reads its input character by character (`charCodeAt`) or with searches (`indexOf`,
 * regexes) shows its whole cost here, so a rescanning loop or a quadratic search shows as steps
 * growing with the square of the input.
 *
 * What one call costs:
 * - `charCodeAt`, `codePointAt`, `charAt`, `at`: 1;
 * - `indexOf`, `includes`, `lastIndexOf`: the characters between the start and where the search
 *   stopped (the end of the text when nothing was found), plus the needle;
 * - `startsWith`, `endsWith`: the needle; `slice`, `substring`, `substr`: 1 (V8 shares the
 *   parent's characters instead of copying them; what is then read from the slice is counted);
 * - `trim*`, `split`, `replace*`, `match*`, `search`, case changes, `JSON.parse`,
 *   `Buffer.byteLength`: the whole input;
 * - `RegExp#exec` (behind `test`, `replace`, `match`, `split`): from `lastIndex` to the end of the
 *   match, or of the text when none (1 for a failed sticky match). Regexes themselves are proven
 *   linear per attempt by test/lib/logs/regexes-linear.test.ts, so this counts how far and how
 *   often they run.
 *
 * Not counted: property reads (`text[i]`), arithmetic, object and array work. The parsers under
 * test read characters through the counted built-ins.
 */

type Cost = (self: string, args: readonly unknown[], result: unknown) => number;

const original = {
  indexOf: String.prototype.indexOf,
  lastIndexOf: String.prototype.lastIndexOf,
};

const position = (value: unknown, fallback: number, length: number): number => {
  const number = value === undefined ? fallback : Math.trunc(Number(value));
  return Number.isNaN(number) ? 0 : Math.min(Math.max(number, 0), length);
};

const needle = (args: readonly unknown[]): number => Math.max(1, String(args[0]).length);

const forwardSearch: Cost = (self, args, result) => {
  const from = position(args[1], 0, self.length);
  const found =
    typeof result === 'number' ? result : (original.indexOf.apply(self, args as [string, number?]) as number);
  return (found === -1 ? self.length - from : found - from) + needle(args);
};

/** Methods that read or rewrite the whole string: one step per character. */
const WHOLE_STRING_PASSES = [
  'trim',
  'trimStart',
  'trimEnd',
  'toLowerCase',
  'toUpperCase',
  'normalize',
] as const;
/** Methods that scan the whole string for a pattern: one step per character. */
const WHOLE_STRING_SCANS = ['split', 'replace', 'replaceAll', 'match', 'matchAll', 'search'] as const;
/** Methods that build a new string: one step per character of the result. */
const RESULT_BUILDERS = ['repeat', 'padStart', 'padEnd'] as const;

const costsOf = (names: readonly string[], cost: Cost): Record<string, Cost> =>
  Object.fromEntries(names.map((name) => [name, cost]));

const STRING_COSTS: Readonly<Record<string, Cost>> = {
  charCodeAt: () => 1,
  codePointAt: () => 1,
  charAt: () => 1,
  at: () => 1,
  indexOf: forwardSearch,
  includes: (self, args) => forwardSearch(self, args, undefined),
  lastIndexOf: (self, args, result) => {
    const from = position(args[1], self.length, self.length);
    return from - (result === -1 ? 0 : (result as number)) + needle(args);
  },
  startsWith: (_self, args) => needle(args),
  endsWith: (_self, args) => needle(args),
  slice: () => 1,
  substring: () => 1,
  substr: () => 1,
  ...costsOf(WHOLE_STRING_PASSES, (self) => Math.max(1, self.length)),
  ...costsOf(WHOLE_STRING_SCANS, (self) => Math.max(1, self.length)),
  ...costsOf(RESULT_BUILDERS, (_self, _args, result) => Math.max(1, (result as string).length)),
};

let steps = 0;
let running = false;

type AnyFunction = (this: unknown, ...args: unknown[]) => unknown;

/** Replaces `target[name]` with a counting wrapper; returns the undo. */
const wrap = (
  target: object,
  name: string,
  cost: (self: never, args: unknown[], result: unknown) => number,
) => {
  const host = target as Record<string, AnyFunction>;
  const method = host[name] as AnyFunction;
  host[name] = function (this: unknown, ...args: unknown[]) {
    const result = method.apply(this, args);
    steps += cost(this as never, args, result);
    return result;
  };
  return () => {
    host[name] = method;
  };
};

const install = (): (() => void) => {
  const undo: (() => void)[] = [];
  for (const [name, cost] of Object.entries(STRING_COSTS)) {
    undo.push(wrap(String.prototype, name, (self: string, args, result) => cost(String(self), args, result)));
  }
  const exec = RegExp.prototype.exec;
  const regExpPrototype = RegExp.prototype as unknown as Record<string, AnyFunction>;
  regExpPrototype.exec = function (this: RegExp, input: unknown) {
    const text = String(input);
    const start = this.global || this.sticky ? this.lastIndex : 0;
    const found = exec.call(this, text);
    if (found) steps += Math.max(1, found.index + found[0].length - start);
    else steps += this.sticky ? 1 : Math.max(1, text.length - start);
    return found;
  } as AnyFunction;
  undo.push(() => {
    regExpPrototype.exec = exec as unknown as AnyFunction;
  });
  undo.push(wrap(JSON, 'parse', (_self, args) => Math.max(1, String(args[0]).length)));
  undo.push(wrap(Buffer, 'byteLength', (_self, args) => Math.max(1, String(args[0]).length)));
  return () => {
    for (const step of undo.reverse()) step();
  };
};

/** Runs `fn` (synchronously) and counts the characters the built-ins it calls may visit. */
export const measureWork = <T>(fn: () => T): { result: T; steps: number } => {
  if (running) throw new Error('measureWork does not nest');
  running = true;
  steps = 0;
  const uninstall = install();
  try {
    const result = fn();
    return { result, steps };
  } finally {
    uninstall();
    running = false;
  }
};
